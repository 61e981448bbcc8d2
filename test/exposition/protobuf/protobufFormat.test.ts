import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPOSITION_FORMATS } from '../../../src/exposition/expositionFormats.ts';
import { parseAccept } from '../../../src/exposition/mediaRange.ts';
import { PROTOBUF_CONTENT_TYPE, protobufFormat, renderProtobuf } from '../../../src/exposition/protobuf/protobufFormat.ts';
import { CHUNK_BYTES } from '../../../src/exposition/protobuf/writeMetricFamilies.ts';
import type { ExponentialHistogramData, Family, MetricType, Series, SeriesData } from '../../../src/model/family.ts';
import type { LabelPairs } from '../../../src/translate/labelPairs.ts';
import { renderLabelText } from '../../../src/translate/labelText.ts';
import { decodeMetricFamilies, type Decoded } from './decodeMetricFamilies.ts';

const TIME_MS = 1_700_000_000_250;
const START_MS = 1_690_000_000_500;

function series(labels: LabelPairs, data: SeriesData, times: { timeMs?: number; startTimeMs?: number } = {}): Series {
  return { labels, labelText: renderLabelText(labels), data, timeMs: times.timeMs ?? TIME_MS, startTimeMs: 'startTimeMs' in times ? times.startTimeMs : START_MS };
}

function family(name: string, type: MetricType, members: Series[], extra: { help?: string; unit?: string } = {}): Family {
  return { name, type, help: extra.help ?? '', unit: extra.unit ?? '', series: new Map(members.map((s) => [s.labelText, s])) };
}

/** The one family of an exposition, decoded. */
function decodeOne(families: Family[], options = {}): Decoded {
  const decoded = decodeMetricFamilies(renderProtobuf(families, options));
  assert.equal(decoded.length, 1);
  return decoded[0]!;
}

/** google.protobuf.Timestamp for a time in milliseconds. */
function timestamp(ms: number): Decoded {
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1e6;
  return nanos === 0 ? { seconds } : { seconds, nanos };
}

/** Native buckets as Prometheus reads them: absolute index → count. */
function nativeBuckets(spans: Decoded[] | undefined, deltas: number[] | undefined): [number, number][] {
  const out: [number, number][] = [];
  let index = 0;
  let count = 0;
  let d = 0;
  for (const span of spans ?? []) {
    index += span.offset ?? 0;
    for (let k = 0; k < (span.length ?? 0); k++) {
      count += deltas![d++]!;
      out.push([index++, count]);
    }
  }
  return out.filter(([, c]) => c !== 0);
}

const NONE = { offset: 0, counts: [] };

function exponential(fields: Partial<ExponentialHistogramData>): ExponentialHistogramData {
  return { kind: 'exponentialHistogram', scale: 0, zeroCount: 0, zeroThreshold: 0, positive: NONE, negative: NONE, count: 0, sum: 0, ...fields };
}

