import { deepStrictEqual } from 'node:assert/strict';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { sizeDelimitedEncode } from '@bufbuild/protobuf/wire';
import protobuf from 'protobufjs';
import { writeMetricFamilies } from '../../src/exposition/protobuf/writeMetricFamilies.ts';
import type { Family, Series } from '../../src/model/family.ts';
import { toClassicBuckets, DEFAULT_MAX_EXPONENTIAL_BUCKETS } from '../../src/translate/exponentialBuckets.ts';
import { toNativeHistogram } from '../../src/translate/nativeHistogramBuckets.ts';
import { decodeMetricFamilies } from '../../test/exposition/protobuf/decodeMetricFamilies.ts';
import { measure, summarize, type MeasureOptions, type Timing } from '../measure.ts';
import { formatTable } from '../report.ts';
import { findRow, pointRate, type ResultRow } from '../results.ts';
import type { Workload, WorkloadName } from '../workload.ts';
import { MetricFamilySchema } from './gen/io/prometheus/client/metrics_pb.js';

/**
 * The protobuf exposition's encoder against the two common libraries, on the families the sidecar
 * serves: ours (families → bytes), and each library from code or reflection on the kept
 * metrics.proto, with the conversion from families to its messages (the work ours does) and
 * without (its encoder alone, messages built beforehand). Subjects take turns run by run, so that
 * the noise of a shared machine falls on all of them alike. Figures: series per second.
 */

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

/** Ours is kept only while it is at least this much faster than the best library with conversion. */
export const KEEP_OURS_AT = 1.5;

const PROTO = new URL('../../proto/io/prometheus/client/metrics.proto', import.meta.url).pathname;
const protobufjsFamily = protobuf.loadSync(PROTO).lookupType('io.prometheus.client.MetricFamily');

const TYPES = { counter: 0, gauge: 1, summary: 2, histogram: 4 } as const;

interface Subject {
  readonly id: string;
  readonly label: string;
  /** Prepares what is timed (messages built beforehand for the encoders alone), and returns it. */
  readonly prepare: (families: readonly Family[]) => () => number;
}

const SUBJECTS: readonly Subject[] = [
  { id: 'encode.ours', label: 'ours, families → bytes', prepare: (families) => () => encodeOurs(families) },
  {
    id: 'encode.bufbuild.converted',
    label: '@bufbuild/protobuf create + sizeDelimitedEncode, families → bytes',
    prepare: (families) => () => encodeBufbuild(families.map((family) => create(MetricFamilySchema, toBufbuildInit(family)))),
  },
  {
    id: 'encode.bufbuild.messages',
    label: '@bufbuild/protobuf sizeDelimitedEncode alone, its messages → bytes',
    prepare: (families) => {
      const messages = families.map((family) => create(MetricFamilySchema, toBufbuildInit(family)));
      return () => encodeBufbuild(messages);
    },
  },
  {
    id: 'encode.protobufjs.converted',
    label: 'protobufjs encodeDelimited, families → bytes',
    prepare: (families) => () => encodeProtobufjs(families.map(toPlainFamily)),
  },
  {
    id: 'encode.protobufjs.messages',
    label: 'protobufjs encodeDelimited alone, plain objects → bytes',
    prepare: (families) => {
      const objects = families.map(toPlainFamily);
      return () => encodeProtobufjs(objects);
    },
  },
];

const CONVERTED = ['encode.bufbuild.converted', 'encode.protobufjs.converted'];

/** The scrapes measured in text and in protobuf, for the target "a protobuf scrape no slower than text". */
const SCRAPE_PAIRS: readonly [text: string, protobuf: string, label: string][] = [
  ['scrape.ours.sidecar.render', 'scrape.ours.sidecar.render.protobuf', 'Sidecar store, streamed'],
  ['scrape.ours.exporter.http', 'scrape.ours.exporter.http.protobuf', 'PrometheusExporter HTTP scrape (values changed)'],
  ['scrape.ours.periodic.http', 'scrape.ours.periodic.http.protobuf', 'PeriodicPrometheusReader HTTP scrape (both from kept chunks)'],
];

function encodeOurs(families: readonly Family[]): number {
  let bytes = 0;
  for (const chunk of writeMetricFamilies(families, {})) bytes += chunk.length;
  return bytes;
}

function encodeBufbuild(messages: readonly ReturnType<typeof create<typeof MetricFamilySchema>>[]): number {
  let bytes = 0;
  for (const message of messages) bytes += sizeDelimitedEncode(MetricFamilySchema, message).length;
  return bytes;
}

