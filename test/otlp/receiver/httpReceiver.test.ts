/**
 * The OTLP/HTTP receiver's answers, over real sockets to a running sidecar: bad input gets the
 * precise status and an OTLP error body in the request's encoding, good input an
 * ExportMetricsServiceResponse, and the sidecar goes on serving /metrics after each.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import Fastify from 'fastify';
import { buildHttpReceiver, otlpHttpPlugin } from '../../../src/otlp/receiver/httpReceiver.ts';
import { jsonRequest, protobufRequest } from '../../helpers/otlpRequests.ts';
import { decodeStatus, get, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../../sidecar/sidecarHarness.ts';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const LIMIT = 64 * 1024;

interface BadInputCase {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | string;
  readonly status: number;
  /** The error body's encoding: a google.rpc.Status in protobuf or in JSON. */
  readonly answer: 'protobuf' | 'json';
  readonly code: number;
  readonly message: RegExp;
  readonly outcome: string;
}

const BAD_INPUT: readonly BadInputCase[] = [
  {
    name: 'malformed protobuf (a length past the end)',
    headers: { 'content-type': PROTOBUF },
    body: Uint8Array.from([0x0a, 0x05, 0x01]),
    status: 400,
    answer: 'protobuf',
    code: 3,
    message: /^malformed protobuf ExportMetricsServiceRequest: resource_metrics\[0\]/,
    outcome: 'malformed',
  },
  {
    name: 'malformed JSON (cut short)',
    headers: { 'content-type': JSON_TYPE },
    body: '{"resourceMetrics": [',
    status: 400,
    answer: 'json',
    code: 3,
    message: /^malformed JSON ExportMetricsServiceRequest: request: invalid JSON/,
    outcome: 'malformed',
  },
  {
    name: 'JSON of the wrong shape',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '{"resourceMetrics": 5}',
    status: 400,
    answer: 'json',
    code: 3,
    message: /^malformed JSON ExportMetricsServiceRequest: resourceMetrics/,
    outcome: 'malformed',
  },
  {
    name: 'an unsupported content type',
    headers: { 'content-type': 'text/plain' },
    body: 'hello',
    status: 415,
    answer: 'json',
    code: 3,
    message: /^unsupported content type "text\/plain": OTLP\/HTTP metrics must be sent as application\/x-protobuf or application\/json$/,
    outcome: 'unsupported_media_type',
  },
  {
    name: 'no content type',
    headers: {},
    body: Uint8Array.from([1, 2, 3]),
    status: 415,
    answer: 'json',
    code: 3,
    message: /^no content type: .*application\/x-protobuf or application\/json$/,
    outcome: 'unsupported_media_type',
  },
  {
    name: 'an unsupported content encoding',
    headers: { 'content-type': PROTOBUF, 'content-encoding': 'br' },
    body: Uint8Array.from([1, 2, 3]),
    status: 415,
    answer: 'protobuf',
    code: 3,
    message: /^unsupported content encoding "br": send gzip or identity$/,
    outcome: 'unsupported_media_type',
  },
  {
    name: 'a body over the limit (by Content-Length)',
    headers: { 'content-type': PROTOBUF },
    body: new Uint8Array(LIMIT + 1),
    status: 413,
    answer: 'protobuf',
    code: 8,
    message: new RegExp(`^the request body is larger than the limit of ${LIMIT} bytes$`),
    outcome: 'too_large',
  },
  {
    name: 'a gzip bomb (a small body inflating past the limit)',
    headers: { 'content-type': PROTOBUF, 'content-encoding': 'gzip' },
    body: gzipSync(new Uint8Array(64 * LIMIT)),
    status: 413,
    answer: 'protobuf',
    code: 8,
    message: new RegExp(`^the gzip body inflates to more than the limit of ${LIMIT} bytes$`),
    outcome: 'too_large',
  },
  {
    name: 'a body that is not gzip, sent as gzip',
    headers: { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' },
    body: '{"resourceMetrics": []}',
    status: 400,
    answer: 'json',
    code: 3,
    message: /^the body is not valid gzip: /,
    outcome: 'malformed',
  },
];

describe('OTLP/HTTP receiver: bad input', () => {
  let running: RunningSidecar;
  let url: string;
  before(async () => {
    running = await startSidecar({ maxRequestBytes: LIMIT });
    url = running.addresses.otlpHttp.url;
  });
  after(async () => {
    await running.sidecar.stop();
  });

  for (const bad of BAD_INPUT) {
    it(`answers ${bad.status} to ${bad.name}, and /metrics still answers`, async () => {
      const before = requestsWith(await scrape(running.addresses), bad.outcome);
      const response = await fetch(url, { method: 'POST', headers: bad.headers, body: bad.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = new Uint8Array(await response.arrayBuffer());
      assert.equal(response.status, bad.status);
      if (bad.answer === 'protobuf') {
        assert.equal(response.headers.get('content-type'), PROTOBUF);
        const status = decodeStatus(body);
        assert.equal(status.code, bad.code);
        assert.match(status.message, bad.message);
      } else {
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        const status = JSON.parse(Buffer.from(body).toString('utf8')) as { code: number; message: string };
        assert.equal(status.code, bad.code);
        assert.match(status.message, bad.message);
      }
      const families = await scrape(running.addresses);
      assert.equal(requestsWith(families, bad.outcome), before + 1, `otel_prom_bridge_otlp_requests_total{outcome="${bad.outcome}"} went up`);
    });
  }

  it('answers 413 to a chunked body (no Content-Length) that passes the limit', async () => {
    const chunk = new Uint8Array(16 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8 * LIMIT) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': PROTOBUF },
      body: stream,
      duplex: 'half',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(decodeStatus(new Uint8Array(await response.arrayBuffer())).code, 8);
    await scrape(running.addresses);
  });

  for (const [encoding, contentType, expected] of [
    ['protobuf', PROTOBUF, ''],
    ['JSON', JSON_TYPE, '{}'],
  ] as const) {
    it(`answers 200 with an empty ExportMetricsServiceResponse to an empty ${encoding} body, changing nothing`, async () => {
      const before = await (await get(running.addresses.metrics.url)).text();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(0), signal: AbortSignal.timeout(TIMEOUT_MS) });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(`^${contentType}`));
      assert.equal(await response.text(), expected);
      const afterwards = await (await get(running.addresses.metrics.url)).text();
      // Only the bridge's own metrics (request counters, scrapes, process) may have moved.
      const withoutOwn = (text: string) => text.split('\n').filter((line) => !/^(?:# (?:HELP|TYPE) )?(?:otel_prom_bridge_|process_|nodejs_)/.test(line)).join('\n');
      assert.equal(withoutOwn(afterwards), withoutOwn(before));
    });
  }

  it('answers 405 to another method on the path, and 404 elsewhere', async () => {
    const wrongMethod = await get(url);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    assert.match(((await wrongMethod.json()) as { message: string }).message, /POST \/v1\/metrics/);
    const elsewhere = await fetch(new URL('/v1/traces', url), { method: 'POST', headers: { 'content-type': PROTOBUF }, body: new Uint8Array(0), signal: AbortSignal.timeout(TIMEOUT_MS) });
    assert.equal(elsewhere.status, 404);
    await elsewhere.body?.cancel();
  });
});

describe('OTLP/HTTP receiver: partial success', () => {
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar();
  });
  after(async () => {
    await running.sidecar.stop();
  });

  const points = [
    { name: 'good', value: 4 },
    { name: 'broken', value: NaN },
  ];

  it('protobuf: keeps the good point, reports the NaN counter in partial_success (readable by the official client code)', async () => {
    const response = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': PROTOBUF, 'content-encoding': 'gzip' },
      body: gzipSync(protobufRequest('partial-proto', points)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), PROTOBUF);
    const decoded = ProtobufMetricsSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
    assert.equal(Number(decoded.partialSuccess?.rejectedDataPoints), 1);
    assert.match(decoded.partialSuccess?.errorMessage ?? '', /NaN/);
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'good_total', { job: 'partial-proto' }), 4);
    assert.equal(valueOf(families, 'otel_prom_bridge_otlp_data_points_total', { protocol: 'http', outcome: 'rejected' }), 1);
  });

  it('JSON: the same, with rejectedDataPoints as a string', async () => {
    const response = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE },
      body: jsonRequest('partial-json', points),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(response.status, 200);
    const text = await response.text();
    const body = JSON.parse(text) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedDataPoints, '1');
    assert.match(body.partialSuccess.errorMessage, /NaN/);
    assert.equal(Number(JsonMetricsSerializer.deserializeResponse(new TextEncoder().encode(text)).partialSuccess?.rejectedDataPoints), 1);
    assert.equal(valueOf(await scrape(running.addresses), 'good_total', { job: 'partial-json' }), 4);
  });

  it('a fully accepted request gets an empty response: no bytes in protobuf, {} in JSON', async () => {
    const proto = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': PROTOBUF },
      body: protobufRequest('clean', [{ name: 'clean', value: 1 }]),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(proto.status, 200);
    assert.equal((await proto.arrayBuffer()).byteLength, 0);
    const json = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE },
      body: jsonRequest('clean', [{ name: 'clean', value: 2 }]),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(json.status, 200);
    assert.equal(await json.text(), '{}');
  });
});

