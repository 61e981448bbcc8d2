/**
 * Overload: a sidecar with too many OTLP/HTTP uploads in flight, or with a lagging event loop,
 * refuses new exports before reading them (HTTP 503 with Retry-After, gRPC UNAVAILABLE), counts
 * them as `overloaded`, and takes exports again once the load is gone. Uploads are held open on raw
 * sockets and the event-loop delay is injected: nothing here sleeps or spins.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createEventLoopDelayProbe, type EventLoopDelayProbe } from '../../../src/otlp/receiver/eventLoopDelayProbe.ts';
import { METRICS_EXPORT_PATH } from '../../../src/otlp/receiver/grpcReceiver.ts';
import { buildHttpReceiver } from '../../../src/otlp/receiver/httpReceiver.ts';
import { LoadShedder } from '../../../src/otlp/receiver/loadShedder.ts';
import type { ParsedFamily } from '../../helpers/parseExposition.ts';
import { bounded, holdUpload, type HeldUpload } from '../../sidecar/heldUpload.ts';
import { jsonRequest, protobufRequest } from '../../helpers/otlpRequests.ts';
import { decodeStatus, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../../sidecar/sidecarHarness.ts';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** An event-loop delay probe whose delay the test sets; it records start() and stop(). */
function fakeProbe(delayMs = 0): EventLoopDelayProbe & { delayMs: number; starts: number; stops: number } {
  return {
    delayMs,
    starts: 0,
    stops: 0,
    start() {
      this.starts++;
    },
    stop() {
      this.stops++;
    },
    meanDelayMs() {
      return this.delayMs;
    },
  };
}

/** Sends headers announcing 1000 bytes of body and only 10 of them; resolves with the answer's head (the socket is then closed). */
async function answerToPartialUpload(url: string): Promise<string> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    socket.setEncoding('utf8');
    let received = '';
    const head = new Promise<string>((resolve, reject) => {
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('\r\n\r\n')) resolve(received.slice(0, received.indexOf('\r\n\r\n') + 2));
      });
      socket.once('error', reject);
      socket.once('close', () => reject(new Error(`the connection closed before an answer: ${JSON.stringify(received)}`)));
    });
    await bounded(once(socket, 'connect'), 'the connection');
    socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: 1000\r\n\r\n{"resource`);
    return await bounded(head, 'the answer to a partial upload');
  } finally {
    socket.destroy();
  }
}

function post(url: string, contentType: string, body: Uint8Array | string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

function requests(families: readonly ParsedFamily[], protocol: string, outcome: string): number {
  const found = families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_otlp_requests_total' && s.labels.protocol === protocol && s.labels.outcome === outcome);
  return found?.value ?? 0;
}

/** One raw Export call (bytes in, bytes out), bounded by a deadline. */
function grpcExport(client: grpc.Client, body: Uint8Array): Promise<grpc.ServiceError | null> {
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve) => {
    client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(body), { deadline: Date.now() + TIMEOUT_MS }, (error) => resolve(error));
  });
}

