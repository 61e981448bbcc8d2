import type { Family } from '../model/family.ts';
import { BridgeReader } from './BridgeReader.ts';
import { DEFAULT_ENDPOINT, DEFAULT_HOST, DEFAULT_PORT, type ExporterConfig } from './bridgeOptions.ts';

/**
 * A drop-in replacement for `@opentelemetry/exporter-prometheus`'s `PrometheusExporter`: same
 * constructor, options and methods, collecting from the SDK on every scrape, with Prometheus'
 * own OTLP naming rules, OpenMetrics, gzip and the rest of the bridge behind it.
 */
export class PrometheusExporter extends BridgeReader {
  static readonly DEFAULT_OPTIONS = {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    endpoint: DEFAULT_ENDPOINT,
    prefix: '',
    appendTimestamp: false,
    withResourceConstantLabels: undefined,
    withoutScopeInfo: false,
    withoutTargetInfo: false,
  };

  #bound = false;

  /**
   * @param config Exporter options (see ExporterConfig)
   * @param callback Called once the server has started, or with the error that stopped it
   */
  constructor(config: ExporterConfig = {}, callback?: (error: Error | void) => void) {
    super(config, callback, 'PrometheusExporter', 'snapshot');
  }

  protected override onInitialized(): void {
    this.#bound = true;
  }

  isReady(): boolean {
    return this.#bound;
  }

  protected async sdkFamilies(): Promise<Family[]> {
    await this.collectIntoStore();
    return this.store.families();
  }

  override async onForceFlush(): Promise<void> {
    // A pull exporter has nothing to flush: every scrape collects.
  }

  override async onShutdown(): Promise<void> {
    await this.stopServer();
  }
}
