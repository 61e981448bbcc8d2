/**
 * The write requests as the official `.proto` files read them (protobufjs, proto/prometheus and
 * proto/io/prometheus/write/v2): labels sorted with `__name__` and `le`/`quantile` in their places,
 * the samples, native histograms, stale markers, metadata; 2.0's symbols table and start times.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';
import type { Family, Series, SeriesData } from '../../../../src/model/family.ts';
import { encodeWriteRequest, newRequestWriter } from '../../../../src/outputs/push/remoteWrite/encodeWriteRequest.ts';
import { samplesOfSeries, staleMarkersOfSeries, type RemoteSample } from '../../../../src/outputs/push/remoteWrite/remoteSample.ts';
import { compressSnappy } from '../../../../src/outputs/push/remoteWrite/snappyBlock.ts';

const PROTO = fileURLToPath(new URL('../../../../proto/', import.meta.url));
const v1 = protobuf.loadSync([`${PROTO}prometheus/remote.proto`]).lookupType('prometheus.WriteRequest');
const v2 = protobuf.loadSync(`${PROTO}io/prometheus/write/v2/types.proto`).lookupType('io.prometheus.write.v2.Request');

const T = 1_796_000_000_123;
const START = 1_795_000_000_000;

function family(name: string, type: Family['type'], data: SeriesData, labels: [string, string][] = [['instance', 'i-1'], ['job', 'shop/checkout']], extra: Partial<Family> = {}): { family: Family; series: Series } {
  const series: Series = { labels, labelText: labels.map(([n, v]) => `${n}="${v}"`).join(','), data, timeMs: T, startTimeMs: START };
  return { family: { name, type, help: `${name} help`, unit: '', series: new Map([[series.labelText, series]]), ...extra }, series };
}

function samplesOf(entries: { family: Family; series: Series }[], nativeHistograms = false, externalLabels: [string, string][] = []): RemoteSample[] {
  const into: RemoteSample[] = [];
  for (const { family: f, series } of entries) samplesOfSeries(f, series, { externalLabels, nativeHistograms }, into);
  return into;
}

type Decoded = Record<string, unknown> & { timeseries: { labels: { name: string; value: string }[]; samples?: { value: number; timestamp: number }[]; histograms?: Record<string, unknown>[] }[]; metadata?: Record<string, unknown>[] };

function decodeV1(samples: RemoteSample[]): Decoded {
  const body = uncompressSync(compressSnappy(encodeWriteRequest('prometheus.WriteRequest', samples, newRequestWriter()))) as Buffer;
  return v1.toObject(v1.decode(body), { longs: Number, enums: String, defaults: false, arrays: true }) as Decoded;
}

const labelsOf = (series: { labels: { name: string; value: string }[] }) => series.labels.map(({ name, value }) => `${name}=${value}`);

describe('remote write 1.0: prometheus.WriteRequest', () => {
  it('a counter: sorted labels with __name__, its value at its point time, and its metadata', () => {
    const decoded = decodeV1(samplesOf([family('orders_total', 'counter', { kind: 'number', value: 42 }, [['Zone', 'a'], ['instance', 'i-1'], ['job', 'shop/checkout']])]));
    assert.equal(decoded.timeseries.length, 1);
    const [series] = decoded.timeseries;
    // "Zone" sorts before "__name__" (byte order: Z is 0x5A, _ is 0x5F).
    assert.deepEqual(labelsOf(series!), ['Zone=a', '__name__=orders_total', 'instance=i-1', 'job=shop/checkout']);
    assert.deepEqual(series!.samples, [{ value: 42, timestamp: T }]);
    assert.deepEqual(decoded.metadata, [{ type: 'COUNTER', metricFamilyName: 'orders_total', help: 'orders_total help' }]);
  });

  it('a histogram: cumulative _bucket series with le in its sorted place, then _sum and _count', () => {
    const decoded = decodeV1(samplesOf([family('latency_seconds', 'histogram', { kind: 'histogram', bounds: [0.1, 1], counts: [1, 2, 3], count: 6, sum: 7.5 })], false, [['cluster', 'eu-1']]));
    assert.deepEqual(
      decoded.timeseries.map((series) => [labelsOf(series).join(' '), series.samples?.[0]?.value]),
      [
        ['__name__=latency_seconds_bucket cluster=eu-1 instance=i-1 job=shop/checkout le=0.1', 1],
        ['__name__=latency_seconds_bucket cluster=eu-1 instance=i-1 job=shop/checkout le=1', 3],
        ['__name__=latency_seconds_bucket cluster=eu-1 instance=i-1 job=shop/checkout le=+Inf', 6],
        ['__name__=latency_seconds_sum cluster=eu-1 instance=i-1 job=shop/checkout', 7.5],
        ['__name__=latency_seconds_count cluster=eu-1 instance=i-1 job=shop/checkout', 6],
      ],
    );
  });

  it('a summary: quantile in its sorted place', () => {
    const decoded = decodeV1(samplesOf([family('rpc_seconds', 'summary', { kind: 'summary', quantiles: [{ quantile: 0.5, value: 0.2 }], count: 3, sum: 1 }, [['a', 'x'], ['r', 'y']])]));
    assert.deepEqual(labelsOf(decoded.timeseries[0]!), ['__name__=rpc_seconds', 'a=x', 'quantile=0.5', 'r=y']);
  });

  it('an external label the series has already is the series\' own', () => {
    const decoded = decodeV1(samplesOf([family('up_total', 'counter', { kind: 'number', value: 1 })], false, [['a', '1'], ['job', 'ignored'], ['zz', '2']]));
    assert.deepEqual(labelsOf(decoded.timeseries[0]!), ['__name__=up_total', 'a=1', 'instance=i-1', 'job=shop/checkout', 'zz=2']);
  });

  it('an exponential histogram as a native histogram (integer counts, spans and deltas) when asked', () => {
    const data: SeriesData = { kind: 'exponentialHistogram', scale: 0, zeroCount: 1, zeroThreshold: 0, positive: { offset: 0, counts: [2, 0, 3] }, negative: { offset: 0, counts: [] }, count: 6, sum: 20 };
    const decoded = decodeV1(samplesOf([family('size_bytes', 'histogram', data)], true));
    assert.equal(decoded.timeseries.length, 1);
    const [histogram] = decoded.timeseries[0]!.histograms!;
    assert.equal(histogram!.countInt, 6);
    assert.equal(histogram!.zeroCountInt, 1);
    assert.equal(histogram!.sum, 20);
    assert.equal(histogram!.schema ?? 0, 0);
    assert.equal(histogram!.timestamp, T);
    // OTel bucket index i is Prometheus index i + 1; a gap of one bucket is filled with a zero.
    assert.deepEqual(histogram!.positiveSpans, [{ offset: 1, length: 3 }]);
    assert.deepEqual(histogram!.positiveDeltas, [2, -2, 3]);
    // Without native histograms: the classic buckets the text exposition writes.
    const classic = decodeV1(samplesOf([family('size_bytes', 'histogram', data)], false));
    assert.ok(classic.timeseries.every((series) => (series.histograms ?? []).length === 0));
    assert.equal(classic.timeseries.at(-1)!.samples![0]!.value, 6);
  });

  it('a stale marker is Prometheus\' StaleNaN (0x7ff0000000000002), for every sample name of the series', () => {
    const { family: f, series } = family('latency_seconds', 'histogram', { kind: 'histogram', bounds: [1], counts: [1, 1], count: 2, sum: 3 });
    const into: RemoteSample[] = [];
    staleMarkersOfSeries(f, series, { externalLabels: [], nativeHistograms: false }, T + 1000, into);
    const body = uncompressSync(compressSnappy(encodeWriteRequest('prometheus.WriteRequest', into, newRequestWriter()))) as Buffer;
    const decoded = v1.decode(body) as unknown as { timeseries: { samples: { value: number; timestamp: unknown }[] }[] };
    assert.equal(decoded.timeseries.length, 4);
    // The bytes themselves: JavaScript does not promise to keep a NaN's payload.
    const stale = Buffer.from([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]);
    let found = 0;
    for (let at = body.indexOf(stale); at >= 0; at = body.indexOf(stale, at + 1)) found++;
    assert.equal(found, 4);
  });
});

describe('remote write 2.0: io.prometheus.write.v2.Request', () => {
  it('symbols start with the empty string; series refer to them; metadata and start times ride along', () => {
    const samples = samplesOf([family('orders_total', 'counter', { kind: 'number', value: 5 }, [['instance', 'i-1'], ['job', 'j']], { unit: '', help: 'Orders.' }), family('temp_celsius', 'gauge', { kind: 'number', value: 21.5 }, [['instance', 'i-1'], ['job', 'j']], { unit: 'celsius', help: '' })]);
    const body = uncompressSync(compressSnappy(encodeWriteRequest('io.prometheus.write.v2.Request', samples, newRequestWriter()))) as Buffer;
    const decoded = v2.toObject(v2.decode(body), { longs: Number, enums: String, arrays: true }) as { symbols: string[]; timeseries: { labelsRefs: number[]; samples: { value: number; timestamp: number; startTimestamp?: number }[]; metadata: { type: string; helpRef?: number; unitRef?: number } }[] };
    assert.equal(decoded.symbols[0], '');
    const resolve = (refs: number[]) => refs.map((ref) => decoded.symbols[ref]);
    const [counter, gauge] = decoded.timeseries;
    assert.deepEqual(resolve(counter!.labelsRefs), ['__name__', 'orders_total', 'instance', 'i-1', 'job', 'j']);
    assert.deepEqual(counter!.samples, [{ value: 5, timestamp: T, startTimestamp: START }]);
    assert.equal(counter!.metadata.type, 'METRIC_TYPE_COUNTER');
    assert.equal(decoded.symbols[counter!.metadata.helpRef!], 'Orders.');
    // A gauge has no start; its unit is a symbol.
    assert.equal(gauge!.samples[0]!.startTimestamp ?? 0, 0);
    assert.equal(gauge!.metadata.type, 'METRIC_TYPE_GAUGE');
    assert.equal(decoded.symbols[gauge!.metadata.unitRef!], 'celsius');
    // Each string once.
    assert.equal(new Set(decoded.symbols).size, decoded.symbols.length);
  });

  it('an exponential histogram is a native histogram with its start time (2.0 always sends them native)', () => {
    const data: SeriesData = { kind: 'exponentialHistogram', scale: 1, zeroCount: 0, zeroThreshold: 0, positive: { offset: -1, counts: [1, 1] }, negative: { offset: 0, counts: [3] }, count: 5, sum: -2 };
    const samples = samplesOf([family('size_bytes', 'histogram', data)], true);
    const body = uncompressSync(compressSnappy(encodeWriteRequest('io.prometheus.write.v2.Request', samples, newRequestWriter()))) as Buffer;
    const decoded = v2.toObject(v2.decode(body), { longs: Number, enums: String, arrays: true }) as { symbols: string[]; timeseries: { labelsRefs: number[]; samples: unknown[]; histograms: Record<string, unknown>[]; metadata: { type: string } }[] };
    assert.equal(decoded.timeseries.length, 1);
    const [series] = decoded.timeseries;
    assert.deepEqual(series!.samples, []);
    assert.equal(series!.metadata.type, 'METRIC_TYPE_HISTOGRAM');
    const [histogram] = series!.histograms;
    assert.equal(histogram!.countInt, 5);
    assert.equal(histogram!.sum, -2);
    assert.equal(histogram!.schema, 1);
    assert.equal(histogram!.timestamp, T);
    assert.equal(histogram!.startTimestamp, START);
    assert.deepEqual(histogram!.positiveSpans, [{ length: 2 }]);
    assert.deepEqual(histogram!.positiveDeltas, [1, 0]);
    assert.deepEqual(histogram!.negativeSpans, [{ offset: 1, length: 1 }]);
    assert.deepEqual(histogram!.negativeDeltas, [3]);
  });
});
