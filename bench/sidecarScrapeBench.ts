import { gzipSync, constants } from 'node:zlib';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { streamExposition } from '../src/exposition/renderExposition.ts';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { benchProtobufEncode } from './exposition/protobufEncodeBench.ts';
import { OPENMETRICS_ACCEPT, PROTOBUF_ACCEPT } from './httpAccept.ts';
import { encodeProtobuf } from './ingestBench.ts';
import { measure, type MeasureOptions } from './measure.ts';
import type { ResultRow } from './results.ts';
import { createSidecarStore } from './sidecarStore.ts';
import type { Workload } from './workload.ts';

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

/** The exposition formats the sidecar's scrape is measured in: the `Accept` header, and the row. */
const FORMATS: readonly { readonly accept: string | undefined; readonly id: string; readonly label: string }[] = [
  { accept: undefined, id: 'scrape.ours.sidecar.render', label: 'ours Sidecar store, exposition streamed in chunks (text, encoded for the socket)' },
  { accept: OPENMETRICS_ACCEPT, id: 'scrape.ours.sidecar.render.openmetrics', label: 'ours Sidecar store, exposition streamed in chunks (OpenMetrics, encoded for the socket)' },
  { accept: PROTOBUF_ACCEPT, id: 'scrape.ours.sidecar.render.protobuf', label: 'ours Sidecar store, exposition streamed in chunks (protobuf)' },
];

/**
 * The sidecar's scrape of the workload pushed once over OTLP: its store's families written chunk by
 * chunk as the metrics server streams them, each encoded as it would be for the socket (the
 * sidecar's own metrics left out), and how long the event loop is held at a time meanwhile; in
 * text, OpenMetrics and protobuf, with each one's size plain and gzipped (level 1, as the server
 * gzips). Then the protobuf encoder against the libraries on the same families.
 */
export async function benchSidecarScrape(workload: Workload, resourceMetrics: ResourceMetrics, options: Options): Promise<ResultRow[]> {
  const store = createSidecarStore(workload.series * 2);
  store.applyAll(decodeExportMetricsServiceRequest(encodeProtobuf(resourceMetrics)), Date.now());
  const serve = async (accept: string | undefined, keep?: Buffer[]): Promise<number> => {
    let bytes = 0;
    for await (const chunk of streamExposition(store.families(), accept, {}).chunks) {
      const encoded = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += encoded.length;
      keep?.push(Buffer.from(encoded.buffer, encoded.byteOffset, encoded.length));
    }
    return bytes;
  };
  const rows: ResultRow[] = [];
  for (const format of FORMATS) {
    const timing = await measure(() => serve(format.accept), { ...options, trackEventLoop: true });
    const body: Buffer[] = [];
    const bytes = await serve(format.accept, body);
    const gzipBytes = gzipSync(Buffer.concat(body), { level: constants.Z_BEST_SPEED }).length;
    rows.push({ id: format.id, section: 'scrape', workload: workload.name, label: format.label, timing, bytes, gzipBytes });
  }
  rows.push(...(await benchProtobufEncode(workload, store.families(), options)));
  return rows;
}
