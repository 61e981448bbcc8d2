import type { Family } from '../model/family.ts';
import { BridgeReader } from './BridgeReader.ts';
import { DEFAULT_EXPORTER_HOST, DEFAULT_METRICS_PATH, DEFAULT_METRICS_PORT, DEFAULT_NAMESPACE, DEFAULT_SCOPE_LABELS, DEFAULT_TARGET_INFO } from '../config/defaults.ts';
import type { ExporterConfig } from './bridgeOptions.ts';

/**
 * A drop-in replacement for `@opentelemetry/exporter-prometheus`'s `PrometheusExporter`: same
 * constructor, options and methods, collecting from the SDK on every scrape, with Prometheus'
 * own OTLP naming rules (or the official exporter's, with `compatibility: 'exporter-prometheus'`),
 * OpenMetrics, gzip and the rest of the bridge behind it.
 */
export class PrometheusExporter extends BridgeReader {
  /** The official exporter's defaults, under its option names. */
  static readonly DEFAULT_OPTIONS = {
    host: DEFAULT_EXPORTER_HOST,
    port: DEFAULT_METRICS_PORT,
    endpoint: DEFAULT_METRICS_PATH,
    prefix: DEFAULT_NAMESPACE,
    appendTimestamp: false,
    withResourceConstantLabels: undefined,
    withoutScopeInfo: !DEFAULT_SCOPE_LABELS,
    withoutTargetInfo: !DEFAULT_TARGET_INFO,
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