describe('protobuf exposition: negotiation', () => {
  it('answers the media range Prometheus asks with for native histograms, with its content type', () => {
    const accept = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
    assert.equal(EXPOSITION_FORMATS.negotiate(accept).format, protobufFormat);
    assert.equal(protobufFormat.contentType, 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
    assert.equal(PROTOBUF_CONTENT_TYPE, protobufFormat.contentType);
    assert.equal(protobufFormat.binary, true);
  });
  it('does not answer a protobuf range for another message or encoding, nor */*', () => {
    for (const range of [
      'application/vnd.google.protobuf',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text',
      'application/vnd.google.protobuf;proto=other.Message;encoding=delimited',
      '*/*',
    ]) {
      assert.equal(protobufFormat.accepts(parseAccept(range)[0]!), false, range);
    }
  });
  it('is passed over when only text will do', () => {
    assert.notEqual(EXPOSITION_FORMATS.negotiate('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', true).format, protobufFormat);
  });
});

describe('protobuf exposition: one MetricFamily per family, field by field', () => {
  it('counter: name as the text format writes it, help, unit, value, exemplar and created timestamp; labels sorted', () => {
    const exemplar = { value: 2, timeMs: TIME_MS - 250, traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: { user: 'alice' } };
    const decoded = decodeOne([
      family('http_requests_total', 'counter', [series([['method', 'GET'], ['route', '/a']], { kind: 'number', value: 12, exemplar })], { help: 'Requests.', unit: 'requests' }),
    ]);
    assert.deepEqual(decoded, {
      name: 'http_requests_total',
      help: 'Requests.',
      type: 'COUNTER',
      unit: 'requests',
      metric: [
        {
          label: [{ name: 'method', value: 'GET' }, { name: 'route', value: '/a' }],
          counter: {
            value: 12,
            exemplar: {
              label: [{ name: 'trace_id', value: exemplar.traceId }, { name: 'span_id', value: exemplar.spanId }, { name: 'user', value: 'alice' }],
              value: 2,
              timestamp: timestamp(TIME_MS - 250),
            },
            createdTimestamp: timestamp(START_MS),
          },
        },
      ],
    });
  });

  it('counter without a known start: no created timestamp; no help or unit fields when empty', () => {
    const decoded = decodeOne([family('jobs_total', 'counter', [series([], { kind: 'number', value: 0 }, { startTimeMs: undefined })])]);
    assert.deepEqual(decoded, { name: 'jobs_total', type: 'COUNTER', metric: [{ counter: { value: 0 } }] });
  });

  it('gauge: the value, NaN and infinities as doubles', () => {
    const decoded = decodeOne([
      family('temperature_celsius', 'gauge', [
        series([['room', 'a']], { kind: 'number', value: -3.5 }),
        series([['room', 'b']], { kind: 'number', value: NaN }),
        series([['room', 'c']], { kind: 'number', value: -Infinity }),
      ]),
    ]);
    assert.equal(decoded.type, 'GAUGE');
    assert.deepEqual(decoded.metric[0], { label: [{ name: 'room', value: 'a' }], gauge: { value: -3.5 } });
    assert.ok(Number.isNaN(decoded.metric[1].gauge.value));
    assert.equal(decoded.metric[2].gauge.value, -Infinity);
  });

  it('summary: count, sum, quantiles and created timestamp', () => {
    const decoded = decodeOne([
      family('latency_seconds', 'summary', [series([], { kind: 'summary', count: 10, sum: 4.5, quantiles: [{ quantile: 0.5, value: 0.3 }, { quantile: 0.99, value: 1.2 }] })]),
    ]);
    assert.deepEqual(decoded.metric[0].summary, {
      sampleCount: 10,
      sampleSum: 4.5,
      quantile: [{ quantile: 0.5, value: 0.3 }, { quantile: 0.99, value: 1.2 }],
      createdTimestamp: timestamp(START_MS),
    });
    assert.equal(decoded.type, 'SUMMARY');
  });

  it('classic histogram: cumulative buckets ending with +Inf equal to the count, bucket exemplars, sum, created timestamp', () => {
    const exemplar = { value: 0.7, traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    const decoded = decodeOne([
      family('request_duration_seconds', 'histogram', [
        series([['route', '/a']], { kind: 'histogram', bounds: [0.5, 1], counts: [2, 3, 1], count: 6, sum: 3.25, exemplars: [undefined, exemplar, undefined] }),
      ]),
    ]);
    assert.equal(decoded.type, 'HISTOGRAM');
    assert.deepEqual(decoded.metric[0].histogram, {
      sampleCount: 6,
      sampleSum: 3.25,
      bucket: [
        { cumulativeCount: 2, upperBound: 0.5 },
        { cumulativeCount: 5, upperBound: 1, exemplar: { label: [{ name: 'trace_id', value: exemplar.traceId }, { name: 'span_id', value: exemplar.spanId }], value: 0.7 } },
        { cumulativeCount: 6, upperBound: Infinity },
      ],
      createdTimestamp: timestamp(START_MS),
    });
  });
});

describe('protobuf exposition: exponential histograms as native histograms', () => {
  it('positive and negative buckets, zero bucket, schema; the classic buckets of the text formats beside them', () => {
    const data = exponential({
      scale: 1,
      zeroCount: 2,
      positive: { offset: -1, counts: [1, 0, 3] },
      negative: { offset: 0, counts: [4] },
      count: 10,
      sum: 5,
    });
    const histogram = decodeOne([family('payload_bytes', 'histogram', [series([], data)])]).metric[0].histogram;
    assert.equal(histogram.schema, 1);
    assert.equal(histogram.zeroThreshold, 1e-128, 'Prometheus\' OTLP translator\'s zero threshold for a point that has none');
    assert.equal(histogram.zeroCount, 2);
    assert.equal(histogram.sampleCount, 10);
    assert.equal(histogram.sampleSum, 5);
    // OpenTelemetry's bucket i is Prometheus' i + 1.
    assert.deepEqual(nativeBuckets(histogram.positiveSpan, histogram.positiveDelta), [[0, 1], [2, 3]]);
    assert.deepEqual(nativeBuckets(histogram.negativeSpan, histogram.negativeDelta), [[1, 4]]);
    // Classic buckets: -1 (negative bucket 0's upper bound is -base^0), zero bucket, then base^(i+1) for positive ones.
    assert.deepEqual(
      histogram.bucket.map((b: Decoded) => [b.upperBound, b.cumulativeCount]),
      [[-1, 4], [0, 6], [1, 7], [Math.SQRT2, 7], [2, 10], [Infinity, 10]],
    );
  });

  it('keeps a zero threshold the point has', () => {
    const histogram = decodeOne([family('h', 'histogram', [series([], exponential({ zeroThreshold: 0.001, zeroCount: 1, count: 1 }))])]).metric[0].histogram;
    assert.equal(histogram.zeroThreshold, 0.001);
  });

  it('an empty native histogram has a no-op positive span (offset 0, length 0), so no scraper takes it for a classic one', () => {
    const histogram = decodeOne([family('h', 'histogram', [series([], exponential({ scale: 3, count: 0, sum: 0 }))])]).metric[0].histogram;
    assert.equal(histogram.schema, 3);
    assert.deepEqual(histogram.positiveSpan, [{ offset: 0, length: 0 }]);
    assert.equal(histogram.positiveDelta, undefined);
    assert.equal(histogram.negativeSpan, undefined);
    assert.equal(histogram.zeroThreshold, 1e-128);
    assert.deepEqual(histogram.bucket, [{ cumulativeCount: 0, upperBound: Infinity }]);
  });

  for (const scale of [10, 20]) {
    it(`scale ${scale} is downscaled to schema 8, neighbouring buckets merged (${2 ** (scale - 8)} into one)`, () => {
      const factor = 2 ** (scale - 8);
      const offset = 3 * factor - 2; // the first two fall in the bucket below
      const counts = Array.from({ length: 2 * factor + 4 }, (_, i) => i + 1);
      const histogram = decodeOne([
        family('h', 'histogram', [series([], exponential({ scale, positive: { offset, counts }, count: counts.reduce((a, b) => a + b, 0) }))]),
      ]).metric[0].histogram;
      assert.equal(histogram.schema, 8);
      const want = new Map<number, number>();
      counts.forEach((count, i) => {
        const index = Math.floor((offset + i) / factor) + 1;
        want.set(index, (want.get(index) ?? 0) + count);
      });
      assert.deepEqual(nativeBuckets(histogram.positiveSpan, histogram.positiveDelta), [...want]);
      assert.deepEqual([...want.keys()], [3, 4, 5, 6]);
    });
  }

  it('scale below −4 cannot be a native histogram: classic buckets only, as in the text formats', () => {
    const histogram = decodeOne([
      family('h', 'histogram', [series([], exponential({ scale: -5, positive: { offset: 0, counts: [2, 3] }, count: 5, sum: 1e20 }))]),
    ]).metric[0].histogram;
    for (const native of ['schema', 'zeroThreshold', 'zeroCount', 'positiveSpan', 'positiveDelta', 'negativeSpan']) assert.equal(histogram[native], undefined, native);
    assert.deepEqual(
      histogram.bucket.map((b: Decoded) => [b.upperBound, b.cumulativeCount]),
      [[2 ** 32, 2], [2 ** 64, 5], [Infinity, 5]],
    );
  });

  it('exemplars in the native histogram\'s field, each with a timestamp (the series\' time when it has none), and on the classic buckets', () => {
    const withTime = { value: 3, timeMs: TIME_MS - 1000, traceId: 'aa', spanId: 'bb' };
    const withoutTime = { value: 0.75, traceId: 'cc', spanId: 'dd' };
    const histogram = decodeOne([
      family('h', 'histogram', [series([], exponential({ positive: { offset: -1, counts: [1, 0, 1] }, count: 2, exemplars: [withTime, withoutTime] }))]),
    ]).metric[0].histogram;
    assert.deepEqual(histogram.exemplars, [
      { label: [{ name: 'trace_id', value: 'aa' }, { name: 'span_id', value: 'bb' }], value: 3, timestamp: timestamp(TIME_MS - 1000) },
      { label: [{ name: 'trace_id', value: 'cc' }, { name: 'span_id', value: 'dd' }], value: 0.75, timestamp: timestamp(TIME_MS) },
    ]);
    const bucketExemplars = histogram.bucket.filter((b: Decoded) => b.exemplar !== undefined).map((b: Decoded) => [b.upperBound, b.exemplar.value]);
    assert.deepEqual(bucketExemplars, [[1, 0.75], [4, 3]]);
  });

  it('an exemplar\'s labels are at most 128 code points of names and values', () => {
    const exemplar = { value: 1, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), attributes: { long: 'x'.repeat(80), short: 'y' } };
    const decoded = decodeOne([family('c_total', 'counter', [series([], { kind: 'number', value: 1, exemplar })])]);
    const names = decoded.metric[0].counter.exemplar.label.map((l: Decoded) => l.name);
    assert.deepEqual(names, ['trace_id', 'span_id', 'short'], 'the long attribute would take the labels past 128 code points');
  });
});

describe('protobuf exposition: options', () => {
  it('appendTimestamp: each Metric carries its series\' time in milliseconds', () => {
    const families = [family('g', 'gauge', [series([], { kind: 'number', value: 1 })])];
    assert.equal(decodeOne(families, { appendTimestamp: true }).metric[0].timestampMs, TIME_MS);
    assert.equal(decodeOne(families).metric[0].timestampMs, undefined);
  });

  it('escaping underscores: a UTF-8 family name and label names escaped; two labels escaping to one are merged with ; in original-name order', () => {
    const labels: LabelPairs = [['a.b', 'first'], ['a_b', 'second'], ['zone', 'z']];
    const families = [family('http.server.requests_total', 'counter', [series(labels, { kind: 'number', value: 1 })])];
    const decoded = decodeOne(families, { escaping: 'underscores' });
    assert.equal(decoded.name, 'http_server_requests_total');
    assert.deepEqual(decoded.metric[0].label, [{ name: 'a_b', value: 'first;second' }, { name: 'zone', value: 'z' }]);
    const utf8 = decodeOne(families, { escaping: 'allow-utf-8' });
    assert.equal(utf8.name, 'http.server.requests_total');
    assert.deepEqual(utf8.metric[0].label.map((l: Decoded) => l.name), ['a.b', 'a_b', 'zone']);
    assert.deepEqual(decodeOne(families), utf8, 'no escaping given: names as they are');
  });

  it('writes UTF-8 label values and help', () => {
    const decoded = decodeOne([family('g', 'gauge', [series([['city', 'Zürich 東京']], { kind: 'number', value: 1 })], { help: 'Température ✓' })]);
    assert.equal(decoded.help, 'Température ✓');
    assert.equal(decoded.metric[0].label[0].value, 'Zürich 東京');
  });
});

describe('protobuf exposition: labels', () => {
  it('values with a quote, a backslash, a newline or a trailing comma, and UTF-8 names, come out as they are', () => {
    const labels: LabelPairs = [['a', 'say "hi"'], ['b', 'C:\\dir\\'], ['c', 'two\nlines'], ['d', 'x,'], ['e', '"'], ['f', 'plain']];
    const utf8: LabelPairs = [['http.route', '/a'], ['size', 'ok,'], ['zone.name', 'é']];
    for (const escaping of [undefined, 'allow-utf-8', 'underscores'] as const) {
      const decoded = decodeMetricFamilies(renderProtobuf([family('g', 'gauge', [series(labels, { kind: 'number', value: 1 }), series(utf8, { kind: 'number', value: 2 })])], { escaping }));
      assert.deepEqual(decoded[0]!.metric[0].label.map((l: Decoded) => [l.name, l.value]), labels, String(escaping));
      const names = escaping === 'underscores' ? ['http_route', 'size', 'zone_name'] : ['http.route', 'size', 'zone.name'];
      assert.deepEqual(decoded[0]!.metric[1].label.map((l: Decoded) => [l.name, l.value]), utf8.map(([, value], i) => [names[i], value]), String(escaping));
    }
  });
});

describe('protobuf exposition: chunks', () => {
  function largeFamilies(): Family[] {
    const big = Array.from({ length: 20_000 }, (_, i) =>
      series([['instance', `host-${i}`], ['route', `/api/v1/items/${i % 500}`]], { kind: 'histogram', bounds: [0.1, 1, 10], counts: [i, 1, 2, 3], count: i + 6, sum: i }),
    );
    const small = Array.from({ length: 300 }, (_, i) => family(`small_${i}`, 'gauge', [series([['k', 'v']], { kind: 'number', value: i })]));
    return [family('big_seconds', 'histogram', big), ...small, family('empty', 'gauge', [])];
  }

  it('come in some tens of KiB, whole series each, and together decode to every family and series', () => {
    const chunks = [...protobufFormat.write(largeFamilies(), {})] as Uint8Array[];
    assert.ok(chunks.length > 20, `${chunks.length} chunks`);
    for (const chunk of chunks.slice(0, -1)) assert.ok(chunk.length >= CHUNK_BYTES / 2 && chunk.length < 128 * 1024, `a chunk of ${chunk.length} bytes`);
    const decoded = decodeMetricFamilies(Buffer.concat(chunks));
    assert.equal(decoded.length, 301, 'the empty family is left out, as in the text formats');
    assert.equal(decoded[0]!.metric.length, 20_000);
    assert.equal(decoded[0]!.metric[19_999].label[0].value, 'host-19999');
    assert.equal(decoded[0]!.metric[19_999].histogram.bucket[3].cumulativeCount, 19_999 + 6);
    assert.deepEqual(decoded.slice(1).map((f) => f.name), Array.from({ length: 300 }, (_, i) => `small_${i}`));
  });

  it('a series larger than a chunk, among many, grows the buffer without losing what came before', () => {
    const members = Array.from({ length: 3000 }, (_, i) => series([['i', String(i)], ['v', i === 1500 ? 'x'.repeat(200_000) : 'y']], { kind: 'number', value: i }));
    const chunks = [...protobufFormat.write([family('g', 'gauge', members)], {})] as Uint8Array[];
    const decoded = decodeMetricFamilies(Buffer.concat(chunks));
    assert.equal(decoded[0]!.metric.length, 3000);
    decoded[0]!.metric.forEach((metric: Decoded, i: number) => {
      assert.equal(metric.label[0].value, String(i));
      assert.equal(metric.gauge.value, i);
    });
    assert.equal(decoded[0]!.metric[1500].label[1].value.length, 200_000);
  });

  it('a family whose length takes more than one byte, and one of exactly 127 bytes, decode', () => {
    for (const length of [1, 100, 107, 108, 109, 20_000]) {
      const decoded = decodeMetricFamilies(renderProtobuf([family('g', 'gauge', [series([['v', 'x'.repeat(length)]], { kind: 'number', value: 1 })]), family('h', 'gauge', [series([], { kind: 'number', value: 2 })])]));
      assert.equal(decoded[0]!.metric[0].label[0].value.length, length);
      assert.equal(decoded[1]!.metric[0].gauge.value, 2);
    }
  });
});
