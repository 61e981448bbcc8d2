/**
 * Remote write, in process, on the sidecar's store holding the workload: series → samples (a
 * round), then per batch of 2,000 samples (`max_samples_per_send`'s default) the encoding of
 * `prometheus.WriteRequest` and its snappy block, by our encoder and by protobufjs from the
 * official `.proto` (the objects it needs built from the same samples, as a user of the library
 * would); snappy by the `snappy` package (N-API) and by the pure-JavaScript `snappyjs`; and the
 * heap each queued sample takes.
 */
import { fileURLToPath } from 'node:url';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import protobuf from 'protobufjs';
import snappyjs from 'snappyjs';
import { decodeExportMetricsServiceRequest } from '../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { encodeWriteRequest, newRequestWriter } from '../../src/outputs/push/remoteWrite/encodeWriteRequest.ts';
import { samplesOfSeries, type RemoteSample } from '../../src/outputs/push/remoteWrite/remoteSample.ts';
import { ShardQueues } from '../../src/outputs/push/remoteWrite/shardQueues.ts';
import { compressSnappy } from '../../src/outputs/push/remoteWrite/snappyBlock.ts';
import { encodeProtobuf } from '../ingestBench.ts';
import { collectGarbage, hasGc, measure, type MeasureOptions } from '../measure.ts';
import { findRow, type ResultRow } from '../results.ts';
import { formatTable } from '../report.ts';
import { createSidecarStore } from '../sidecarStore.ts';
import type { Workload, WorkloadName } from '../workload.ts';

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

const BATCH = 2_000;
const PROTO = fileURLToPath(new URL('../../proto/prometheus/remote.proto', import.meta.url));

export async function benchRemoteWrite(workload: Workload, resourceMetrics: ResourceMetrics, options: Options): Promise<ResultRow[]> {
  const store = createSidecarStore(workload.series * 2);
  store.applyAll(decodeExportMetricsServiceRequest(encodeProtobuf(resourceMetrics)), Date.now());
  const build = (): RemoteSample[] => {
    const samples: RemoteSample[] = [];
    for (const family of store.families()) for (const series of family.series.values()) samplesOfSeries(family, series, { externalLabels: [['cluster', 'bench']], nativeHistograms: false }, samples);
    return samples;
  };
  const samples = build();
  const batches: RemoteSample[][] = [];
  for (let i = 0; i < samples.length; i += BATCH) batches.push(samples.slice(i, i + BATCH));
  const row = (id: string, label: string, timing: Awaited<ReturnType<typeof measure>>, extra: Partial<ResultRow> = {}): ResultRow => ({
    id,
    section: 'remote-write',
    workload: workload.name,
    label,
    timing,
    pointsPerSecond: { median: (samples.length * 1000) / timing.medianMs, min: (samples.length * 1000) / timing.maxMs, max: (samples.length * 1000) / timing.minMs },
    ...extra,
  });
  const rows: ResultRow[] = [];
  rows.push(row('remote-write.samples', 'ours series → samples (a round over every series held)', await measure(build, options)));

  const writer = newRequestWriter();
  let compressed = 0;
  let encoded = 0;
  rows.push(
    row(
      'remote-write.ours.encode',
      'ours prometheus.WriteRequest encoding, batches of 2,000 samples',
      await measure(() => {
        encoded = 0;
        for (const batch of batches) encoded += encodeWriteRequest('prometheus.WriteRequest', batch, writer).length;
      }, options),
    ),
  );
  rows.push(
    row(
      'remote-write.ours.encode+snappy',
      'ours encoding + snappy (snappyjs), as sent',
      await measure(() => {
        compressed = 0;
        for (const batch of batches) compressed += compressSnappy(encodeWriteRequest('prometheus.WriteRequest', batch, writer)).length;
      }, options),
      { bytes: compressed, note: `${(encoded / 2 ** 20).toFixed(1)} MiB encoded, ${(compressed / 2 ** 20).toFixed(1)} MiB compressed` },
    ),
  );
  rows.push(
    row(
      'remote-write.ours.encode-v2+snappy',
      'ours io.prometheus.write.v2.Request encoding (symbols) + snappy',
      await measure(() => {
        for (const batch of batches) compressSnappy(encodeWriteRequest('io.prometheus.write.v2.Request', batch, writer));
      }, options),
    ),
  );
  const WriteRequest = protobuf.loadSync(PROTO).lookupType('prometheus.WriteRequest');
  rows.push(
    row(
      'remote-write.protobufjs.encode',
      'protobufjs encoding from objects built from the same samples',
      await measure(() => {
        for (const batch of batches) WriteRequest.encode(toProtobufjsObject(batch)).finish();
      }, options),
    ),
  );
  // A copy each: the writer's view is overwritten by the next request.
  const encodedBatches = batches.map((batch) => new Uint8Array(encodeWriteRequest('prometheus.WriteRequest', batch, writer)));
  rows.push(
    row(
      'remote-write.snappy',
      'snappy (N-API, Rust snap) compressing the encoded batches',
      await measure(() => {
        for (const bytes of encodedBatches) compressSnappy(bytes);
      }, options),
    ),
  );
  rows.push(
    row(
      'remote-write.snappyjs',
      'snappyjs (pure JavaScript) compressing the encoded batches',
      await measure(() => {
        for (const bytes of encodedBatches) snappyjs.compress(bytes);
      }, options),
    ),
  );
  if (hasGc()) rows.push({ id: 'remote-write.queued-bytes', section: 'remote-write', workload: workload.name, label: 'heap per queued sample (a round of every series, in the shard queues)', bytesPerSeries: queuedBytesPerSample(build) });
  return rows;
}