function encodeProtobufjs(objects: readonly PlainFamily[]): number {
  let bytes = 0;
  for (const object of objects) bytes += protobufjsFamily.encodeDelimited(object).finish().length;
  return bytes;
}

export async function benchProtobufEncode(workload: Workload, families: readonly Family[], options: Options): Promise<ResultRow[]> {
  const series = families.reduce((n, family) => n + family.series.size, 0);
  // The conversions are only fair if they give what ours gives.
  const ours = decodeMetricFamilies(Buffer.concat([...writeMetricFamilies(families, {})]));
  const bufbuild = Buffer.concat(families.map((family) => sizeDelimitedEncode(MetricFamilySchema, create(MetricFamilySchema, toBufbuildInit(family)))));
  deepStrictEqual(decodeMetricFamilies(bufbuild), ours, '@bufbuild/protobuf + conversion differs from ours');
  const protobufjsBytes = Buffer.concat(families.map((family) => protobufjsFamily.encodeDelimited(toPlainFamily(family)).finish()));
  deepStrictEqual(decodeMetricFamilies(protobufjsBytes), ours, 'protobufjs + conversion differs from ours');

  const operations = SUBJECTS.map((subject) => subject.prepare(families));
  const runsMs = SUBJECTS.map((): number[] => []);
  const counts = SUBJECTS.map(() => 0);
  for (let run = 0; run < options.runs; run++) {
    for (let s = 0; s < SUBJECTS.length; s++) {
      const warmup = run === 0 ? Math.max(options.warmup ?? 1, 3) : 0;
      const timing = await measure(operations[s]!, { ...options, runs: 1, warmup });
      runsMs[s]!.push(timing.runsMs[0]!);
      counts[s]! += timing.operations;
    }
  }
  return SUBJECTS.map((subject, s) => {
    const timing: Timing = { ...summarize(runsMs[s]!), runsMs: runsMs[s]!, operations: counts[s]! };
    // An exposition holds one point per series: points per second are series per second here.
    return { id: subject.id, section: 'scrape', workload: workload.name, label: `protobuf encoder: ${subject.label}`, timing, pointsPerSecond: pointRate(timing, series) };
  });
}

/** Rows of this comparison: printed by `formatEncodeComparison`, not in the scrape table. */
export function isEncodeRow(row: ResultRow): boolean {
  return row.id.startsWith('encode.');
}

function seriesRate(rows: readonly ResultRow[], id: string, workload: WorkloadName): ResultRow['pointsPerSecond'] {
  return findRow(rows, id, workload)?.pointsPerSecond;
}

/** The comparison for people: series per second side by side, ours against each, and the decision. */
export function formatEncodeComparison(rows: readonly ResultRow[], workloads: readonly WorkloadName[]): string {
  const measured = workloads.filter((w) => seriesRate(rows, 'encode.ours', w) !== undefined);
  if (measured.length === 0) return '';
  const out = ['\nProtobuf exposition encoding (the sidecar\'s families): million series per second, median (slowest–fastest run)'];
  out.push(
    formatTable(
      ['', ...measured],
      SUBJECTS.map((s) => [
        s.label,
        ...measured.map((w) => {
          const r = seriesRate(rows, s.id, w);
          return r === undefined ? '' : `${(r.median / 1e6).toFixed(2)} (${(r.min / 1e6).toFixed(2)}–${(r.max / 1e6).toFixed(2)})`;
        }),
      ]),
    ),
  );
  const ours = (w: WorkloadName): number => seriesRate(rows, 'encode.ours', w)!.median;
  const ratioRows = SUBJECTS.slice(1).map((s) => [`ours / ${s.label}`, ...measured.map((w) => `${(ours(w) / seriesRate(rows, s.id, w)!.median).toFixed(2)}×`)]);
  const best = (w: WorkloadName): number => Math.max(...CONVERTED.map((id) => seriesRate(rows, id, w)!.median));
  ratioRows.push(['ours / best library with conversion', ...measured.map((w) => `${(ours(w) / best(w)).toFixed(2)}×`)]);
  out.push('', formatTable(['ratio (above 1: ours is faster)', ...measured], ratioRows));
  const keep = measured.every((w) => ours(w) >= KEEP_OURS_AT * best(w));
  const scrapeRatios = SCRAPE_PAIRS.filter(([text, protobuf]) => measured.some((w) => findRow(rows, text, w) && findRow(rows, protobuf, w))).map(([text, protobuf, label]) => [
    label,
    ...measured.map((w) => {
      const t = findRow(rows, text, w)?.timing?.medianMs;
      const p = findRow(rows, protobuf, w)?.timing?.medianMs;
      return t === undefined || p === undefined ? '' : `${(t / p).toFixed(2)}×`;
    }),
  ]);
  if (scrapeRatios.length > 0) out.push('', formatTable(['scrape time, text / protobuf (above 1: protobuf is faster)', ...measured], scrapeRatios));
  out.push(
    keep
      ? `Decision: keep the hand-written encoder (at least ${KEEP_OURS_AT}× the best library with conversion on every workload).`
      : `Decision: the hand-written encoder is not ${KEEP_OURS_AT}× the best library with conversion on every workload; consider a library.`,
  );
  return out.join('\n');
}

