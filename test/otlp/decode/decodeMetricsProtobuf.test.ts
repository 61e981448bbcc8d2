import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { NumberPoint, OtelMetric, ResourceMetrics } from '../../../src/otelData/otelData.ts';
import { decodeExportMetricsServiceRequest } from '../../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { OtlpDecodeError } from '../../../src/otlp/decode/OtlpDecodeError.ts';
import type { OtlpDropReason } from '../../../src/otlp/decode/OtlpDecodeOptions.ts';
import {
  bool,
  bytes,
  concat,
  double,
  fixed32,
  fixed64,
  group,
  I64,
  LEN,
  message,
  packedDouble,
  packedFixed64,
  packedVarint,
  sint32,
  string,
  tag,
  varint,
  varintBytes,
  VARINT,
} from '../../helpers/protobufWriter.ts';
import { assertMatchesSdk, collectSdkMetrics } from '../sdkFixtures.ts';

// Times: 2023-11-14T22:13:20Z and 1.5 ms later, in nanoseconds.
const T0 = 1_700_000_000_000_000_000n;
const T1 = T0 + 1_500_000n;
const T0_MS = 1_700_000_000_000;
const T1_MS = 1_700_000_000_001.5;

// Field numbers, from opentelemetry-proto.
const RM = { resource: 1, scopeMetrics: 2, schemaUrl: 3 };
const SM = { scope: 1, metrics: 2, schemaUrl: 3 };
const METRIC = { name: 1, description: 2, unit: 3, gauge: 5, sum: 7, histogram: 9, exponentialHistogram: 10, summary: 11, metadata: 12 };

/** A KeyValue in `field`, its AnyValue holding `value` (encoded AnyValue fields). */
function kv(field: number, key: string, ...value: Uint8Array[]): Uint8Array {
  return message(field, string(1, key), message(2, ...value));
}

/** One resource, one scope, the given encoded Metric messages (field 2 of ScopeMetrics). */
function requestWith(...metricFields: Uint8Array[][]): Uint8Array {
  return message(1, message(RM.scopeMetrics, message(SM.scope, string(1, 'scope')), ...metricFields.map((fields) => message(SM.metrics, ...fields))));
}

function decodeOnly(bytes: Uint8Array): ResourceMetrics {
  const decoded = decodeExportMetricsServiceRequest(bytes);
  assert.equal(decoded.length, 1);
  return decoded[0]!;
}

function firstMetric(bytes: Uint8Array) {
  return decodeOnly(bytes).scopeMetrics[0]!.metrics[0]!;
}

interface Drop {
  readonly reason: OtlpDropReason;
  readonly path: string;
  readonly points: number;
}

function decodeWithDrops(bytes: Uint8Array): { decoded: ResourceMetrics[]; drops: Drop[] } {
  const drops: Drop[] = [];
  const decoded = decodeExportMetricsServiceRequest(bytes, { onDrop: (reason, path, points) => drops.push({ reason, path, points }) });
  return { decoded, drops };
}

function assertDecodeError(bytes: Uint8Array, expected: string): void {
  assert.throws(
    () => decodeExportMetricsServiceRequest(bytes),
    (error: unknown) => {
      assert.ok(error instanceof OtlpDecodeError, `not an OtlpDecodeError: ${String(error)}`);
      assert.equal(error.message, expected);
      assert.equal(`${error.path}: ${error.problem}`, expected);
      return true;
    },
  );
}

