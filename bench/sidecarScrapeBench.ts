import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { streamExposition } from '../src/exposition/renderExposition.ts';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { encodeProtobuf } from './ingestBench.ts';
import { measure, type MeasureOptions } from './measure.ts';
import type { ResultRow } from './results.ts';
import { createSidecarStore } from './sidecarStore.ts';
import type { Workload } from './workload.ts';

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

/**
 * The sidecar's scrape of the workload pushed once over OTLP: its store's families written chunk by
 * chunk as the metrics server streams them, each encoded as it would be for the socket (the
 * sidecar's own metrics left out), and how long the event loop is held at a time meanwhile.
 */
export async function benchSidecarScrape(workload: Workload, resourceMetrics: ResourceMetrics, options: Options): Promise<ResultRow[]> {
  const store = createSidecarStore(workload.series * 2);
  store.applyAll(decodeExportMetricsServiceRequest(encodeProtobuf(resourceMetrics)), Date.now());
  const serve = async (): Promise<number> => {
    let bytes = 0;
    for await (const chunk of streamExposition(store.families(), undefined, {}).chunks) bytes += typeof chunk === 'string' ? Buffer.from(chunk, 'utf8').length : chunk.length;
    return bytes;
  };
  const timing = await measure(serve, { ...options, trackEventLoop: true });
  return [{ id: 'scrape.ours.sidecar.render', section: 'scrape', workload: workload.name, label: 'ours Sidecar store, exposition streamed in chunks (text, encoded for the socket)', timing }];
}
