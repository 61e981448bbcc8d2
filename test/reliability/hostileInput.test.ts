/**
 * Hostile input, one case per test, each against a running sidecar: decompression bombs (HTTP and
 * gRPC), deeply nested JSON and protobuf, 10 MB attribute values, a million attributes, invalid
 * UTF-8, huge and negative counts, and label values that try to inject exposition lines. Each
 * gets its expected answer and message, within a bounded time and memory, and the sidecar goes on
 * serving; the injection attempts come out escaped, and a real Prometheus scrapes them.
 *
 * The sidecar runs in this process with a fake event-loop probe, so that the test's own work of
 * building megabyte requests is not taken for overload.
 */
import assert from 'node:assert/strict';
import { connect as connectHttp2, constants as http2Constants } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { METRICS_EXPORT_PATH } from '../../src/otlp/receiver/grpcReceiver.ts';
import { MAX_POINT_ATTRIBUTES } from '../../src/model/pointProblem.ts';
import { concat, double, fixed64, message, packedDouble, sint32, string, varint, varintBytes, bytes as bytesField } from '../helpers/protobufWriter.ts';
import { parseExposition, type ParsedFamily } from '../helpers/parseExposition.ts';
import { skipUnlessInstalled, startPrometheus } from '../helpers/prometheus.ts';
import { decodeStatus, get, scrape, startSidecar, valueOf, type RunningSidecar } from '../sidecar/sidecarHarness.ts';

const NOW_NS = 1_700_000_000_000_000_000n;
const START_NS = NOW_NS - 60_000_000_000n;
const MIB = 1024 * 1024;
/** Generous bounds: the point is that time and memory are bounded, not fast. */
const MAX_CASE_MS = 30_000;
const MAX_RSS_GROWTH_BYTES = 600 * MIB;
const noLag = { start: () => undefined, stop: () => undefined, meanDelayMs: () => 0 };

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

function kv(field: number, key: string, value: string): Uint8Array {
  return message(field, string(1, key), message(2, string(1, value)));
}

/** A request of one resource (`service.name` = `service`, plus `resourceExtra`), one scope, the given metrics. */
function request(service: string, metrics: readonly Uint8Array[], resourceExtra: Uint8Array = new Uint8Array(0), scopeExtra: Uint8Array = new Uint8Array(0)): Uint8Array {
  return message(1, message(1, kv(1, 'service.name', service), resourceExtra), message(2, message(1, string(1, 'hostile'), scopeExtra), ...metrics));
}

/** A gauge metric with one point carrying `attributes` (encoded NumberDataPoint attributes, field 7). */
function gauge(name: string, value: number, attributes: Uint8Array = new Uint8Array(0), extra: Uint8Array = new Uint8Array(0)): Uint8Array {
  return message(2, string(1, name), extra, message(5, message(1, fixed64(3, NOW_NS), double(4, value), attributes)));
}

/**
 * An AnyValue nested `levels` deep: kvlist_value (6) → KeyValueList.values (1) → KeyValue { key 1,
 * value 2 } → …, written outside-in from the lengths (nesting `message()` would copy it each time).
 */
function nestedKvlist(levels: number): Uint8Array {
  const innermost = string(1, 'deep');
  const key = string(1, 'k');
  const prefixes: Uint8Array[] = [];
  let length = innermost.length;
  for (let i = 0; i < levels; i++) {
    const keyValue = concat(key, Uint8Array.of(0x12), varintBytes(length)); // KeyValue: key, then value's tag and length
    const keyValueLength = keyValue.length + length;
    const list = concat(Uint8Array.of(0x0a), varintBytes(keyValueLength)); // KeyValueList.values
    const listLength = list.length + keyValueLength;
    const any = concat(Uint8Array.of(0x32), varintBytes(listLength)); // AnyValue.kvlist_value
    prefixes.push(concat(any, list, keyValue));
    length = any.length + listLength;
  }
  return Buffer.concat([...prefixes.reverse(), innermost]);
}