// The conversions: the same rules as ours (src/exposition/protobuf/writeMetricFamilies.ts), to each library's shapes.

type BufbuildInit = MessageInitShape<typeof MetricFamilySchema>;

/** The plain form of the same family, with the 64-bit integers @bufbuild/protobuf wants as bigint. */
function toBufbuildInit(family: Family): BufbuildInit {
  return withBigInts(toPlainFamily(family)) as BufbuildInit;
}

/** @bufbuild/protobuf holds 64-bit integers as bigint. */
function withBigInts(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && BIGINT_FIELDS.has(key)) return BigInt(value);
  if (Array.isArray(value)) return value.map((v) => withBigInts(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBigInts(v, k)]));
  return value;
}
const BIGINT_FIELDS = new Set(['sampleCount', 'cumulativeCount', 'timestampMs', 'seconds', 'zeroCount', 'negativeDelta', 'positiveDelta']);

interface PlainFamily {
  name: string;
  help?: string;
  type: number;
  unit?: string;
  metric: object[];
}

function toPlainFamily(family: Family): PlainFamily {
  const counter = family.type === 'counter';
  return {
    name: family.name,
    ...(family.help === '' ? {} : { help: family.help }),
    type: TYPES[family.type],
    ...(family.unit === '' ? {} : { unit: family.unit }),
    metric: [...family.series.values()].map((series) => toPlainMetric(series, counter)),
  };
}

function timestamp(ms: number): { seconds?: number; nanos?: number } {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return { ...(seconds === 0 ? {} : { seconds }), ...(nanos === 0 ? {} : { nanos }) };
}

function created(series: Series): object {
  return series.startTimeMs === undefined ? {} : { createdTimestamp: timestamp(series.startTimeMs) };
}

function toPlainMetric(series: Series, counter: boolean): object {
  const label = series.labels.map(([name, value]) => ({ name, value }));
  const data = series.data;
  switch (data.kind) {
    case 'number':
      return counter ? { label, counter: { value: data.value, ...created(series) } } : { label, gauge: { value: data.value } };
    case 'histogram':
      return { label, histogram: { ...classic(data.bounds, data.counts, data.count, data.sum), ...created(series) } };
    case 'exponentialHistogram': {
      const { bounds, counts } = toClassicBuckets(data, DEFAULT_MAX_EXPONENTIAL_BUCKETS);
      const native = toNativeHistogram(data);
      const nativeFields =
        native === undefined
          ? {}
          : {
              schema: native.schema,
              zeroThreshold: native.zeroThreshold,
              zeroCount: data.zeroCount,
              negativeSpan: native.negative.spans,
              negativeDelta: native.negative.deltas,
              positiveSpan: native.positive.spans.length + native.negative.spans.length === 0 ? [{ offset: 0, length: 0 }] : native.positive.spans,
              positiveDelta: native.positive.deltas,
            };
      return { label, histogram: { ...classic(bounds, counts, data.count, data.sum), ...created(series), ...nativeFields } };
    }
    case 'summary':
      return { label, summary: { sampleCount: data.count, sampleSum: data.sum, quantile: data.quantiles.map((q) => ({ ...q })), ...created(series) } };
  }
}

function classic(bounds: readonly number[], counts: readonly number[], count: number, sum: number | undefined): object {
  const total = Math.max(
    counts.reduce((a, b) => a + b, 0),
    count,
  );
  let cumulative = 0;
  const bucket = bounds.map((upperBound, i) => ({ cumulativeCount: (cumulative += counts[i] ?? 0), upperBound }));
  bucket.push({ cumulativeCount: total, upperBound: Infinity });
  return { sampleCount: total, ...(sum === undefined ? {} : { sampleSum: sum }), bucket };
}