describe('overload: OTLP/HTTP uploads in flight', () => {
  const LIMIT = 2;
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar({ maxInFlightRequests: LIMIT, eventLoopDelayProbe: fakeProbe() });
  });
  after(async () => {
    await running.sidecar.stop();
  });

  it(`with ${LIMIT} slow uploads in flight the next export gets 503 + Retry-After, unread; once they finish, 200`, async () => {
    const url = running.addresses.otlpHttp.url;
    const held: HeldUpload[] = [];
    try {
      for (let i = 0; i < LIMIT; i++) held.push(await holdUpload(url, jsonRequest(`slow-${i}`, [{ name: 'uploads', value: i + 1 }])));

      const refusedJson = await post(url, JSON_TYPE, jsonRequest('refused', [{ name: 'refused', value: 1 }]));
      assert.equal(refusedJson.status, 503);
      assert.equal(refusedJson.headers.get('retry-after'), '1');
      assert.match(refusedJson.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await refusedJson.json(), {
        code: 14,
        message: `the bridge is overloaded: ${LIMIT} OTLP/HTTP export requests are in progress (maxInFlightRequests is ${LIMIT}); retry later`,
      });

      const refusedProto = await post(url, PROTOBUF, protobufRequest('refused', [{ name: 'refused', value: 1 }]));
      assert.equal(refusedProto.status, 503);
      assert.equal(refusedProto.headers.get('retry-after'), '1');
      assert.equal(refusedProto.headers.get('content-type'), PROTOBUF);
      const status = decodeStatus(new Uint8Array(await refusedProto.arrayBuffer()));
      assert.equal(status.code, 14);
      assert.match(status.message, /^the bridge is overloaded: 2 OTLP\/HTTP export requests are in progress/);

      // Refused before the body is read: the answer comes while most of the body is still unsent.
      assert.match(await answerToPartialUpload(url), /^HTTP\/1\.1 503 Service Unavailable\r\n/);

      // /metrics is another listener: it answers while the receiver sheds load.
      const during = await scrape(running.addresses);
      assert.equal(requests(during, 'http', 'overloaded'), 3);
      assert.equal(samplesNamed(during, 'refused_total'), 0);

      for (const upload of held.splice(0)) {
        const answer = await upload.finish();
        assert.equal(answer.status, 200, answer.body);
        assert.equal(answer.body, '{}');
      }
      const accepted = await post(url, JSON_TYPE, jsonRequest('after', [{ name: 'uploads', value: 7 }]));
      assert.equal(accepted.status, 200);
      assert.equal(await accepted.text(), '{}');

      const afterwards = await scrape(running.addresses);
      assert.equal(valueOf(afterwards, 'uploads_total', { job: 'slow-0' }), 1);
      assert.equal(valueOf(afterwards, 'uploads_total', { job: 'slow-1' }), 2);
      assert.equal(valueOf(afterwards, 'uploads_total', { job: 'after' }), 7);
      assert.equal(requests(afterwards, 'http', 'overloaded'), 3);
      assert.equal(requests(afterwards, 'http', 'success'), 3);
    } finally {
      for (const upload of held) upload.socket.destroy();
    }
  });
});

function samplesNamed(families: readonly ParsedFamily[], name: string): number {
  return families.flatMap((family) => family.samples).filter((s) => s.name === name).length;
}

describe('overload: an upload whose connection drops leaves the in-flight count', () => {
  it('releases its place when the connection closes before the body is complete', async () => {
    const shedder = new LoadShedder({ maxInFlightRequests: 1, eventLoopDelay: fakeProbe() });
    const app = buildHttpReceiver({ consumer: { consume: () => ({ acceptedPoints: 0, rejectedPoints: 0, errors: [] }) }, loadShedder: shedder });
    // An app-wide hook runs before the receiver's route hook: its `close` listener is called first.
    const responsesClosed: Promise<unknown>[] = [];
    app.addHook('onRequest', async (_request, reply) => {
      responsesClosed.push(once(reply.raw, 'close'));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/metrics`;
      const upload = await holdUpload(url, jsonRequest('dropped', [{ name: 'x', value: 1 }]));
      assert.equal(shedder.inFlight, 1);
      assert.equal((await post(url, JSON_TYPE, '{}')).status, 503);
      upload.socket.destroy();
      await bounded(responsesClosed[0]!, 'the aborted request to close');
      assert.equal(shedder.inFlight, 0);
      assert.equal((await post(url, JSON_TYPE, '{}')).status, 200);
    } finally {
      await app.close();
    }
  });
});

describe('overload: a lagging event loop', () => {
  const probe = fakeProbe();
  let running: RunningSidecar;
  let client: grpc.Client;
  before(async () => {
    running = await startSidecar({ maxEventLoopDelayMs: 1000, eventLoopDelayProbe: probe });
    client = new grpc.Client(`127.0.0.1:${running.addresses.otlpGrpc.port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await running.sidecar.stop();
  });

  it('refuses HTTP with 503 + Retry-After and gRPC with UNAVAILABLE while the mean delay is above the limit; takes both again after', async () => {
    probe.delayMs = 1500;
    const http = await post(running.addresses.otlpHttp.url, PROTOBUF, protobufRequest('lagging', [{ name: 'lag', value: 1 }]));
    assert.equal(http.status, 503);
    assert.equal(http.headers.get('retry-after'), '1');
    assert.deepEqual(decodeStatus(new Uint8Array(await http.arrayBuffer())), {
      code: 14,
      message: 'the bridge is overloaded: its event loop lags 1500 ms on average (maxEventLoopDelayMs is 1000); retry later',
    });
    const refused = await grpcExport(client, protobufRequest('lagging', [{ name: 'lag', value: 1 }]));
    assert.equal(refused?.code, grpc.status.UNAVAILABLE);
    assert.equal(refused.details, 'the bridge is overloaded: its event loop lags 1500 ms on average (maxEventLoopDelayMs is 1000); retry later');

    const during = await scrape(running.addresses);
    assert.equal(requests(during, 'http', 'overloaded'), 1);
    assert.equal(requests(during, 'grpc', 'overloaded'), 1);
    assert.equal(samplesNamed(during, 'lag_total'), 0);

    probe.delayMs = 1000; // at the limit is not above it
    assert.equal((await post(running.addresses.otlpHttp.url, PROTOBUF, protobufRequest('lagging', [{ name: 'lag', value: 2 }]))).status, 200);
    assert.equal(await grpcExport(client, protobufRequest('lagging-grpc', [{ name: 'lag', value: 3 }])), null);
    const afterwards = await scrape(running.addresses);
    assert.equal(valueOf(afterwards, 'lag_total', { job: 'lagging' }), 2);
    assert.equal(valueOf(afterwards, 'lag_total', { job: 'lagging-grpc' }), 3);
    assert.equal(requests(afterwards, 'http', 'overloaded'), 1);
    assert.equal(requests(afterwards, 'grpc', 'overloaded'), 1);
  });

  it('an event loop blocked for a whole window (no sample) counts as lagging', async () => {
    probe.delayMs = Infinity;
    const http = await post(running.addresses.otlpHttp.url, JSON_TYPE, '{}');
    assert.equal(http.status, 503);
    assert.match(((await http.json()) as { message: string }).message, /its event loop lags for the whole last second/);
    probe.delayMs = 0;
  });
});

describe('overload: the official OTLP/HTTP exporter retries a 503', () => {
  it('exporter-metrics-otlp-http is refused once, waits Retry-After (1 s) and delivers', async () => {
    // Lags for the first export only: the retry finds the bridge well.
    const probe = fakeProbe();
    let asked = 0;
    probe.meanDelayMs = () => (asked++ === 0 ? 5000 : 0);
    const { sidecar, addresses } = await startSidecar({ eventLoopDelayProbe: probe });
    const exporter = new JsonExporter({ url: addresses.otlpHttp.url, timeoutMillis: TIMEOUT_MS, temporalityPreference: AggregationTemporalityPreference.CUMULATIVE });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'retrying' }), readers: [reader] });
    try {
      provider.getMeter('overload-test').createCounter('deliveries').add(5);
      await reader.forceFlush();
      const families = await scrape(addresses);
      assert.equal(valueOf(families, 'deliveries_total', { job: 'retrying' }), 5);
      assert.equal(requests(families, 'http', 'overloaded'), 1);
      assert.equal(requests(families, 'http', 'success'), 1);
    } finally {
      await provider.shutdown();
      await sidecar.stop();
    }
  });
});