describe('OTLP/HTTP receiver: the default limit of 16 MiB (fastify inject, no sockets)', () => {
  const consumed: number[] = [];
  const app = buildHttpReceiver({
    consumer: {
      consume: (resourceMetrics) => {
        consumed.push(resourceMetrics.length);
        return { acceptedPoints: 0, rejectedPoints: 0, errors: [] };
      },
    },
  });
  after(() => app.close());

  it('refuses 16 MiB + 1 with 413, takes exactly 16 MiB to the decoder', async () => {
    const over = await app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': PROTOBUF }, payload: Buffer.alloc(16 * 1024 * 1024 + 1) });
    assert.equal(over.statusCode, 413);
    // 16 MiB of zero bytes is within the limit, and malformed (field number 0).
    const at = await app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': PROTOBUF }, payload: Buffer.alloc(16 * 1024 * 1024) });
    assert.equal(at.statusCode, 400);
  });

  it('refuses a gzip body inflating past 16 MiB with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 128 * 1024, `the bomb is small (${bomb.length} bytes)`);
    const response = await app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': PROTOBUF, 'content-encoding': 'gzip' }, payload: bomb });
    assert.equal(response.statusCode, 413);
    assert.equal(decodeStatus(response.rawPayload).message, `the gzip body inflates to more than the limit of ${16 * 1024 * 1024} bytes`);
    assert.deepEqual(consumed, []);
  });

  it('refuses wrong options at once, in full sentences', () => {
    assert.throws(() => buildHttpReceiver({ consumer: undefined as never }), /^TypeError: buildHttpReceiver needs a `consumer` option/);
    const consumer = { consume: () => ({ acceptedPoints: 0, rejectedPoints: 0, errors: [] }) };
    assert.throws(() => buildHttpReceiver({ consumer, maxRequestBytes: 0 }), /^RangeError: buildHttpReceiver option maxRequestBytes must be a whole number of bytes, at least 1; got 0\.$/);
    assert.throws(() => buildHttpReceiver({ consumer, path: 'v1/metrics' }), /option path must start with "\/"/);
  });
});

function requestsWith(families: Parameters<typeof valueOf>[0], outcome: string): number {
  const found = families.flatMap((family) => family.samples).filter((sample) => sample.name === 'otel_prom_bridge_otlp_requests_total' && sample.labels.protocol === 'http' && sample.labels.outcome === outcome);
  return found[0]?.value ?? 0;
}

describe('otlpHttpPlugin on an existing fastify app', () => {
  it('adds the route without touching the app\'s own JSON parsing, and answers 500 (not a crash) when the consumer throws', async () => {
    const app = Fastify();
    app.post('/echo', async (request) => request.body);
    await app.register(otlpHttpPlugin, {
      consumer: {
        consume: () => {
          throw new Error('store exploded');
        },
      },
    });
    try {
      const echo = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
      assert.deepEqual(echo.json(), { a: 1 });
      const failed = await app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': JSON_TYPE }, payload: jsonRequest('x', [{ name: 'x', value: 1 }]) });
      assert.equal(failed.statusCode, 500);
      assert.deepEqual(failed.json(), { code: 13, message: 'the bridge failed to store the metrics: store exploded' });
    } finally {
      await app.close();
    }
  });
});