/** `count` KeyValues `k<i>` = "v" as repeated field `field`, written straight into one buffer. */
function manyAttributes(field: number, count: number): Buffer {
  const parts: Buffer[] = [];
  const value = Buffer.from([0x12, 0x03, 0x0a, 0x01, 0x76]); // value: AnyValue { string_value: "v" }
  for (let i = 0; i < count; i++) {
    const key = Buffer.from(`k${i}`);
    parts.push(Buffer.from([(field << 3) | 2, 2 + key.length + value.length, 0x0a, key.length]), key, value);
  }
  return Buffer.concat(parts);
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
  readonly rssGrowth: number;
}

async function post(url: string, contentType: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<Answer> {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body, signal: AbortSignal.timeout(MAX_CASE_MS) });
  const raw = new Uint8Array(await response.arrayBuffer());
  const text = contentType === PROTOBUF && response.status !== 200 ? decodeStatus(raw).message : Buffer.from(raw).toString('utf8');
  return { status: response.status, text, ms: performance.now() - started, rssGrowth: process.memoryUsage().rss - rss };
}

function assertBounded(answer: Answer, what: string): void {
  console.log(`hostile input: ${what}: ${answer.status} in ${Math.round(answer.ms)} ms, RSS ${answer.rssGrowth >= 0 ? '+' : ''}${Math.round(answer.rssGrowth / MIB)} MiB: ${answer.text.slice(0, 160)}`);
  assert.ok(answer.ms < MAX_CASE_MS, `${what}: ${answer.ms} ms`);
  assert.ok(answer.rssGrowth < MAX_RSS_GROWTH_BYTES, `${what}: RSS grew ${Math.round(answer.rssGrowth / MIB)} MiB`);
}

/** A gzip stream of `size` zero bytes, made in 1 MiB steps (never the whole in memory). */
async function gzipBomb(size: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  gzip.pipe(out);
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    out.once('end', resolve);
    gzip.once('error', reject);
  });
  const zeros = Buffer.alloc(MIB);
  for (let written = 0; written < size; written += MIB) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}

function droppedFor(families: readonly ParsedFamily[], reason: string): number {
  return families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_translation_dropped_total' && s.labels.reason === reason)?.value ?? 0;
}

function requestsFor(families: readonly ParsedFamily[], protocol: string, outcome: string): number {
  return families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_otlp_requests_total' && s.labels.protocol === protocol && s.labels.outcome === outcome)?.value ?? 0;
}