describe('decodeExportMetricsServiceRequest with requests serialized by @opentelemetry/otlp-transformer', () => {
  for (const [name, temporality] of [
    ['cumulative', AggregationTemporality.CUMULATIVE],
    ['delta', AggregationTemporality.DELTA],
  ] as const) {
    it(`decodes every instrument kind, ${name}, field by field`, async () => {
      const { first, second } = await collectSdkMetrics(temporality);
      for (const collected of [first, second]) {
        const bytes = ProtobufMetricsSerializer.serializeRequest(collected);
        assert.ok(bytes !== undefined);
        const decoded = decodeExportMetricsServiceRequest(bytes);
        assertMatchesSdk(decoded, collected);
        const kinds = new Set(decoded[0]!.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.kind)));
        assert.deepStrictEqual([...kinds].sort(), ['exponentialHistogram', 'gauge', 'histogram', 'sum']);
        for (const metric of decoded[0]!.scopeMetrics.flatMap((s) => s.metrics)) {
          if (metric.kind !== 'gauge' && metric.kind !== 'summary') assert.equal(metric.temporality, name, metric.name);
        }
      }
    });
  }

  it('decodes bytes that sit inside a larger buffer (a Buffer slice, a subarray)', async () => {
    const { first } = await collectSdkMetrics(AggregationTemporality.CUMULATIVE);
    const bytes = ProtobufMetricsSerializer.serializeRequest(first)!;
    const padded = new Uint8Array(bytes.length + 19);
    padded.set(bytes, 7);
    assertMatchesSdk(decodeExportMetricsServiceRequest(padded.subarray(7, 7 + bytes.length)), first);
    assertMatchesSdk(decodeExportMetricsServiceRequest(Buffer.from(padded).subarray(7, 7 + bytes.length)), first);
  });

  it('throws only OtlpDecodeError for every truncation and for corrupted bytes of a real request', async () => {
    const { first } = await collectSdkMetrics(AggregationTemporality.DELTA);
    const bytes = ProtobufMetricsSerializer.serializeRequest(first)!;
    for (let length = 1; length < bytes.length; length++) {
      try {
        decodeExportMetricsServiceRequest(bytes.subarray(0, length));
        assert.fail(`a truncation to ${length} of ${bytes.length} bytes decoded`);
      } catch (error) {
        assert.ok(error instanceof OtlpDecodeError, `truncation to ${length}: ${String(error)}`);
      }
    }
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let round = 0; round < 2000; round++) {
      const corrupted = bytes.slice();
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) corrupted[Math.floor(random() * corrupted.length)] = Math.floor(random() * 256);
      try {
        decodeExportMetricsServiceRequest(corrupted);
      } catch (error) {
        assert.ok(error instanceof OtlpDecodeError, `round ${round}: ${String(error)}`);
      }
    }
  });
});