describe('overload: the probe follows the sidecar', () => {
  it('start() starts the event-loop probe, stop() stops it (its timer cleared), also when start() fails', async () => {
    const probe = fakeProbe();
    const { sidecar, addresses } = await startSidecar({ eventLoopDelayProbe: probe });
    assert.deepEqual([probe.starts, probe.stops], [1, 0]);
    await sidecar.stop();
    assert.deepEqual([probe.starts, probe.stops], [1, 1]);

    const other = fakeProbe();
    const blocked = await startSidecar({ eventLoopDelayProbe: fakeProbe() });
    try {
      const clashing = startSidecar({ eventLoopDelayProbe: other, metrics: { host: '127.0.0.1', port: blocked.addresses.metrics.port } });
      await assert.rejects(clashing, /could not listen/);
      assert.deepEqual([other.starts, other.stops], [1, 1]);
    } finally {
      await blocked.sidecar.stop();
    }
    assert.ok(addresses.otlpHttp.port > 0);
  });

  it('the default probe reads 0 before its first window; start() and stop() may be repeated', () => {
    const probe = createEventLoopDelayProbe();
    probe.start();
    probe.start();
    assert.equal(probe.meanDelayMs(), 0);
    probe.stop();
    probe.stop();
    probe.start();
    probe.stop();
    assert.equal(probe.meanDelayMs(), 0);
  });

  it('refuses wrong shedder options at once, in full sentences', () => {
    assert.throws(() => new LoadShedder({ maxInFlightRequests: 0 }), /^RangeError: LoadShedder option maxInFlightRequests must be a whole number of requests, at least 1; got 0\.$/);
    assert.throws(() => new LoadShedder({ maxEventLoopDelayMs: Number.NaN }), /^RangeError: LoadShedder option maxEventLoopDelayMs must be a positive number of milliseconds; got NaN\.$/);
  });
});
