import { MetricReader } from '@opentelemetry/sdk-metrics';

/** A reader that collects only when its caller calls `collect()`: the test or benchmark decides when. */
export class PullReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}