describe('decodeExportMetricsServiceRequest with hand-built requests', () => {
  it('decodes an empty request and a resource_metrics without resource', () => {
    assert.deepStrictEqual(decodeExportMetricsServiceRequest(new Uint8Array(0)), []);
    assert.deepStrictEqual(decodeExportMetricsServiceRequest(message(1)), [{ resource: { attributes: {}, schemaUrl: undefined }, scopeMetrics: [] }]);
  });

  it('decodes resource and scope attributes, schema URLs, merges a resource given twice, and leaves dropped counts out', () => {
    const bytes = message(
      1,
      message(RM.resource, kv(1, 'service.name', string(1, 'checkout')), varint(2, 3)),
      message(
        RM.scopeMetrics,
        message(SM.scope, string(1, 'io.example.lib'), string(2, '2.0.1'), kv(3, 'library.flavor', string(1, 'vanilla')), kv(3, 'shard', varint(3, 4)), varint(4, 9)),
        string(SM.schemaUrl, 'https://opentelemetry.io/schemas/1.21.0'),
      ),
      message(RM.scopeMetrics, message(SM.scope, string(1, 'bare'))),
      string(RM.schemaUrl, 'https://opentelemetry.io/schemas/1.24.0'),
      message(RM.resource, kv(1, 'merged', bool(2, true))),
    );
    assert.deepStrictEqual(decodeOnly(bytes), {
      resource: { attributes: { 'service.name': 'checkout', merged: true }, schemaUrl: 'https://opentelemetry.io/schemas/1.24.0' },
      scopeMetrics: [
        {
          scope: {
            name: 'io.example.lib',
            version: '2.0.1',
            schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
            attributes: { 'library.flavor': 'vanilla', shard: 4 },
          },
          metrics: [],
        },
        { scope: { name: 'bare', version: undefined, schemaUrl: undefined, attributes: undefined }, metrics: [] },
      ],
    });
  });

  it('decodes a summary with quantiles', () => {
    const metric = firstMetric(
      requestWith([
        string(METRIC.name, 'rpc.latency'),
        string(METRIC.description, 'Latency.'),
        string(METRIC.unit, 's'),
        message(
          METRIC.summary,
          message(
            1,
            kv(7, 'rpc.method', string(1, 'Get')),
            fixed64(2, T0),
            fixed64(3, T1),
            fixed64(4, 12),
            double(5, 3.75),
            message(6, double(1, 0.5), double(2, 0.25)),
            message(6, double(1, 0.99), double(2, 1.5)),
            message(6, double(2, 0.001)),
          ),
        ),
      ]),
    );
    assert.deepStrictEqual(metric, {
      name: 'rpc.latency',
      description: 'Latency.',
      unit: 's',
      kind: 'summary',
      points: [
        {
          attributes: { 'rpc.method': 'Get' },
          startTimeMs: T0_MS,
          timeMs: T1_MS,
          count: 12,
          sum: 3.75,
          quantiles: [
            { quantile: 0.5, value: 0.25 },
            { quantile: 0.99, value: 1.5 },
            { quantile: 0, value: 0.001 },
          ],
          exemplars: undefined,
          noRecordedValue: false,
        },
      ],
    });
  });

  it('decodes exemplars with trace and span ids as lower-case hex, on number, histogram and exponential points', () => {
    const traceId = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const spanId = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x0a, 0xff]);
    const exemplar = (field: number) =>
      message(field, kv(7, 'user.id', string(1, 'u-1')), fixed64(2, T1), double(3, 0.042), bytes(4, spanId), bytes(5, traceId));
    const intExemplar = (field: number) => message(field, fixed64(6, -3));
    const metrics = decodeOnly(
      requestWith(
        [string(1, 'c'), message(METRIC.sum, message(1, fixed64(3, T1), double(4, 1), exemplar(5), intExemplar(5)), varint(2, 2), bool(3, true))],
        [string(1, 'h'), message(METRIC.histogram, message(1, fixed64(3, T1), fixed64(4, 1), packedFixed64(6, [1]), exemplar(8)), varint(2, 2))],
        [string(1, 'e'), message(METRIC.exponentialHistogram, message(1, fixed64(3, T1), fixed64(4, 1), exemplar(11)), varint(2, 1))],
      ),
    ).scopeMetrics[0]!.metrics;
    const expected = {
      value: 0.042,
      timeMs: T1_MS,
      traceId: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf',
      spanId: 'deadbeef00010aff',
      attributes: { 'user.id': 'u-1' },
    };
    assert.deepStrictEqual(metrics[0]!.points[0]!.exemplars, [expected, { value: -3, timeMs: undefined, traceId: undefined, spanId: undefined, attributes: undefined }]);
    assert.deepStrictEqual(metrics[1]!.points[0]!.exemplars, [expected]);
    assert.deepStrictEqual(metrics[2]!.points[0]!.exemplars, [expected]);
  });

  it('decodes FLAG_NO_RECORDED_VALUE on every point type and ignores other flag bits', () => {
    const noValue = varint(8, 1);
    const metrics = decodeOnly(
      requestWith(
        [string(1, 'g'), message(METRIC.gauge, message(1, fixed64(3, T1), noValue), message(1, fixed64(3, T1), double(4, 2), varint(8, 2)))],
        [string(1, 'h'), message(METRIC.histogram, message(1, fixed64(3, T1), varint(10, 1)), varint(2, 2))],
        [string(1, 'e'), message(METRIC.exponentialHistogram, message(1, fixed64(3, T1), varint(10, 3)), varint(2, 2))],
        [string(1, 's'), message(METRIC.summary, message(1, fixed64(3, T1), noValue))],
      ),
    ).scopeMetrics[0]!.metrics;
    assert.deepStrictEqual(
      metrics.map((m) => m.points.map((p) => p.noRecordedValue)),
      [[true, false], [true], [true], [true]],
    );
    assert.deepStrictEqual(metrics[0]!.points[0], { attributes: {}, startTimeMs: undefined, timeMs: T1_MS, value: 0, exemplars: undefined, noRecordedValue: true });
  });

  it('decodes every metric type with its fields', () => {
    const metrics = decodeOnly(
      requestWith(
        [string(1, 'up'), message(METRIC.gauge, message(1, kv(7, 'k', string(1, 'v')), fixed64(2, T0), fixed64(3, T1), fixed64(6, -42)))],
        [string(1, 'requests'), message(METRIC.sum, message(1, fixed64(3, T1), double(4, 7.5)), varint(2, 1), bool(3, true))],
        [string(1, 'queue'), message(METRIC.sum, message(1, fixed64(3, T1), fixed64(6, 3)), varint(2, 2))],
        [
          string(1, 'duration'),
          message(
            METRIC.histogram,
            message(1, kv(9, 'k', string(1, 'v')), fixed64(2, T0), fixed64(3, T1), fixed64(4, 6), double(5, 12.5), packedFixed64(6, [1, 2, 3]), packedDouble(7, [1, 10]), double(11, 0.5), double(12, 9)),
            varint(2, 1),
          ),
        ],
        [
          string(1, 'sizes'),
          message(
            METRIC.exponentialHistogram,
            message(
              1,
              kv(1, 'k', string(1, 'v')),
              fixed64(2, T0),
              fixed64(3, T1),
              fixed64(4, 10),
              double(5, -1.5),
              sint32(6, -3),
              fixed64(7, 2),
              message(8, sint32(1, -2), packedVarint(2, [1, 0, 4])),
              message(9, sint32(1, 5), packedVarint(2, [3])),
              double(12, -8),
              double(13, 4),
              double(14, 1e-9),
            ),
            varint(2, 2),
          ),
        ],
      ),
    ).scopeMetrics[0]!.metrics;
    assert.deepStrictEqual(metrics, [
      {
        name: 'up',
        description: '',
        unit: '',
        kind: 'gauge',
        points: [{ attributes: { k: 'v' }, startTimeMs: T0_MS, timeMs: T1_MS, value: -42, exemplars: undefined, noRecordedValue: false }],
      },
      {
        name: 'requests',
        description: '',
        unit: '',
        kind: 'sum',
        monotonic: true,
        temporality: 'delta',
        points: [{ attributes: {}, startTimeMs: undefined, timeMs: T1_MS, value: 7.5, exemplars: undefined, noRecordedValue: false }],
      },
      {
        name: 'queue',
        description: '',
        unit: '',
        kind: 'sum',
        monotonic: false,
        temporality: 'cumulative',
        points: [{ attributes: {}, startTimeMs: undefined, timeMs: T1_MS, value: 3, exemplars: undefined, noRecordedValue: false }],
      },
      {
        name: 'duration',
        description: '',
        unit: '',
        kind: 'histogram',
        temporality: 'delta',
        points: [
          {
            attributes: { k: 'v' },
            startTimeMs: T0_MS,
            timeMs: T1_MS,
            count: 6,
            sum: 12.5,
            bounds: [1, 10],
            counts: [1, 2, 3],
            exemplars: undefined,
            noRecordedValue: false,
          },
        ],
      },
      {
        name: 'sizes',
        description: '',
        unit: '',
        kind: 'exponentialHistogram',
        temporality: 'cumulative',
        points: [
          {
            attributes: { k: 'v' },
            startTimeMs: T0_MS,
            timeMs: T1_MS,
            count: 10,
            sum: -1.5,
            scale: -3,
            zeroCount: 2,
            zeroThreshold: 1e-9,
            positive: { offset: -2, counts: [1, 0, 4] },
            negative: { offset: 5, counts: [3] },
            exemplars: undefined,
            noRecordedValue: false,
          },
        ],
      },
    ]);
  });

  it('reads repeated numbers both packed (in several chunks) and unpacked', () => {
    const metrics = decodeOnly(
      requestWith(
        [
          string(1, 'h'),
          message(
            METRIC.histogram,
            message(1, fixed64(3, T1), fixed64(4, 6), fixed64(6, 1), packedFixed64(6, [2]), fixed64(6, 3), double(7, 1), packedDouble(7, []), packedDouble(7, [10])),
            message(1, fixed64(3, T1), fixed64(4, 6), packedFixed64(6, [1]), packedFixed64(6, [2, 3]), packedDouble(7, [1]), double(7, 10)),
            varint(2, 2),
          ),
        ],
        [string(1, 'e'), message(METRIC.exponentialHistogram, message(1, fixed64(3, T1), message(8, varint(2, 1), packedVarint(2, [2, 3]), varint(2, 2 ** 40))), varint(2, 2))],
      ),
    ).scopeMetrics[0]!.metrics;
    const [histogram, exponential] = metrics as [OtelMetric, OtelMetric];
    assert.ok(histogram.kind === 'histogram');
    assert.deepStrictEqual(
      histogram.points.map((p) => [p.bounds, p.counts]),
      [
        [
          [1, 10],
          [1, 2, 3],
        ],
        [
          [1, 10],
          [1, 2, 3],
        ],
      ],
    );
    assert.ok(exponential.kind === 'exponentialHistogram');
    assert.deepStrictEqual(exponential.points[0]!.positive, { offset: 0, counts: [1, 2, 3, 2 ** 40] });
  });

  it('turns a histogram point without buckets into a single +Inf bucket', () => {
    const metric = firstMetric(requestWith([string(1, 'h'), message(METRIC.histogram, message(1, fixed64(3, T1), fixed64(4, 7), double(5, 70)), varint(2, 2))]));
    assert.ok(metric.kind === 'histogram');
    assert.deepStrictEqual([metric.points[0]!.bounds, metric.points[0]!.counts, metric.points[0]!.count], [[], [7], 7]);
  });

  it('decodes AnyValue of every type, nested arrays and maps, empty values, and int64 beyond 2^53 as bigint', () => {
    const metric = firstMetric(
      requestWith([
        string(1, 'g'),
        message(
          METRIC.gauge,
          message(
            1,
            fixed64(3, T1),
            kv(7, 'string', string(1, 'héllo ✓ 😀')),
            kv(7, 'bool', bool(2, false)),
            kv(7, 'int', varint(3, 42)),
            kv(7, 'negative', varint(3, -1)),
            kv(7, 'maxSafe', varint(3, 2 ** 53 - 1)),
            kv(7, 'minSafe', varint(3, -(2 ** 53 - 1))),
            kv(7, 'twoTo53', varint(3, 2n ** 53n)),
            kv(7, 'minusTwoTo53', varint(3, -(2n ** 53n))),
            kv(7, 'int64Max', varint(3, 2n ** 63n - 1n)),
            kv(7, 'int64Min', varint(3, -(2n ** 63n))),
            kv(7, 'double', double(4, -0.125)),
            kv(7, 'nan', double(4, NaN)),
            kv(7, 'bytes', bytes(7, Uint8Array.from([1, 2, 255]))),
            kv(7, 'empty'),
            kv(7, 'array', message(5, message(1, string(1, 'a')), message(1, varint(3, 1)), message(1), message(1, message(5, message(1, bool(2, true)))))),
            kv(7, 'map', message(6, kv(1, 'x', double(4, 1.5)), kv(1, 'nested', message(6, kv(1, 'y', string(1, 'z')))))),
            kv(7, 'emptyArray', message(5)),
            kv(7, 'emptyMap', message(6)),
            kv(7, 'dup', string(1, 'first')),
            kv(7, 'dup', string(1, 'second')),
            kv(7, '__proto__', string(1, 'not a prototype')),
            kv(7, 'lastWins', string(1, 'a'), varint(3, 7)),
          ),
        ),
      ]),
    );
    const attributes = metric.points[0]!.attributes;
    assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
    assert.ok(Object.hasOwn(attributes, '__proto__'));
    assert.deepStrictEqual({ ...attributes }, {
      string: 'héllo ✓ 😀',
      bool: false,
      int: 42,
      negative: -1,
      maxSafe: 2 ** 53 - 1,
      minSafe: -(2 ** 53 - 1),
      twoTo53: 2n ** 53n,
      minusTwoTo53: -(2n ** 53n),
      int64Max: 2n ** 63n - 1n,
      int64Min: -(2n ** 63n),
      double: -0.125,
      nan: NaN,
      bytes: Uint8Array.from([1, 2, 255]),
      empty: null,
      array: ['a', 1, null, [true]],
      map: { x: 1.5, nested: { y: 'z' } },
      emptyArray: [],
      emptyMap: {},
      dup: 'second',
      ['__proto__']: 'not a prototype',
      lastWins: 7,
    });
  });

  it('reads 64-bit numbers exactly: counts beyond 2^32, integer values beyond 2^53, negative integers, nanosecond times', () => {
    const metrics = decodeOnly(
      requestWith(
        [string(1, 'g'), message(METRIC.gauge, message(1, fixed64(2, 1n), fixed64(3, 0xffff_ffff_ffff_ffffn), fixed64(6, 2n ** 60n)), message(1, fixed64(3, 1_700_000_000_123_456_789n), fixed64(6, -(2n ** 40n))))],
        [string(1, 'h'), message(METRIC.histogram, message(1, fixed64(3, T1), fixed64(4, 5_000_000_000), packedFixed64(6, [5_000_000_000])), varint(2, 2))],
      ),
    ).scopeMetrics[0]!.metrics;
    const [gauge, histogram] = metrics as [OtelMetric, OtelMetric];
    assert.ok(gauge.kind === 'gauge');
    const [big, negative] = gauge.points as [NumberPoint, NumberPoint];
    assert.equal(big.value, 2 ** 60);
    assert.equal(big.startTimeMs, 1e-6);
    assert.ok(Math.abs(big.timeMs - (18_446_744_073_709 + 0.551615)) < 1e-3);
    assert.equal(negative.value, -(2 ** 40));
    assert.ok(Math.abs(negative.timeMs - (1_700_000_000_123 + 0.456789)) < 1e-3, String(negative.timeMs));
    assert.ok(histogram.kind === 'histogram');
    assert.equal(histogram.points[0]!.count, 5_000_000_000);
    assert.deepStrictEqual(histogram.points[0]!.counts, [5_000_000_000]);
  });

  it('keeps the last of a oneof, as protobuf does', () => {
    const metric = firstMetric(requestWith([string(1, 'm'), message(METRIC.gauge, message(1, fixed64(3, T1), double(4, 1))), message(METRIC.sum, message(1, fixed64(3, T1), double(4, 1.5), fixed64(6, 9)), varint(2, 2))]));
    assert.equal(metric.kind, 'sum');
    assert.equal((metric.points[0] as { value: number }).value, 9);
  });

  it('turns invalid UTF-8 in strings into U+FFFD', () => {
    const invalid = (field: number) => bytes(field, Uint8Array.from([0x61, 0xff, 0x62, 0xe2, 0x82]));
    const decoded = decodeOnly(message(1, message(RM.resource, message(1, invalid(1), message(2, invalid(1)))), message(RM.scopeMetrics, message(SM.scope, invalid(1)))));
    assert.deepStrictEqual(decoded.resource.attributes, { 'a\ufffdb\ufffd': 'a\ufffdb\ufffd' });
    assert.equal(decoded.scopeMetrics[0]!.scope.name, 'a\ufffdb\ufffd');
  });

  it('gives the right strings across requests, with more distinct strings than its string cache holds', () => {
    const keys = Array.from({ length: 12_000 }, (_, i) => `k${i}`.padEnd(1 + (i % 80), String.fromCharCode(97 + (i % 26))));
    const values = Array.from({ length: 12_000 }, (_, i) => `${'é'.repeat(i % 40)}v${i}`);
    const bytes = message(1, message(RM.resource, ...keys.map((key, i) => kv(1, key, string(1, values[i]!)))));
    const expected = Object.fromEntries(keys.map((key, i) => [key, values[i]!]));
    for (let round = 0; round < 3; round++) assert.deepStrictEqual(decodeOnly(bytes).resource.attributes, expected);
    const swapped = message(1, message(RM.resource, ...keys.map((key, i) => kv(1, values[i]!, string(1, key)))));
    assert.deepStrictEqual(decodeOnly(swapped).resource.attributes, Object.fromEntries(keys.map((key, i) => [values[i]!, key])));
  });

  it('skips unknown fields of every wire type in every message', () => {
    const build = (unknown: boolean) => {
      const u = unknown
        ? concat(varint(1000, 7), varint(1001, -1), fixed64(1002, 5), string(1003, 'future'), message(1004, string(1, 'nested')), fixed32(1005, 9), group(1006, varint(1, 1), group(2, fixed32(3, 1)), string(4, 'x')))
        : new Uint8Array(0);
      const attribute = (field: number) => message(field, u, string(1, 'k'), message(2, u, message(5, u, message(1, u, string(1, 'v'))), u), u);
      const exemplar = (field: number) => message(field, u, fixed64(2, T0), double(3, 1), attribute(7));
      return message(
        1,
        u,
        message(RM.resource, u, attribute(1), varint(2, 0), u),
        message(
          RM.scopeMetrics,
          u,
          message(SM.scope, u, string(1, 's'), attribute(3), u),
          message(SM.metrics, u, string(1, 'g'), message(METRIC.gauge, u, message(1, u, fixed64(3, T1), double(4, 2), attribute(7), exemplar(5), u)), u, kv(METRIC.metadata, 'meta', string(1, 'x'))),
          message(SM.metrics, string(1, 's'), message(METRIC.sum, u, message(1, fixed64(3, T1), u, fixed64(6, 1)), u, varint(2, 2), bool(3, true))),
          message(SM.metrics, string(1, 'h'), message(METRIC.histogram, message(1, u, fixed64(3, T1), fixed64(4, 1), packedFixed64(6, [1]), exemplar(8)), u, varint(2, 2))),
          message(
            SM.metrics,
            string(1, 'e'),
            message(METRIC.exponentialHistogram, message(1, u, fixed64(3, T1), message(8, u, sint32(1, 1), packedVarint(2, [1]), u), exemplar(11)), u, varint(2, 2)),
          ),
          message(SM.metrics, string(1, 'q'), message(METRIC.summary, message(1, u, fixed64(3, T1), message(6, u, double(1, 0.5), u)), u)),
        ),
        u,
      );
    };
    const plain = decodeExportMetricsServiceRequest(build(false));
    assert.equal(plain[0]!.scopeMetrics[0]!.metrics.length, 5);
    assert.deepStrictEqual(decodeExportMetricsServiceRequest(build(true)), plain);
  });

  it('reports what it leaves out through onDrop: metrics without data, invalid temporality, mismatched buckets, profiling fields', () => {
    const { decoded, drops } = decodeWithDrops(
      concat(
        message(1, message(RM.resource, message(1, varint(3, 5), message(2, string(1, 'v'))))),
        requestWith(
          [string(1, 'no-data'), string(METRIC.unit, 's')],
          [string(1, 'unspecified'), message(METRIC.sum, message(1, fixed64(3, T1)), message(1, fixed64(3, T1)))],
          [string(1, 'unknown-temporality'), message(METRIC.histogram, message(1, fixed64(3, T1)), varint(2, 3))],
          [
            string(1, 'buckets'),
            message(METRIC.histogram, message(1, fixed64(3, T1), fixed64(4, 1), packedFixed64(6, [1])), message(1, fixed64(3, T1), packedFixed64(6, [1, 0]), packedDouble(7, [1, 2])), varint(2, 2)),
          ],
          [string(1, 'kept'), message(METRIC.gauge, message(1, fixed64(3, T1), kv(7, 'k', varint(8, 3))))],
        ),
      ),
    );
    assert.deepStrictEqual(drops, [
      { reason: 'profiling_field_ignored', path: 'resource_metrics[0].resource.attributes[0]', points: 0 },
      { reason: 'metric_without_data', path: 'resource_metrics[1].scope_metrics[0].metrics[0]', points: 0 },
      { reason: 'invalid_temporality', path: 'resource_metrics[1].scope_metrics[0].metrics[1]', points: 2 },
      { reason: 'invalid_temporality', path: 'resource_metrics[1].scope_metrics[0].metrics[2]', points: 1 },
      { reason: 'invalid_histogram_buckets', path: 'resource_metrics[1].scope_metrics[0].metrics[3].histogram.data_points[1]', points: 1 },
      { reason: 'profiling_field_ignored', path: 'resource_metrics[1].scope_metrics[0].metrics[4].gauge.data_points[0].attributes[0].value', points: 0 },
    ]);
    assert.deepStrictEqual(decoded[0]!.resource.attributes, { '': 'v' });
    const metrics = decoded[1]!.scopeMetrics[0]!.metrics;
    assert.deepStrictEqual(
      metrics.map((m) => [m.name, m.points.length]),
      [
        ['buckets', 1],
        ['kept', 1],
      ],
    );
    assert.deepStrictEqual(metrics[1]!.points[0]!.attributes, { k: null });
  });

  it('reuses its state safely when a drop callback decodes another request', () => {
    const inner = requestWith([string(1, 'inner'), message(METRIC.gauge, message(1, fixed64(3, T1), double(4, 1)))]);
    const outer = requestWith([string(1, 'no-data')], [string(1, 'outer'), message(METRIC.gauge, message(1, fixed64(3, T1), double(4, 2)))]);
    let innerName = '';
    const decoded = decodeExportMetricsServiceRequest(outer, {
      onDrop: () => {
        innerName = decodeExportMetricsServiceRequest(inner)[0]!.scopeMetrics[0]!.metrics[0]!.name;
      },
    });
    assert.equal(innerName, 'inner');
    assert.equal(decoded[0]!.scopeMetrics[0]!.metrics[0]!.name, 'outer');
    assert.equal(firstMetric(inner).name, 'inner');
  });
});

