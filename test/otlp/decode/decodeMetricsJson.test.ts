import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '../../../src/otelData/otelData.ts';
import { decodeExportMetricsServiceRequestJson } from '../../../src/otlp/decode/json/decodeExportMetricsServiceRequestJson.ts';
import { decodeExportMetricsServiceRequest } from '../../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { OtlpDecodeError } from '../../../src/otlp/decode/OtlpDecodeError.ts';
import type { OtlpDropReason } from '../../../src/otlp/decode/OtlpDecodeOptions.ts';
import { assertMatchesSdk, assertSameModel, collectSdkMetrics } from '../sdkFixtures.ts';

const T0 = '1700000000000000000';
const T1 = '1700000000001500000';
const T0_MS = 1_700_000_000_000;
const T1_MS = 1_700_000_000_001.5;

/** One resource, one scope, the given metrics. */
function requestWith(...metrics: unknown[]): string {
  return JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ scope: { name: 'scope' }, metrics }] }] });
}

function decodeOnly(body: string): ResourceMetrics {
  const decoded = decodeExportMetricsServiceRequestJson(body);
  assert.equal(decoded.length, 1);
  return decoded[0]!;
}

function metricsOf(body: string) {
  return decodeOnly(body).scopeMetrics[0]!.metrics;
}

function assertDecodeError(body: string, expected: string): void {
  assert.throws(
    () => decodeExportMetricsServiceRequestJson(body),
    (error: unknown) => {
      assert.ok(error instanceof OtlpDecodeError, `not an OtlpDecodeError: ${String(error)}`);
      assert.equal(error.message, expected);
      return true;
    },
  );
}

describe('decodeExportMetricsServiceRequestJson with requests serialized by @opentelemetry/otlp-transformer', () => {
  for (const [name, temporality] of [
    ['cumulative', AggregationTemporality.CUMULATIVE],
    ['delta', AggregationTemporality.DELTA],
  ] as const) {
    it(`decodes every instrument kind, ${name}, field by field, as the protobuf decoder does`, async () => {
      const { first, second } = await collectSdkMetrics(temporality);
      for (const collected of [first, second]) {
        const json = JsonMetricsSerializer.serializeRequest(collected);
        assert.ok(json !== undefined);
        const decoded = decodeExportMetricsServiceRequestJson(json);
        assertMatchesSdk(decoded, collected);
        assert.deepStrictEqual(decodeExportMetricsServiceRequestJson(new TextDecoder().decode(json)), decoded);
        assertSameModel(decoded, decodeExportMetricsServiceRequest(ProtobufMetricsSerializer.serializeRequest(collected)!));
      }
    });
  }
});

