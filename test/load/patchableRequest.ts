/**
 * A load client's protobuf request, built once and patched in place for every push: every value
 * that changes between pushes (times, counter values, histogram counts, sums and buckets) is a
 * fixed-width field (fixed64 or double), so the bytes keep their layout and only those 8-byte
 * slots are rewritten. Building 1,000 points from scratch 10 times a second per client would cost
 * the test more CPU than the sidecar under test.
 */
import { concat, string, tag, varint, varintBytes } from '../helpers/protobufWriter.ts';

const I64 = 1;
const LEN = 2;

type MarkKind = 'start' | 'time' | 'value' | 'count' | 'sum' | 'bucket';

interface Mark {
  readonly kind: MarkKind;
  /** The point's index among counters or histograms. */
  readonly point: number;
  /** The bucket, for `bucket` marks. */
  readonly bucket: number;
  readonly offset: number;
}

interface Piece {
  readonly bytes: Uint8Array;
  readonly marks: readonly Mark[];
}

function plain(bytes: Uint8Array): Piece {
  return { bytes, marks: [] };
}

/** An 8-byte field whose value is patched later. */
function slot(field: number, kind: MarkKind, point: number, bucket = 0): Piece {
  const key = tag(field, I64);
  return { bytes: concat(key, new Uint8Array(8)), marks: [{ kind, point, bucket, offset: key.length }] };
}

/** Pieces one after another, their marks shifted. */
function join(pieces: readonly Piece[]): Piece {
  const marks: Mark[] = [];
  let offset = 0;
  for (const piece of pieces) {
    for (const mark of piece.marks) marks.push({ ...mark, offset: mark.offset + offset });
    offset += piece.bytes.length;
  }
  return { bytes: Buffer.concat(pieces.map((piece) => piece.bytes)), marks };
}

/** A length-delimited field holding the pieces. */
function nest(field: number, pieces: readonly Piece[]): Piece {
  const inner = join(pieces);
  return join([plain(concat(tag(field, LEN), varintBytes(inner.bytes.length))), inner]);
}

function attribute(field: number, key: string, value: string): Piece {
  return nest(field, [plain(string(1, key)), nest(2, [plain(string(1, value))])]);
}

export interface PatchableRequestSpec {
  readonly service: string;
  readonly temporality: 'delta' | 'cumulative';
  readonly counterName: string;
  readonly histogramName: string;
  readonly bounds: readonly number[];
  readonly counters: number;
  readonly histograms: number;
}

export interface PushValues {
  readonly startNs: bigint;
  readonly timeNs: bigint;
  /** Per counter point. */
  readonly values: ArrayLike<number>;
  /** Per histogram point: its bucket counts (bounds + 1 of them), count (their sum) and sum. */
  readonly buckets: readonly ArrayLike<number>[];
  readonly sums: ArrayLike<number>;
}

/** The request with its slots; `patch` writes one push's values into the same buffer and returns it. */
export class PatchableRequest {
  readonly bytes: Buffer;
  readonly #marks: readonly Mark[];

  constructor(spec: PatchableRequestSpec) {
    const counterPoints: Piece[] = [];
    for (let i = 0; i < spec.counters; i++) {
      // NumberDataPoint: attributes 7, start 2, time 3, as_double 4.
      counterPoints.push(nest(1, [attribute(7, 'series', `c${i}`), slot(2, 'start', i), slot(3, 'time', i), slot(4, 'value', i)]));
    }
    const histogramPoints: Piece[] = [];
    for (let i = 0; i < spec.histograms; i++) {
      // HistogramDataPoint: attributes 9, start 2, time 3, count 4, sum 5, bucket_counts 6 (packed), explicit_bounds 7 (packed).
      const buckets: Piece[] = [];
      for (let b = 0; b <= spec.bounds.length; b++) buckets.push({ bytes: new Uint8Array(8), marks: [{ kind: 'bucket', point: i, bucket: b, offset: 0 }] });
      const bounds = new Uint8Array(spec.bounds.length * 8);
      spec.bounds.forEach((bound, b) => new DataView(bounds.buffer).setFloat64(b * 8, bound, true));
      histogramPoints.push(
        nest(1, [attribute(9, 'series', `h${i}`), slot(2, 'start', i), slot(3, 'time', i), slot(4, 'count', i), slot(5, 'sum', i), nest(6, buckets), plain(concat(tag(7, LEN), varintBytes(bounds.length), bounds))]),
      );
    }
    const temporality = spec.temporality === 'delta' ? 1 : 2;
    const metrics: Piece[] = [];
    if (spec.counters > 0) metrics.push(nest(2, [plain(string(1, spec.counterName)), nest(7, [...counterPoints, plain(concat(varint(2, temporality), varint(3, 1)))])]));
    if (spec.histograms > 0) metrics.push(nest(2, [plain(string(1, spec.histogramName)), plain(string(3, 'ms')), nest(9, [...histogramPoints, plain(varint(2, temporality))])]));
    const resource = nest(1, [attribute(1, 'service.name', spec.service)]);
    const request = nest(1, [resource, nest(2, [nest(1, [plain(string(1, 'load')), plain(string(2, '1.0.0'))]), ...metrics])]);
    this.bytes = Buffer.from(request.bytes);
    this.#marks = request.marks;
  }