describe('decodeExportMetricsServiceRequest with malformed requests', () => {
  const sumPoint = (...fields: Uint8Array[]) => [string(1, 'c'), message(METRIC.sum, message(1, ...fields), varint(2, 2))];
  /** scope_metrics[1].metrics[2], so that the paths show indices. */
  const deep = (...pointBytes: Uint8Array[]) =>
    message(
      1,
      message(RM.scopeMetrics),
      message(
        RM.scopeMetrics,
        message(SM.metrics, string(1, 'a'), message(METRIC.gauge)),
        message(SM.metrics, string(1, 'b'), message(METRIC.gauge)),
        message(SM.metrics, string(1, 'c'), message(METRIC.sum, bytes(1, concat(...pointBytes)), varint(2, 2))),
      ),
    );
  const cases: [string, Uint8Array, string][] = [
    ['a truncated tag in a data point', deep(fixed64(3, T1), Uint8Array.of(0x80)), 'resource_metrics[0].scope_metrics[1].metrics[2].sum.data_points[0]: truncated varint'],
    ['a truncated varint value', deep(fixed64(3, T1), tag(8, VARINT), Uint8Array.of(0xff, 0xff)), 'resource_metrics[0].scope_metrics[1].metrics[2].sum.data_points[0].flags: truncated varint'],
    ['a varint of 11 bytes', deep(tag(8, VARINT), new Uint8Array(10).fill(0xff), Uint8Array.of(1)), 'resource_metrics[0].scope_metrics[1].metrics[2].sum.data_points[0].flags: varint longer than 10 bytes'],
    ['a truncated fixed64', deep(tag(3, I64), Uint8Array.of(1, 2, 3)), 'resource_metrics[0].scope_metrics[1].metrics[2].sum.data_points[0].time_unix_nano: truncated 64-bit value'],
    ['a string longer than its message', requestWith([tag(1, LEN), varintBytes(10), Uint8Array.of(0x61, 0x62, 0x63)]), 'resource_metrics[0].scope_metrics[0].metrics[0].name: length 10 runs past the end (3 bytes left)'],
    ['a message longer than the request', concat(tag(1, LEN), varintBytes(50), Uint8Array.of(0, 0)), 'resource_metrics[0]: length 50 runs past the end (2 bytes left)'],
    ['a length beyond 2^32', concat(tag(1, LEN), varintBytes(2n ** 40n)), 'resource_metrics[0]: length 1099511627776 runs past the end (0 bytes left)'],
    ['a nested message longer than its parent', message(1, message(RM.scopeMetrics, tag(SM.metrics, LEN), varintBytes(4), string(1, 'x'))), 'resource_metrics[0].scope_metrics[0].metrics[0]: length 4 runs past the end (3 bytes left)'],
    ['a string field as a varint', requestWith([varint(1, 5)]), 'resource_metrics[0].scope_metrics[0].metrics[0].name: wire type VARINT where LEN is expected'],
    ['a time as a varint', deep(varint(3, 5)), 'resource_metrics[0].scope_metrics[1].metrics[2].sum.data_points[0].time_unix_nano: wire type VARINT where I64 is expected'],
    ['a message as a fixed64', concat(fixed64(1, 5)), 'resource_metrics: wire type I64 where LEN is expected'],
    [
      'bucket counts as varints',
      requestWith([string(1, 'h'), message(METRIC.histogram, message(1, varint(6, 1)))]),
      'resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[0].bucket_counts: wire type VARINT where I64 or LEN is expected',
    ],
    ['a temporality as a string', requestWith([string(1, 'c'), message(METRIC.sum, string(2, 'DELTA'))]), 'resource_metrics[0].scope_metrics[0].metrics[0].sum.aggregation_temporality: wire type LEN where VARINT is expected'],
    [
      'packed doubles not a multiple of 8 bytes',
      requestWith([string(1, 'h'), message(METRIC.histogram, message(1, bytes(7, new Uint8Array(12))))]),
      'resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[0].explicit_bounds: packed length 12 is not a multiple of 8',
    ],
    ['a trace id of 5 bytes', requestWith(sumPoint(message(5, bytes(5, new Uint8Array(5))))), 'resource_metrics[0].scope_metrics[0].metrics[0].sum.data_points[0].exemplars[0].trace_id: 5 bytes, expected 16'],
    ['a span id of 16 bytes', requestWith(sumPoint(message(5, bytes(4, new Uint8Array(16))))), 'resource_metrics[0].scope_metrics[0].metrics[0].sum.data_points[0].exemplars[0].span_id: 16 bytes, expected 8'],
    ['field number 0', Uint8Array.of(0x02, 0x00), 'request: invalid field number 0'],
    ['a tag beyond 32 bits', message(1, varintBytes(2n ** 35n + 2n)), 'resource_metrics[0]: tag beyond 32 bits'],
    ['wire type 7', message(1, tag(15, 7)), 'resource_metrics[0].(field 15): invalid wire type 7'],
    ['an end-group without a start', message(1, tag(15, 4)), 'resource_metrics[0].(field 15): end-group without a start-group'],
    ['a group without an end', message(1, tag(15, 3), varint(1, 1)), 'resource_metrics[0].(field 15): group without an end-group'],
    ['a group closed by another field', message(1, tag(15, 3), tag(16, 4)), 'resource_metrics[0].(field 15): end-group of field 16 inside a group of field 15'],
    ['a truncated unknown fixed32', message(1, tag(15, 5), Uint8Array.of(1)), 'resource_metrics[0].(field 15): truncated 32-bit value'],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`throws for ${name}`, () => assertDecodeError(bytes, expected));
  }

  it('accepts nesting to depth 32 and refuses depth 33', () => {
    // resource_metrics (1) > resource (2) > attributes (3) > value (4), then 2 per nested array.
    const nested = (levels: number) => {
      let value = string(1, 'leaf');
      for (let i = 0; i < levels; i++) value = message(5, message(1, value));
      return message(1, message(RM.resource, kv(1, 'deep', value)));
    };
    let expected: unknown = 'leaf';
    for (let i = 0; i < 14; i++) expected = [expected];
    assert.deepStrictEqual(decodeOnly(nested(14)).resource.attributes, { deep: expected });
    assertDecodeError(nested(15), `resource_metrics[0].resource.attributes[0].value${'.array_value.values[0]'.repeat(14)}.array_value: nesting depth exceeds 32`);
    assertDecodeError(nested(1000), `resource_metrics[0].resource.attributes[0].value${'.array_value.values[0]'.repeat(14)}.array_value: nesting depth exceeds 32`);
  });

  it('refuses groups nested past depth 32', () => {
    let bytes: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 40; i++) bytes = group(15, bytes);
    assertDecodeError(message(1, bytes), 'resource_metrics[0].(field 15): nesting depth exceeds 32');
  });
});