describe('decodeExportMetricsServiceRequestJson with hand-built requests', () => {
  it('decodes resource and scope attributes, schema URLs, and every metric type', () => {
    const body = JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }], droppedAttributesCount: 2 },
          schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
          scopeMetrics: [
            {
              scope: { name: 'lib', version: '2.0.1', attributes: [{ key: 'shard', value: { intValue: '4' } }], droppedAttributesCount: 1 },
              schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
              metrics: [
                { name: 'up', gauge: { dataPoints: [{ attributes: [{ key: 'k', value: { stringValue: 'v' } }], startTimeUnixNano: T0, timeUnixNano: T1, asInt: '-42' }] } },
                {
                  name: 'requests',
                  description: 'Requests.',
                  unit: '{request}',
                  sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: T1, asDouble: 7.5 }] },
                },
                {
                  name: 'duration',
                  histogram: {
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    dataPoints: [{ timeUnixNano: T1, count: '6', sum: 12.5, bucketCounts: ['1', 2, '3'], explicitBounds: [1, '10'], min: 0.5, max: 9 }],
                  },
                },
                {
                  name: 'sizes',
                  exponentialHistogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        startTimeUnixNano: T0,
                        timeUnixNano: T1,
                        count: 10,
                        sum: -1.5,
                        scale: -3,
                        zeroCount: '2',
                        zeroThreshold: 1e-9,
                        positive: { offset: -2, bucketCounts: ['1', '0', '4'] },
                        negative: { offset: 5, bucketCounts: [3] },
                      },
                    ],
                  },
                },
                {
                  name: 'rpc.latency',
                  summary: {
                    dataPoints: [
                      {
                        timeUnixNano: T1,
                        count: '12',
                        sum: 3.75,
                        quantileValues: [{ quantile: 0.5, value: 0.25 }, { quantile: 0.99, value: 1.5 }, { value: 0.001 }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    assert.deepStrictEqual(decodeExportMetricsServiceRequestJson(body), [
      {
        resource: { attributes: { 'service.name': 'checkout' }, schemaUrl: 'https://opentelemetry.io/schemas/1.24.0' },
        scopeMetrics: [
          {
            scope: { name: 'lib', version: '2.0.1', schemaUrl: 'https://opentelemetry.io/schemas/1.21.0', attributes: { shard: 4 } },
            metrics: [
              {
                name: 'up',
                description: '',
                unit: '',
                kind: 'gauge',
                points: [{ attributes: { k: 'v' }, startTimeMs: T0_MS, timeMs: T1_MS, value: -42, exemplars: undefined, noRecordedValue: false }],
              },
              {
                name: 'requests',
                description: 'Requests.',
                unit: '{request}',
                kind: 'sum',
                monotonic: true,
                temporality: 'delta',
                points: [{ attributes: {}, startTimeMs: undefined, timeMs: T1_MS, value: 7.5, exemplars: undefined, noRecordedValue: false }],
              },
              {
                name: 'duration',
                description: '',
                unit: '',
                kind: 'histogram',
                temporality: 'delta',
                points: [
                  { attributes: {}, startTimeMs: undefined, timeMs: T1_MS, count: 6, sum: 12.5, bounds: [1, 10], counts: [1, 2, 3], exemplars: undefined, noRecordedValue: false },
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
                    attributes: {},
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
              {
                name: 'rpc.latency',
                description: '',
                unit: '',
                kind: 'summary',
                points: [
                  {
                    attributes: {},
                    startTimeMs: undefined,
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
              },
            ],
          },
        ],
      },
    ]);
  });

  it('accepts snake_case field names, enum names, null for defaults, and ignores unknown fields', () => {
    const camel = requestWith(
      { name: 'e', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: T0, timeUnixNano: T1, zeroCount: 1, zeroThreshold: 0.5, positive: { bucketCounts: [1] } }] } },
      { name: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: T1, asInt: 3, exemplars: [{ timeUnixNano: T0, asDouble: 1, traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), filteredAttributes: [{ key: 'a', value: { stringValue: 'b' } }] }] }] } },
    );
    const snake = JSON.stringify({
      resource_metrics: [
        {
          schema_url: null,
          future_field: { deeply: [{ nested: true }] },
          scope_metrics: [
            {
              scope: { name: 'scope', version: null, attributes: null },
              metrics: [
                {
                  name: 'e',
                  description: null,
                  exponential_histogram: {
                    aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
                    data_points: [{ start_time_unix_nano: T0, time_unix_nano: T1, zero_count: '1', zero_threshold: '0.5', positive: { offset: null, bucket_counts: ['1'] }, negative: null, flags: null }],
                  },
                  metadata: [{ key: 'm', value: { stringValue: 'x' } }],
                },
                {
                  name: 's',
                  gauge: null,
                  sum: {
                    aggregation_temporality: 2,
                    is_monotonic: true,
                    data_points: [
                      {
                        time_unix_nano: T1,
                        as_int: '3',
                        attributes: null,
                        exemplars: [{ time_unix_nano: T0, as_double: 1, trace_id: 'AB'.repeat(16), span_id: 'CD'.repeat(8), filtered_attributes: [{ key: 'a', value: { string_value: 'b' } }] }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    assert.deepStrictEqual(decodeExportMetricsServiceRequestJson(snake), decodeExportMetricsServiceRequestJson(camel));
    const exemplars = metricsOf(snake)[1]!.points[0]!.exemplars;
    assert.deepStrictEqual(exemplars, [{ value: 1, timeMs: T0_MS, traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: { a: 'b' } }]);
  });

  it('decodes exemplars (hex ids lower-cased, int values) and FLAG_NO_RECORDED_VALUE', () => {
    const exemplar = { filteredAttributes: [{ key: 'user.id', value: { stringValue: 'u-1' } }], timeUnixNano: T1, asDouble: 0.042, spanId: 'DEADBEEF00010AFF', traceId: 'A0A1A2A3A4A5A6A7A8A9AAABACADAEAF' };
    const metrics = metricsOf(
      requestWith(
        { name: 'c', sum: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T1, asDouble: 1, exemplars: [exemplar, { asInt: '-3' }] }, { timeUnixNano: T1, flags: 1 }] } },
        { name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T1, count: 1, bucketCounts: [1], exemplars: [exemplar], flags: '3' }] } },
        { name: 'e', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T1, exemplars: [exemplar], flags: 2 }] } },
        { name: 'q', summary: { dataPoints: [{ timeUnixNano: T1, flags: 1 }] } },
      ),
    );
    const expected = { value: 0.042, timeMs: T1_MS, traceId: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', spanId: 'deadbeef00010aff', attributes: { 'user.id': 'u-1' } };
    assert.deepStrictEqual(metrics[0]!.points[0]!.exemplars, [expected, { value: -3, timeMs: undefined, traceId: undefined, spanId: undefined, attributes: undefined }]);
    assert.deepStrictEqual(metrics[1]!.points[0]!.exemplars, [expected]);
    assert.deepStrictEqual(metrics[2]!.points[0]!.exemplars, [expected]);
    assert.deepStrictEqual(
      metrics.map((m) => m.points.map((p) => p.noRecordedValue)),
      [[false, true], [true], [false], [true]],
    );
  });

  it('decodes AnyValue of every type: int64 as strings or numbers (bigint beyond 2^53), non-finite doubles as strings, base64 bytes', () => {
    const attributes = [
      ['string', { stringValue: 'héllo ✓ 😀' }],
      ['bool', { boolValue: false }],
      ['int', { intValue: 42 }],
      ['intString', { intValue: '-7' }],
      ['maxSafe', { intValue: String(2 ** 53 - 1) }],
      ['twoTo53', { intValue: '9007199254740992' }],
      ['int64Min', { intValue: '-9223372036854775808' }],
      ['bigNumber', { intValue: 2 ** 60 }],
      ['double', { doubleValue: -0.125 }],
      ['doubleString', { doubleValue: '2.5' }],
      ['nan', { doubleValue: 'NaN' }],
      ['inf', { doubleValue: 'Infinity' }],
      ['negInf', { doubleValue: '-Infinity' }],
      ['bytes', { bytesValue: 'AQL/' }],
      ['urlSafeBytes', { bytesValue: 'AQL_' }],
      ['unpadded', { bytesValue: 'AQ' }],
      ['empty', {}],
      ['nullValue', { stringValue: null }],
      ['array', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, {}, { arrayValue: { values: [{ boolValue: true }] } }] } }],
      ['map', { kvlistValue: { values: [{ key: 'x', value: { doubleValue: 1.5 } }, { key: 'nested', value: { kvlistValue: { values: [{ key: 'y', value: { stringValue: 'z' } }] } } }] } }],
      ['emptyArray', { arrayValue: {} }],
      ['emptyMap', { kvlistValue: { values: [] } }],
      ['dup', { stringValue: 'first' }],
      ['dup', { stringValue: 'second' }],
      ['__proto__', { stringValue: 'not a prototype' }],
    ].map(([key, value]) => ({ key, value }));
    const decoded = metricsOf(requestWith({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: T1, asDouble: 1, attributes }] } }))[0]!.points[0]!.attributes;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.ok(Object.hasOwn(decoded, '__proto__'));
    assert.deepStrictEqual({ ...decoded }, {
      string: 'héllo ✓ 😀',
      bool: false,
      int: 42,
      intString: -7,
      maxSafe: 2 ** 53 - 1,
      twoTo53: 2n ** 53n,
      int64Min: -(2n ** 63n),
      bigNumber: 2n ** 60n,
      double: -0.125,
      doubleString: 2.5,
      nan: NaN,
      inf: Infinity,
      negInf: -Infinity,
      bytes: Uint8Array.from([1, 2, 255]),
      urlSafeBytes: Uint8Array.from([1, 2, 255]),
      unpadded: Uint8Array.from([1]),
      empty: null,
      nullValue: null,
      array: ['a', 1, null, [true]],
      map: { x: 1.5, nested: { y: 'z' } },
      emptyArray: [],
      emptyMap: {},
      dup: 'second',
      ['__proto__']: 'not a prototype',
    });
  });

  it('reads times given as nanosecond strings precisely, and as numbers', () => {
    const [metric] = metricsOf(
      requestWith({ name: 'g', gauge: { dataPoints: [{ startTimeUnixNano: '1', timeUnixNano: '1700000000123456789' }, { startTimeUnixNano: '0', timeUnixNano: Number('1700000000123456789') }, { timeUnixNano: '999999' }] } }),
    );
    const [a, b, c] = metric!.points;
    assert.equal(a!.startTimeMs, 1e-6);
    assert.ok(Math.abs(a!.timeMs - (1_700_000_000_123 + 0.456789)) < 1e-3);
    assert.equal(b!.startTimeMs, undefined);
    assert.ok(Math.abs(b!.timeMs - (1_700_000_000_123 + 0.456789)) < 1e-3);
    assert.equal(c!.timeMs, 0.999999);
  });

  it('accepts the body as UTF-8 bytes', () => {
    const body = requestWith({ name: 'é', gauge: { dataPoints: [{ timeUnixNano: T1, asDouble: 1 }] } });
    assert.deepStrictEqual(decodeExportMetricsServiceRequestJson(new TextEncoder().encode(body)), decodeExportMetricsServiceRequestJson(body));
  });

  it('reports what it leaves out through onDrop', () => {
    const drops: [OtlpDropReason, string, number][] = [];
    const decoded = decodeExportMetricsServiceRequestJson(
      JSON.stringify({
        resourceMetrics: [
          { resource: { attributes: [{ keyStrindex: 3, value: { stringValue: 'v' } }] } },
          {
            scopeMetrics: [
              {
                metrics: [
                  { name: 'no-data', unit: 's' },
                  { name: 'unspecified', sum: { dataPoints: [{ timeUnixNano: T1 }, { timeUnixNano: T1 }] } },
                  { name: 'unknown-temporality', histogram: { aggregationTemporality: 3, dataPoints: [{ timeUnixNano: T1 }] } },
                  { name: 'buckets', histogram: { aggregationTemporality: 2, dataPoints: [{ count: 1, bucketCounts: [1] }, { bucketCounts: [1, 0], explicitBounds: [1, 2] }] } },
                  { name: 'kept', gauge: { dataPoints: [{ attributes: [{ key: 'k', value: { stringValueStrindex: 3 } }] }] } },
                ],
              },
            ],
          },
        ],
      }),
      { onDrop: (reason, path, points) => drops.push([reason, path, points]) },
    );
    assert.deepStrictEqual(drops, [
      ['profiling_field_ignored', 'resourceMetrics[0].resource.attributes[0]', 0],
      ['metric_without_data', 'resourceMetrics[1].scopeMetrics[0].metrics[0]', 0],
      ['invalid_temporality', 'resourceMetrics[1].scopeMetrics[0].metrics[1]', 2],
      ['invalid_temporality', 'resourceMetrics[1].scopeMetrics[0].metrics[2]', 1],
      ['invalid_histogram_buckets', 'resourceMetrics[1].scopeMetrics[0].metrics[3].histogram.dataPoints[1]', 1],
      ['profiling_field_ignored', 'resourceMetrics[1].scopeMetrics[0].metrics[4].gauge.dataPoints[0].attributes[0].value', 0],
    ]);
    assert.deepStrictEqual(decoded[0]!.resource.attributes, { '': 'v' });
    assert.deepStrictEqual(
      decoded[1]!.scopeMetrics[0]!.metrics.map((m) => [m.name, m.points.length]),
      [
        ['buckets', 1],
        ['kept', 1],
      ],
    );
  });
});