/** The heap a round of samples holds while queued, per sample (the store's own series not counted). */
function queuedBytesPerSample(build: () => RemoteSample[]): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const queue = new ShardQueues(50, 1_000_000);
  const samples = build();
  queue.push(samples, Date.now());
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  const perSample = (after - before) / samples.length;
  if (queue.length !== samples.length) throw new Error('the queue dropped samples');
  return perSample;
}

function toProtobufjsObject(batch: readonly RemoteSample[]): object {
  const metadata = new Map<string, object>();
  return {
    timeseries: batch.map((sample) => {
      metadata.set(sample.metadata.name, { type: 1, metricFamilyName: sample.metadata.name, help: sample.metadata.help, unit: sample.metadata.unit });
      return { labels: sample.labelPairs().map(([name, value]) => ({ name, value })), samples: [{ value: sample.value, timestamp: sample.timestampMs }] };
    }),
    metadata: [...metadata.values()],
  };
}

const rate = (rows: readonly ResultRow[], id: string, w: WorkloadName): number | undefined => findRow(rows, id, w)?.pointsPerSecond?.median;

/** Million samples per second per subject, and the ratios the choices rest on. */
export function formatRemoteWriteComparison(rows: readonly ResultRow[], workloads: readonly WorkloadName[]): string {
  const measured = workloads.filter((w) => rate(rows, 'remote-write.ours.encode', w) !== undefined);
  if (measured.length === 0) return '';
  const ids = ['remote-write.samples', 'remote-write.ours.encode', 'remote-write.ours.encode+snappy', 'remote-write.ours.encode-v2+snappy', 'remote-write.protobufjs.encode', 'remote-write.snappy', 'remote-write.snappyjs'];
  const out = ['\nRemote write: million samples per second, median (slowest–fastest run)'];
  out.push(
    formatTable(
      ['', ...measured],
      ids.map((id) => [
        findRow(rows, id, measured[0]!)?.label ?? id,
        ...measured.map((w) => {
          const r = findRow(rows, id, w)?.pointsPerSecond;
          return r === undefined ? '' : `${(r.median / 1e6).toFixed(2)} (${(r.min / 1e6).toFixed(2)}–${(r.max / 1e6).toFixed(2)})`;
        }),
      ]),
    ),
  );
  out.push(
    '',
    formatTable(
      ['ratio', ...measured],
      [
        ['ours encoding / protobufjs', ...measured.map((w) => `${(rate(rows, 'remote-write.ours.encode', w)! / rate(rows, 'remote-write.protobufjs.encode', w)!).toFixed(2)}×`)],
        ['snappy / snappyjs', ...measured.map((w) => `${(rate(rows, 'remote-write.snappy', w)! / rate(rows, 'remote-write.snappyjs', w)!).toFixed(2)}×`)],
        ['heap per queued sample (bytes)', ...measured.map((w) => `${Math.round(findRow(rows, 'remote-write.queued-bytes', w)?.bytesPerSeries ?? Number.NaN)}`)],
      ],
    ),
  );
  return out.join('\n');
}