describe('hostile input', () => {
  // A sidecar per case: one case's megabytes of series do not slow the next one's scrapes.
  let running: RunningSidecar;
  let url: string;
  beforeEach(async () => {
    running = await startSidecar({ eventLoopDelayProbe: noLag });
    url = running.addresses.otlpHttp.url;
  });
  afterEach(async () => {
    await running.sidecar.stop();
  });

  /** After each case the sidecar still takes a plain export and answers a scrape. */
  async function assertStillServing(tag: string): Promise<void> {
    const answer = await post(url, PROTOBUF, request('alive', [gauge('alive', 1, kv(7, 'after', tag))]));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(valueOf(await scrape(running.addresses), 'alive', { after: tag }), 1);
  }

  it('a gzip bomb (512 MiB of zeros in about 0.5 MB) gets 413 once 16 MiB are inflated, in bounded time and memory', async () => {
    const bomb = await gzipBomb(512 * MIB);
    assert.ok(bomb.length < 2 * MIB);
    for (const type of [PROTOBUF, JSON_TYPE]) {
      const answer = await post(url, type, bomb, { 'content-encoding': 'gzip' });
      assert.equal(answer.status, 413);
      assert.match(answer.text, /the gzip body inflates to more than the limit of 16777216 bytes/);
      assertBounded(answer, 'gzip bomb');
    }
    // Gzip inside gzip: inflated once, the inner stream is not protobuf.
    const nested = await post(url, PROTOBUF, gzipSync(gzipSync(request('nested-gzip', [gauge('nested_gzip', 1)]))), { 'content-encoding': 'gzip' });
    assert.equal(nested.status, 400);
    assert.match(nested.text, /^malformed protobuf ExportMetricsServiceRequest: /);
    assert.equal(requestsFor(await scrape(running.addresses), 'http', 'too_large'), 2);
    await assertStillServing('gzip-bomb');
  });

  it('a gzip bomb over gRPC (grpc-encoding gzip) gets RESOURCE_EXHAUSTED, in bounded time and memory', async () => {
    const bomb = await gzipBomb(256 * MIB);
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const session = connectHttp2(`http://127.0.0.1:${running.addresses.otlpGrpc.port}`);
    try {
      const stream = session.request({
        [http2Constants.HTTP2_HEADER_METHOD]: 'POST',
        [http2Constants.HTTP2_HEADER_PATH]: METRICS_EXPORT_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-encoding': 'gzip',
        'grpc-accept-encoding': 'identity,gzip',
      });
      const frame = Buffer.alloc(5);
      frame[0] = 1; // compressed
      frame.writeUInt32BE(bomb.length, 1);
      stream.end(Buffer.concat([frame, bomb]));
      const status = await new Promise<string>((resolve, reject) => {
        let grpcStatus = '';
        stream.on('response', (headers) => (grpcStatus = String(headers['grpc-status'] ?? grpcStatus)));
        stream.on('trailers', (trailers) => (grpcStatus = String(trailers['grpc-status'] ?? grpcStatus)));
        stream.on('data', () => undefined);
        stream.once('close', () => resolve(grpcStatus));
        stream.once('error', reject);
        setTimeout(() => reject(new Error('no answer to the gRPC gzip bomb')), MAX_CASE_MS).unref();
      });
      assert.equal(status, '8'); // RESOURCE_EXHAUSTED
    } finally {
      session.destroy();
    }
    assert.ok(performance.now() - started < MAX_CASE_MS);
    assert.ok(process.memoryUsage().rss - rss < MAX_RSS_GROWTH_BYTES, `RSS grew ${Math.round((process.memoryUsage().rss - rss) / MIB)} MiB`);
    await assertStillServing('grpc-gzip-bomb');
  });

  it('deeply nested JSON (100,000 levels of kvlistValue; a million nested arrays) gets 400 naming the depth limit', async () => {
    let value = '{"stringValue":"deep"}';
    for (let i = 0; i < 100_000; i++) value = `{"kvlistValue":{"values":[{"key":"k","value":${value}}]}}`;
    const body = `{"resourceMetrics":[{"resource":{"attributes":[{"key":"deep","value":${value}}]},"scopeMetrics":[]}]}`;
    const answer = await post(url, JSON_TYPE, body);
    assert.equal(answer.status, 400);
    assert.match(JSON.parse(answer.text).message, /^malformed JSON ExportMetricsServiceRequest: resourceMetrics\[0\]\.resource\.attributes\[0\]\.value(\.kvlistValue\.values\[0\]\.value)+.*: nesting depth exceeds 64$/);
    assertBounded(answer, 'nested JSON');

    const arrays = `{"resourceMetrics":[],"unknown":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    const arrayAnswer = await post(url, JSON_TYPE, arrays);
    assert.ok([200, 400].includes(arrayAnswer.status), arrayAnswer.text);
    assertBounded(arrayAnswer, 'nested arrays');
    await assertStillServing('nested-json');
  });

  it('deeply nested protobuf (100,000 levels of kvlist_value) gets 400 naming the depth limit', async () => {
    const body = request('nested', [gauge('nested', 1, message(7, string(1, 'deep'), bytesField(2, nestedKvlist(100_000))))]);
    const answer = await post(url, PROTOBUF, body);
    assert.equal(answer.status, 400);
    assert.match(answer.text, /^malformed protobuf ExportMetricsServiceRequest: .*nesting depth exceeds 32$/);
    assertBounded(answer, 'nested protobuf');
    await assertStillServing('nested-protobuf');
  });

  it('a 10 MB attribute value and a 5 MB description are stored and scraped whole, in bounded time and memory', async () => {
    const big = 'v'.repeat(10_000_000);
    const answer = await post(url, PROTOBUF, request('big-values', [gauge('big_value', 3, kv(7, 'big', big), string(2, `d${'e'.repeat(5_000_000)}`))]));
    assert.equal(answer.status, 200, answer.text);
    assertBounded(answer, '10 MB value');
    const started = performance.now();
    const families = await scrape(running.addresses);
    assert.ok(performance.now() - started < MAX_CASE_MS);
    const sample = families.find((family) => family.name === 'big_value')?.samples[0];
    assert.equal(sample?.labels.big, big);
    assert.equal(families.find((family) => family.name === 'big_value')?.help?.length, 5_000_001);
    await assertStillServing('big-values');
  });

  it(`a point with a million attributes is refused alone (more than ${MAX_POINT_ATTRIBUTES}); a resource or scope with a million gets 400`, async () => {
    const million = manyAttributes(7, 1_000_000);
    const before = droppedFor(await scrape(running.addresses), 'invalid_point');
    const point = await post(url, PROTOBUF, request('many-attributes', [gauge('many_attributes', 1, million), gauge('few_attributes', 2)]));
    assert.equal(point.status, 200, point.text);
    assertBounded(point, 'a million point attributes');
    const families = await scrape(running.addresses);
    assert.equal(droppedFor(families, 'invalid_point'), before + 1);
    assert.equal(valueOf(families, 'few_attributes', { job: 'many-attributes' }), 2);
    assert.equal(families.some((family) => family.name === 'many_attributes'), false);

    const resourceMillion = manyAttributes(1, 1_000_000);
    const resource = await post(url, PROTOBUF, request('many-resource-attributes', [gauge('x', 1)], resourceMillion));
    assert.equal(resource.status, 400);
    assert.equal(resource.text, `malformed protobuf ExportMetricsServiceRequest: resource_metrics[0].resource.attributes: more than ${MAX_POINT_ATTRIBUTES} attributes`);
    assertBounded(resource, 'a million resource attributes');

    const scopeMillion = manyAttributes(3, 1_000_000);
    const scope = await post(url, PROTOBUF, request('many-scope-attributes', [gauge('x', 1)], undefined, scopeMillion));
    assert.equal(scope.status, 400);
    assert.equal(scope.text, `malformed protobuf ExportMetricsServiceRequest: resource_metrics[0].scope_metrics[0].scope.attributes: more than ${MAX_POINT_ATTRIBUTES} attributes`);
    assertBounded(scope, 'a million scope attributes');
    await assertStillServing('many-attributes');
  });

  it('invalid UTF-8 in names, keys and values (protobuf and JSON) never makes an exposition that is not UTF-8', async () => {
    const invalid = Uint8Array.of(0x61, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x62);
    const key = message(7, bytesField(1, invalid), message(2, bytesField(1, invalid)));
    const body = request('bad-utf8', [message(2, bytesField(1, concat(new TextEncoder().encode('bad_utf8_'), invalid)), message(5, message(1, fixed64(3, NOW_NS), double(4, 1), key)))]);
    const answer = await post(url, PROTOBUF, body);
    assert.ok([200, 400].includes(answer.status), answer.text);
    const jsonBody = Buffer.concat([
      Buffer.from('{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bad-json-'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}}]},"scopeMetrics":[{"metrics":[{"name":"bad_json_utf8","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":1}]}}]}]}]}'),
    ]);
    const jsonAnswer = await post(url, JSON_TYPE, jsonBody);
    assert.ok([200, 400].includes(jsonAnswer.status), jsonAnswer.text);
    for (const accept of ['text/plain', 'application/openmetrics-text; version=1.0.0']) {
      const response = await get(running.addresses.metrics.url, { accept });
      const raw = new Uint8Array(await response.arrayBuffer());
      const text = new TextDecoder('utf-8', { fatal: true }).decode(raw); // throws on invalid UTF-8
      parseExposition(text, accept === 'text/plain' ? 'text' : 'openmetrics');
    }
    await assertStillServing('utf8');
  });

  it('huge bucket counts: 2^64-1 counts are stored as floats or refused as inconsistent, 100,000 buckets stay bounded', async () => {
    const max = 2n ** 64n - 1n;
    const packed = (values: readonly bigint[]) => {
      const out = Buffer.alloc(values.length * 8);
      values.forEach((v, i) => out.writeBigUInt64LE(v, i * 8));
      return bytesField(6, out);
    };
    const packedBounds = (values: readonly number[]) => {
      const out = Buffer.alloc(values.length * 8);
      values.forEach((v, i) => out.writeDoubleLE(v, i * 8));
      return bytesField(7, out);
    };
    const histogram = (name: string, point: Uint8Array) => message(2, string(1, name), message(9, point, varint(2, 2)));
    const consistent = histogram('huge_counts', message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, max), double(5, 1e308), packed([0n, max]), packedDouble(7, [1])));
    const inconsistent = histogram('overflowing_counts', message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, max), packed([max, max]), packedDouble(7, [1])));
    const bounds = Array.from({ length: 100_000 }, (_, i) => i);
    const wide = histogram('wide_buckets', message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, 100_001n), packed(new Array<bigint>(100_001).fill(1n)), packedBounds(bounds)));
    const exponential = message(
      2,
      string(1, 'huge_exponential'),
      message(10, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, max), sint32(6, 20), message(8, sint32(1, 2 ** 31 - 3), message(2, varintBytes(5))), message(9, sint32(1, -(2 ** 31)), varint(2, 7))), varint(2, 2)),
    );
    const answer = await post(url, PROTOBUF, request('huge-counts', [consistent, inconsistent, wide, exponential]));
    assert.equal(answer.status, 200, answer.text);
    assertBounded(answer, 'huge counts');
    const started = performance.now();
    const families = await scrape(running.addresses);
    assert.ok(performance.now() - started < MAX_CASE_MS);
    assert.equal(valueOf(families, 'huge_counts_count', { job: 'huge-counts' }), 2 ** 64);
    assert.equal(families.some((family) => family.name === 'overflowing_counts'), false);
    assert.equal(valueOf(families, 'wide_buckets_count', { job: 'huge-counts' }), 100_001);
    for (const family of families) for (const sample of family.samples) assert.ok(!Number.isNaN(sample.value) || family.name !== 'huge_counts', `${sample.name}`);
    await assertStillServing('huge-counts');
  });

  it('negative counts and increments are refused with a reason, never stored', async () => {
    const before = droppedFor(await scrape(running.addresses), 'invalid_point');
    const jsonRequest = (metric: object) =>
      JSON.stringify({ resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'negative' } }] }, scopeMetrics: [{ metrics: [metric] }] }] });
    const times = { startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS) };
    // A negative counter increment is a valid request with an invalid point: refused alone, counted.
    const increment = await post(url, JSON_TYPE, jsonRequest({ name: 'negative_delta', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ ...times, asDouble: -5 }] } }));
    assertBounded(increment, 'negative counter increment');
    assert.equal(increment.status, 200);
    assert.deepEqual(JSON.parse(increment.text), {
      partialSuccess: { rejectedDataPoints: '1', errorMessage: 'invalid_point: metric "negative_delta": a counter increment (monotonic delta) is negative (1 point; series negative_delta_total{job="negative"})' },
    });
    assert.equal(droppedFor(await scrape(running.addresses), 'invalid_point'), before + 1);
    // Negative counts cannot be written in protobuf (fixed64); in JSON they are malformed.
    const cases: [string, object][] = [
      ['summary count', { name: 'negative_summary', summary: { dataPoints: [{ ...times, count: '-3', sum: 1 }] } }],
      ['histogram bucket count', { name: 'negative_buckets', histogram: { aggregationTemporality: 2, dataPoints: [{ ...times, count: '1', bucketCounts: ['-1', '2'], explicitBounds: [1] }] } }],
      ['exponential zero count', { name: 'negative_exp', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ ...times, count: '1', zeroCount: '-2', scale: 0 }] } }],
    ];
    for (const [what, metric] of cases) {
      const answer = await post(url, JSON_TYPE, jsonRequest(metric));
      assertBounded(answer, `negative ${what}`);
      assert.equal(answer.status, 400, `${what}: ${answer.text}`);
      assert.match(JSON.parse(answer.text).message, /^malformed JSON ExportMetricsServiceRequest: resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\..*non-negative/, what);
    }
    const families = await scrape(running.addresses);
    for (const name of ['negative_delta', 'negative_summary', 'negative_buckets', 'negative_exp']) assert.equal(families.some((family) => family.name.startsWith(name)), false, name);
    await assertStillServing('negative');
  });
});

/** Label values, names and descriptions that try to end a line and write their own. */
const INJECTIONS: Readonly<Record<string, string>> = {
  newline: 'a\nfake_injected_total 1',
  eof: 'x"}\n# EOF\n',
  quote: 'say "hi" } 99',
  backslash: 'C:\\path\\n\\',
  type: '\n# TYPE fake_injected_total counter\n# HELP x',
  crlf: 'line1\r\nline2',
};

describe('hostile input: exposition injection', () => {
  const skip = skipUnlessInstalled(['prometheus']);
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar({ eventLoopDelayProbe: noLag });
    const attributes = concat(...Object.entries(INJECTIONS).map(([key, value]) => kv(7, key, value)));
    const body = request('inject\n# EOF', [gauge('injection_target', 7, attributes, concat(string(2, 'help\nfake_injected_total 2\n# EOF'), string(3, 'By\n# EOF')))]);
    const answer = await post(running.addresses.otlpHttp.url, PROTOBUF, body);
    assert.equal(answer.status, 200, answer.text);
  });
  after(async () => {
    await running.sidecar.stop();
  });

  for (const format of ['text', 'openmetrics'] as const) {
    it(`${format}: every injection attempt comes out escaped, read back exactly, no extra line or family`, async () => {
      const response = await get(running.addresses.metrics.url, format === 'openmetrics' ? { accept: 'application/openmetrics-text; version=1.0.0' } : {});
      const text = await response.text();
      const families = parseExposition(text, format);
      assert.equal(families.some((family) => family.name.startsWith('fake_injected')), false);
      const lines = text.split('\n');
      assert.deepEqual(lines.flatMap((line, i) => (line === '# EOF' ? [i] : [])), format === 'openmetrics' ? [lines.length - 2] : []);
      const target = families.find((family) => family.name.startsWith('injection_target'));
      assert.ok(target);
      const sample = target.samples[0]!;
      for (const [key, value] of Object.entries(INJECTIONS)) assert.equal(sample.labels[key], value, key);
      assert.equal(sample.labels.job, 'inject\n# EOF');
      assert.equal(target.help, 'help\nfake_injected_total 2\n# EOF');
      assert.equal(sample.value, 7);
    });
  }

  it('a real Prometheus scrapes it (up = 1) and returns each label value exactly', { skip, timeout: 120_000 }, async () => {
    const prometheus = await startPrometheus({ scrapeIntervalSeconds: 1, targets: [{ job: 'hostile', target: running.addresses.metrics.url }] });
    try {
      await prometheus.waitForScrapes(2);
      const up = await prometheus.queryVector('up{job="hostile"}');
      assert.deepEqual(up.map((s) => s.value[1]), ['1']);
      const found = await prometheus.queryVector('{__name__=~"injection_target.*"}');
      assert.equal(found.length, 1, JSON.stringify(found));
      for (const [key, value] of Object.entries(INJECTIONS)) assert.equal(found[0]!.metric[key], value, key);
      assert.equal(found[0]!.value[1], '7');
      assert.deepEqual(await prometheus.queryVector('{__name__=~"fake_injected.*"}'), []);
    } finally {
      await prometheus.stop();
    }
  });
});