describe('decodeExportMetricsServiceRequestJson with malformed requests', () => {
  const path = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';
  const sumWith = (point: unknown) => requestWith({ name: 'c', sum: { aggregationTemporality: 2, dataPoints: [point] } });
  const cases: [string, string, string][] = [
    ['invalid JSON', '{"resourceMetrics": [', 'request: invalid JSON: '],
    ['a top-level array', '[]', 'request: expected an object, got an array'],
    ['resourceMetrics as an object', '{"resourceMetrics": {}}', 'resourceMetrics: expected an array, got an object'],
    ['a string where a message is needed', requestWith({ name: 'c', sum: 'x' }), `${path}.sum: expected an object, got a string ("x")`],
    ['a number as a metric', requestWith(5), `${path}: expected an object, got a number (5)`],
    ['dataPoints as a string', requestWith({ name: 'c', gauge: { dataPoints: 'none' } }), `${path}.gauge.dataPoints: expected an array, got a string ("none")`],
    ['a name that is a number', requestWith({ name: 7 }), `${path}.name: expected a string, got a number (7)`],
    ['a non-numeric count', requestWith({ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ count: 'many' }] } }), `${path}.histogram.dataPoints[0].count: expected a non-negative integer, got a string ("many")`],
    ['a negative count', requestWith({ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ count: -1 }] } }), `${path}.histogram.dataPoints[0].count: expected a non-negative integer, got a number (-1)`],
    ['a fractional bucket count', requestWith({ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ bucketCounts: [1, 0.5] }] } }), `${path}.histogram.dataPoints[0].bucketCounts[1]: expected a non-negative integer, got a number (0.5)`],
    ['a bound that is not a number', requestWith({ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ explicitBounds: [true] }] } }), `${path}.histogram.dataPoints[0].explicitBounds[0]: expected a number, got true`],
    ['asInt that is not an integer', sumWith({ asInt: 'abc' }), `${path}.sum.dataPoints[0].asInt: expected an integer, got a string ("abc")`],
    ['asDouble that is an object', sumWith({ asDouble: {} }), `${path}.sum.dataPoints[0].asDouble: expected a number, got an object`],
    ['asDouble in hex', sumWith({ asDouble: '0x10' }), `${path}.sum.dataPoints[0].asDouble: expected a number, got a string ("0x10")`],
    ['both asInt and asDouble', sumWith({ asInt: 1, asDouble: 1 }), `${path}.sum.dataPoints[0]: both asInt and asDouble are set; a point has one of them`],
    ['a time with a fraction', sumWith({ timeUnixNano: '1.5' }), `${path}.sum.dataPoints[0].timeUnixNano: expected nanoseconds since the epoch (a non-negative integer), got a string ("1.5")`],
    ['flags beyond uint32', sumWith({ flags: 2 ** 32 }), `${path}.sum.dataPoints[0].flags: expected an integer from 0 to 4294967295, got a number (4294967296)`],
    ['an unknown enum name', requestWith({ name: 'c', sum: { aggregationTemporality: 'DELTA' } }), `${path}.sum.aggregationTemporality: expected an integer from -2147483648 to 2147483647, got a string ("DELTA")`],
    ['isMonotonic as a string', requestWith({ name: 'c', sum: { aggregationTemporality: 2, isMonotonic: 'true' } }), `${path}.sum.isMonotonic: expected true or false, got a string ("true")`],
    ['two data fields', requestWith({ name: 'c', gauge: {}, sum: {} }), `${path}: both gauge and sum are set; a metric has one of them`],
    ['a trace id in base64', sumWith({ exemplars: [{ traceId: 'AAECAwQFBgcICQoLDA0ODw==' }] }), `${path}.sum.dataPoints[0].exemplars[0].traceId: expected a hex string, got a string ("AAECAwQFBgcICQoLDA0ODw==")`],
    ['a span id of the wrong length', sumWith({ exemplars: [{ spanId: 'abcd' }] }), `${path}.sum.dataPoints[0].exemplars[0].spanId: 4 hex digits, expected 16`],
    ['an attribute value that is a string', sumWith({ attributes: [{ key: 'k', value: 'v' }] }), `${path}.sum.dataPoints[0].attributes[0].value: expected an object, got a string ("v")`],
    ['an attribute that is a string', sumWith({ attributes: ['k=v'] }), `${path}.sum.dataPoints[0].attributes[0]: expected an object, got a string ("k=v")`],
    ['two AnyValue fields', sumWith({ attributes: [{ key: 'k', value: { stringValue: 'v', intValue: 1 } }] }), `${path}.sum.dataPoints[0].attributes[0].value: both stringValue and intValue are set; a value has one of them`],
    ['an int64 out of range', sumWith({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }), `${path}.sum.dataPoints[0].attributes[0].value.intValue: expected a 64-bit integer, got a string ("9223372036854775808")`],
    ['bytes that are not base64', sumWith({ attributes: [{ key: 'k', value: { bytesValue: 'not base64!' } }] }), `${path}.sum.dataPoints[0].attributes[0].value.bytesValue: expected base64, got a string ("not base64!")`],
  ];
  for (const [name, body, expected] of cases) {
    it(`throws for ${name}`, () => {
      if (name === 'invalid JSON') {
        assert.throws(
          () => decodeExportMetricsServiceRequestJson(body),
          (error: unknown) => error instanceof OtlpDecodeError && error.message.startsWith(expected) && error.path === 'request',
        );
      } else {
        assertDecodeError(body, expected);
      }
    });
  }

  it('accepts nesting to depth 64 and refuses deeper nesting without overflowing the stack', () => {
    // The top-level object is depth 1; the value of a resource attribute is at depth 7, and each
    // nested arrayValue adds 3 (the arrayValue object, its values array, the element): 7 + 3 * 19 = 64.
    const nested = (levels: number): string => {
      const open = '{"arrayValue":{"values":['.repeat(levels);
      const close = ']}}'.repeat(levels);
      return `{"resourceMetrics":[{"resource":{"attributes":[{"key":"deep","value":${open}{"stringValue":"leaf"}${close}}]}}]}`;
    };
    let expected: unknown = 'leaf';
    for (let i = 0; i < 19; i++) expected = [expected];
    assert.deepStrictEqual(decodeOnly(nested(19)).resource.attributes, { deep: expected });
    const refused = `resourceMetrics[0].resource.attributes[0].value${'.arrayValue.values[0]'.repeat(19)}.arrayValue: nesting depth exceeds 64`;
    assertDecodeError(nested(20), refused);
    assertDecodeError(nested(100_000), refused);
  });

  it('ignores deep nesting inside unknown fields, which it does not walk', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.deepStrictEqual(decodeExportMetricsServiceRequestJson(`{"resourceMetrics":[],"future":${deep}}`), []);
  });
});