  patch(push: PushValues): Buffer {
    const bytes = this.bytes;
    for (const mark of this.#marks) {
      switch (mark.kind) {
        case 'start':
          bytes.writeBigUInt64LE(push.startNs, mark.offset);
          break;
        case 'time':
          bytes.writeBigUInt64LE(push.timeNs, mark.offset);
          break;
        case 'value':
          bytes.writeDoubleLE(push.values[mark.point]!, mark.offset);
          break;
        case 'count': {
          const counts = push.buckets[mark.point]!;
          let total = 0;
          for (let b = 0; b < counts.length; b++) total += counts[b]!;
          bytes.writeBigUInt64LE(BigInt(total), mark.offset);
          break;
        }
        case 'sum':
          bytes.writeDoubleLE(push.sums[mark.point]!, mark.offset);
          break;
        case 'bucket':
          bytes.writeBigUInt64LE(BigInt(push.buckets[mark.point]![mark.bucket]!), mark.offset);
          break;
      }
    }
    return bytes;
  }
}

/** The same push in OTLP/JSON, built from strings prepared once. */
export class JsonRequestBuilder {
  readonly #spec: PatchableRequestSpec;
  readonly #counterAttributes: string[];
  readonly #histogramAttributes: string[];
  readonly #bounds: string;

  constructor(spec: PatchableRequestSpec) {
    this.#spec = spec;
    this.#counterAttributes = Array.from({ length: spec.counters }, (_, i) => `{"attributes":[{"key":"series","value":{"stringValue":"c${i}"}}],`);
    this.#histogramAttributes = Array.from({ length: spec.histograms }, (_, i) => `{"attributes":[{"key":"series","value":{"stringValue":"h${i}"}}],`);
    this.#bounds = JSON.stringify(spec.bounds);
  }

  build(push: PushValues): string {
    const spec = this.#spec;
    const times = `"startTimeUnixNano":"${push.startNs}","timeUnixNano":"${push.timeNs}"`;
    const temporality = spec.temporality === 'delta' ? 1 : 2;
    const metrics: string[] = [];
    if (spec.counters > 0) {
      const points = this.#counterAttributes.map((attributes, i) => `${attributes}${times},"asDouble":${push.values[i]}}`);
      metrics.push(`{"name":${JSON.stringify(spec.counterName)},"sum":{"aggregationTemporality":${temporality},"isMonotonic":true,"dataPoints":[${points.join(',')}]}}`);
    }
    if (spec.histograms > 0) {
      const points = this.#histogramAttributes.map((attributes, i) => {
        const counts = Array.from(push.buckets[i]!);
        const count = counts.reduce((a, b) => a + b, 0);
        return `${attributes}${times},"count":"${count}","sum":${push.sums[i]},"bucketCounts":[${counts.map((c) => `"${c}"`).join(',')}],"explicitBounds":${this.#bounds}}`;
      });
      metrics.push(`{"name":${JSON.stringify(spec.histogramName)},"unit":"ms","histogram":{"aggregationTemporality":${temporality},"dataPoints":[${points.join(',')}]}}`);
    }
    return `{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":${JSON.stringify(spec.service)}}}]},"scopeMetrics":[{"scope":{"name":"load","version":"1.0.0"},"metrics":[${metrics.join(',')}]}]}]}`;
  }
}
