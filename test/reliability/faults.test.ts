/**
 * Faults, each with real sockets against a running sidecar: slow clients (slowloris) on each
 * listener, clients disconnecting mid-request (HTTP and gRPC), Prometheus disconnecting mid-scrape,
 * the cardinality limit reached under load. In each the sidecar keeps serving everyone else, its
 * memory stays bounded, and nothing it accepted is lost (SIGTERM under load is in
 * `sigtermUnderLoad.test.ts`, against the CLI as a child process).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as connectHttp2, constants as http2Constants, type ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { GrpcReceiver, METRICS_EXPORT_PATH } from '../../src/otlp/receiver/grpcReceiver.ts';
import { buildHttpReceiver } from '../../src/otlp/receiver/httpReceiver.ts';
import { LoadShedder } from '../../src/otlp/receiver/loadShedder.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/config/defaults.ts';
import { buildServer, IDLE_CONNECTION_TIMEOUT_MS } from '../../src/server/buildServer.ts';
import type { ParsedFamily } from '../helpers/parseExposition.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { get, scrape, startSidecar, valueOf, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { buildJsonRequest, buildProtobufRequest, type PointSpec, type RequestSpec } from '../helpers/otlpRequests.ts';
import { grpcClient, grpcExport, postExport } from '../helpers/sendExport.ts';

const MIB = 1024 * 1024;
const noLag = { start: () => undefined, stop: () => undefined, meanDelayMs: () => 0 };
const BASE_NS = 1_700_000_000_000_000_000n;
const MS_NS = 1_000_000n;

function counterSpec(service: string, push: number, points: readonly PointSpec[], temporality: 'delta' | 'cumulative' = 'delta'): RequestSpec {
  return {
    service,
    temporality,
    startNs: temporality === 'delta' ? BASE_NS + BigInt(push) * MS_NS : BASE_NS,
    timeNs: BASE_NS + BigInt(push + 1) * MS_NS,
    counterName: 'fault.requests',
    histogramName: 'fault.latency',
    bounds: [1, 10],
    points,
  };
}

/** A raw TCP connection, open; errors are swallowed (the server closing on us is the point). */
async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

function closed(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/** A gRPC call on a raw HTTP/2 session that sends its headers and the first bytes of a message, then nothing. */
function stallGrpcCall(session: ClientHttp2Session, announcedBytes: number, sentBytes: number): void {
  const stream = session.request({
    [http2Constants.HTTP2_HEADER_METHOD]: 'POST',
    [http2Constants.HTTP2_HEADER_PATH]: METRICS_EXPORT_PATH,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  stream.on('error', () => undefined);
  const frame = Buffer.alloc(5 + sentBytes, 0x0a);
  frame[0] = 0;
  frame.writeUInt32BE(announcedBytes, 1);
  stream.write(frame);
}

function requestsFor(families: readonly ParsedFamily[], protocol: string, outcome: string): number {
  return families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_otlp_requests_total' && s.labels.protocol === protocol && s.labels.outcome === outcome)?.value ?? 0;
}

describe('faults: slow clients (slowloris)', () => {
  it(`OTLP/HTTP: uploads that trickle or stall are cut off after the request timeout (408), freeing their places in flight (default ${DEFAULT_REQUEST_TIMEOUT_MS} ms)`, { timeout: 30_000 }, async () => {
    // Without a request timeout (fastify's default), these held their places for ever: with
    // maxInFlightRequests of them open, every other export got 503 until they chose to leave.
    const shedder = new LoadShedder({ maxInFlightRequests: 2, eventLoopDelay: noLag });
    let stored = 0;
    const app = buildHttpReceiver({
      consumer: { consume: (resources) => ((stored += resources.length), { acceptedPoints: 1, rejectedPoints: 0, errors: [] }) },
      loadShedder: shedder,
      requestTimeoutMs: 1000,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/v1/metrics`;
    const sockets: Socket[] = [];
    try {
      const head = `POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
      const trickler = await openSocket(port);
      const staller = await openSocket(port);
      const headerTrickler = await openSocket(port);
      sockets.push(trickler, staller, headerTrickler);
      const answers = new Map<Socket, string>();
      for (const socket of sockets) socket.on('data', (chunk: Buffer) => answers.set(socket, (answers.get(socket) ?? '') + chunk.toString('latin1')));
      trickler.write(`${head}{`);
      staller.write(`${head}{"resourceMetrics":`);
      headerTrickler.write('POST /v1/metrics HTTP/1.1\r\n');
      const trickle = setInterval(() => {
        trickler.write(' ');
        headerTrickler.write('X-Slow: 1\r\n');
      }, 100);
      try {
        await pollUntil('both uploads in flight', () => (shedder.inFlight === 2 ? true : undefined), 5000);
        const refused = await postExport(url, 'json', '{}');
        assert.equal(refused.kind, 'retry');
        await Promise.all(sockets.map(closed));
      } finally {
        clearInterval(trickle);
      }
      for (const socket of sockets) assert.match(answers.get(socket) ?? '', /^HTTP\/1\.1 408 Request Timeout\r\n/);
      await pollUntil('the places in flight freed', () => (shedder.inFlight === 0 ? true : undefined), 5000);
      assert.deepEqual(await postExport(url, 'json', '{"resourceMetrics":[]}'), { kind: 'accepted' });
      assert.equal(stored, 0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await app.close();
    }
    const defaults = buildHttpReceiver({ consumer: { consume: () => ({ acceptedPoints: 0, rejectedPoints: 0, errors: [] }) } });
    try {
      assert.equal(defaults.server.requestTimeout, DEFAULT_REQUEST_TIMEOUT_MS);
      assert.equal(defaults.server.headersTimeout, DEFAULT_REQUEST_TIMEOUT_MS);
    } finally {
      await defaults.close();
    }
    assert.throws(() => buildHttpReceiver({ consumer: { consume: () => ({ acceptedPoints: 0, rejectedPoints: 0, errors: [] }) }, requestTimeoutMs: 0 }), /^RangeError: buildHttpReceiver option requestTimeoutMs must be a whole number of milliseconds, at least 1; got 0\.$/);
  });

  it('OTLP/gRPC: a call whose message never finishes is closed with its connection after the maximum connection age and grace', { timeout: 30_000 }, async () => {
    // Without a maximum age (grpc-js's default), such a call held its stream and buffer for ever.
    let stored = 0;
    const receiver = new GrpcReceiver({
      consumer: { consume: (resources) => ((stored += resources.length), { acceptedPoints: 1, rejectedPoints: 0, errors: [] }) },
      maxConnectionAgeMs: 500,
      maxConnectionAgeGraceMs: 500,
    });
    const { port } = await receiver.listen('127.0.0.1', 0);
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    try {
      const sessionClosed = new Promise<void>((resolve) => session.once('close', () => resolve()));
      stallGrpcCall(session, 4 * MIB, 1024);
      const client = grpcClient(port);
      try {
        assert.deepEqual(await grpcExport(client, buildProtobufRequest(counterSpec('bystander', 0, [{ kind: 'counter', series: 'a', value: 1 }])), 5000), { kind: 'accepted' });
      } finally {
        client.close();
      }
      await sessionClosed;
      assert.equal(stored, 1);
    } finally {
      session.destroy();
      await receiver.close(100);
    }
    assert.throws(() => new GrpcReceiver({ consumer: { consume: () => ({ acceptedPoints: 0, rejectedPoints: 0, errors: [] }) }, maxConnectionAgeMs: 0 }), /^RangeError: GrpcReceiver option maxConnectionAgeMs must be a whole number of milliseconds from 1 to 2147483647; got 0\.$/);
  });

  it('metrics listener: scrapers that stop reading a large exposition are dropped after the idle timeout, releasing it', { timeout: 60_000 }, async () => {
    // Without an idle timeout (fastify's default), each held its rendered exposition for as long as it stayed connected.
    // 40 MB: more than the kernel's socket buffers take on loopback, so that the answer stalls in the server.
    const body = `${'big_exposition_filler_total{series="abcdefghijklmnopqrstuvwxyz"} 1\n'.repeat(700_000)}`;
    const source = { render: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body }), isReady: () => true };
    const app = buildServer({ source, fastify: { connectionTimeout: 500 } });
    // Counted as they come: on a loaded machine the first may already be dropped when the third arrives.
    let accepted = 0;
    app.server.on('connection', () => accepted++);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const readers: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const socket = await openSocket(port);
        socket.pause(); // never reads (so it does not see the server close either)
        socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
        readers.push(socket);
      }
      const connections = () => new Promise<number>((resolve, reject) => app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
      await pollUntil('the three connections accepted', async () => (accepted === 3 ? true : undefined), 5000, 10);
      // The server drops them on its side: its connection count falls to 0 while the clients still hold theirs.
      await pollUntil('the stalled connections to be dropped', async () => ((await connections()) === 0 ? true : undefined), 10_000, 50);
      const response = await get(`http://127.0.0.1:${port}/metrics`);
      assert.equal((await response.text()).length, body.length);
    } finally {
      for (const socket of readers) socket.destroy();
      await app.close();
    }
    const defaults = buildServer({ source });
    try {
      assert.equal(defaults.server.timeout, IDLE_CONNECTION_TIMEOUT_MS);
    } finally {
      await defaults.close();
    }
  });

  describe('a sidecar with 100 slow connections on each listener', () => {
    const SLOW = 100;
    let running: RunningSidecar;
    const sockets: Socket[] = [];
    const sessions: ClientHttp2Session[] = [];
    before(async () => {
      // More places in flight than slow uploads: the point here is that the others are served meanwhile.
      running = await startSidecar({ eventLoopDelayProbe: noLag, maxInFlightRequests: SLOW + 50 });
    });
    after(async () => {
      for (const socket of sockets) socket.destroy();
      for (const session of sessions) session.destroy();
      await running.sidecar.stop();
    });

    it('everyone else is served meanwhile and memory stays bounded', async () => {
      const { otlpHttp, otlpGrpc, metrics } = running.addresses;
      const rss = process.memoryUsage().rss;
      for (let i = 0; i < SLOW; i++) {
        const upload = await openSocket(otlpHttp.port);
        upload.write(`POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${MIB}\r\n\r\n`);
        upload.write(Buffer.alloc(64 * 1024, 0x0a));
        const scraper = await openSocket(metrics.port);
        scraper.write('GET /metrics HTTP/1.1\r\nHost: x\r\n'); // headers never finished
        sockets.push(upload, scraper);
        const session = connectHttp2(`http://127.0.0.1:${otlpGrpc.port}`);
        session.on('error', () => undefined);
        sessions.push(session);
        stallGrpcCall(session, 4 * MIB, 64 * 1024);
      }
      // Everyone else: exports over HTTP and gRPC, scrapes.
      const client = grpcClient(otlpGrpc.port);
      try {
        for (let push = 0; push < 20; push++) {
          const spec = counterSpec('bystander', push, [{ kind: 'counter', series: 'a', value: 1 }]);
          assert.deepEqual(await postExport(otlpHttp.url, push % 2 === 0 ? 'protobuf' : 'json', push % 2 === 0 ? buildProtobufRequest(spec) : buildJsonRequest(spec), 10_000), { kind: 'accepted' });
          const grpcSpec = counterSpec('bystander-grpc', push, [{ kind: 'counter', series: 'a', value: 1 }]);
          assert.deepEqual(await grpcExport(client, buildProtobufRequest(grpcSpec), 10_000), { kind: 'accepted' });
        }
      } finally {
        client.close();
      }
      const families = await scrape(running.addresses);
      assert.equal(valueOf(families, 'fault_requests_total', { job: 'bystander', series: 'a' }), 20);
      assert.equal(valueOf(families, 'fault_requests_total', { job: 'bystander-grpc', series: 'a' }), 20);
      assert.equal((await get(metrics.url.replace(/\/metrics$/, '/-/healthy'))).status, 200);
      const growth = process.memoryUsage().rss - rss;
      console.log(`slowloris: ${SLOW} slow connections on each of 3 listeners (HTTP uploads holding 64 KiB, unfinished scrapes, gRPC calls holding 64 KiB); RSS ${Math.round(growth / MIB)} MiB more; 40 exports and a scrape served meanwhile`);
      assert.ok(growth < 300 * MIB, `RSS grew ${Math.round(growth / MIB)} MiB`);
    });
  });
});

describe('faults: clients disconnecting mid-request', () => {
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar({ eventLoopDelayProbe: noLag, maxInFlightRequests: 4 });
  });
  after(async () => {
    await running.sidecar.stop();
  });

  it('50 HTTP uploads and 50 gRPC calls cut off half-way store nothing and leave no place in flight taken', async () => {
    const { otlpHttp, otlpGrpc } = running.addresses;
    const control = counterSpec('survivor', 0, [{ kind: 'counter', series: 'a', value: 5 }]);
    assert.deepEqual(await postExport(otlpHttp.url, 'protobuf', buildProtobufRequest(control)), { kind: 'accepted' });
    const aborted = buildProtobufRequest(counterSpec('aborted', 0, Array.from({ length: 200 }, (_, i) => ({ kind: 'counter', series: `s${i}`, value: 1 }) as const)));
    for (let i = 0; i < 50; i++) {
      const socket = await openSocket(otlpHttp.port);
      socket.write(`POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${aborted.length}\r\n\r\n`);
      socket.write(aborted.subarray(0, Math.floor(aborted.length / 2)));
      await delay(2);
      socket.destroy();
      const session = connectHttp2(`http://127.0.0.1:${otlpGrpc.port}`);
      session.on('error', () => undefined);
      stallGrpcCall(session, aborted.length, Math.floor(aborted.length / 2));
      await delay(2);
      session.destroy();
    }
    // With maxInFlightRequests 4, one place still taken by an aborted upload would show as 503s here.
    for (let push = 1; push <= 10; push++) {
      const spec = counterSpec('survivor', push, [{ kind: 'counter', series: 'a', value: 1 }]);
      assert.deepEqual(await postExport(otlpHttp.url, 'json', buildJsonRequest(spec)), { kind: 'accepted' }, `export ${push} after the aborted ones`);
    }
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'fault_requests_total', { job: 'survivor', series: 'a' }), 15);
    assert.equal(families.flatMap((family) => family.samples).some((sample) => sample.labels.job === 'aborted'), false);
    assert.equal(requestsFor(families, 'http', 'overloaded'), 0);
  });
});

describe('faults: Prometheus disconnecting mid-scrape', () => {
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar({ eventLoopDelayProbe: noLag });
    // About 20,000 series: a scrape of a few MB, written in many chunks.
    for (let batch = 0; batch < 10; batch++) {
      const points: PointSpec[] = Array.from({ length: 2000 }, (_, i) => ({ kind: 'counter', series: `s${batch}-${i}`, value: i }));
      assert.deepEqual(await postExport(running.addresses.otlpHttp.url, 'protobuf', buildProtobufRequest(counterSpec('big', 0, points, 'cumulative'))), { kind: 'accepted' });
    }
  });
  after(async () => {
    await running.sidecar.stop();
  });

  it('100 scrapes cut off after their first bytes (plain and gzip) leave the sidecar serving full scrapes', async () => {
    const { metrics } = running.addresses;
    let cut = 0;
    for (let i = 0; i < 100; i++) {
      const socket = await openSocket(metrics.port);
      const gzip = i % 2 === 1 ? 'Accept-Encoding: gzip\r\n' : '';
      socket.write(`GET /metrics HTTP/1.1\r\nHost: x\r\n${gzip}Accept: ${i % 3 === 0 ? 'application/openmetrics-text; version=1.0.0' : 'text/plain'}\r\n\r\n`);
      await once(socket, 'data');
      socket.destroy();
      cut++;
    }
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'fault_requests_total', { job: 'big', series: 's9-1999' }), 1999);
    assert.equal(families.flatMap((family) => family.samples).filter((sample) => sample.name === 'fault_requests_total').length, 20_000);
    assert.equal((await get(metrics.url.replace(/\/metrics$/, '/-/healthy'))).status, 200);
    console.log(`mid-scrape disconnects: ${cut} scrapes of ${families.length} families cut off after their first bytes; the next scrape whole`);
  });
});

describe('faults: the cardinality limit reached under load', () => {
  const LIMIT = 2000;
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar({ eventLoopDelayProbe: noLag, maxSeries: LIMIT, maxInFlightRequests: 1000 });
  });
  after(async () => {
    await running.sidecar.stop();
  });

  it('8 clients creating new series past the limit are refused point by point; existing series go on updating exactly', async () => {
    const { otlpHttp, otlpGrpc } = running.addresses;
    // The control series exists before the limit is reached.
    const control = (push: number) => counterSpec('control', push, [{ kind: 'counter', series: 'c', value: 1 }]);
    assert.deepEqual(await postExport(otlpHttp.url, 'protobuf', buildProtobufRequest(control(0))), { kind: 'accepted' });
    let controlAccepted = 1;
    let flooderAccepted = 0;
    let flooderRejected = 0;
    const client = grpcClient(otlpGrpc.port);
    const flooders = Array.from({ length: 8 }, async (_, f) => {
      for (let push = 0; push < 10; push++) {
        const points: PointSpec[] = Array.from({ length: 100 }, (_, i) => ({ kind: 'counter', series: `f${f}-p${push}-${i}`, value: 1 }));
        const body = buildProtobufRequest(counterSpec(`flood-${f}`, push, points));
        const answer = f % 2 === 0 ? await postExport(otlpHttp.url, 'protobuf', body) : await grpcExport(client, body);
        if (answer.kind === 'accepted') flooderAccepted += 100;
        else if (answer.kind === 'partial') {
          assert.match(answer.message, new RegExp(`the limit of ${LIMIT} series is reached`));
          flooderRejected += answer.rejected;
          flooderAccepted += 100 - answer.rejected;
        } else assert.fail(JSON.stringify(answer));
      }
    });
    const controlPusher = (async () => {
      for (let push = 1; push <= 30; push++) {
        assert.deepEqual(await postExport(otlpHttp.url, 'json', buildJsonRequest(control(push))), { kind: 'accepted' });
        controlAccepted++;
      }
    })();
    await Promise.all([...flooders, controlPusher]).finally(() => client.close());
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'fault_requests_total', { job: 'control', series: 'c' }), controlAccepted);
    assert.equal(valueOf(families, 'otel_prom_bridge_series'), LIMIT);
    assert.equal(flooderAccepted, LIMIT - 1);
    assert.equal(flooderRejected, 8000 - (LIMIT - 1));
    const dropped = families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_translation_dropped_total' && s.labels.reason === 'cardinality_limit')?.value;
    assert.equal(dropped, flooderRejected);
    // Every series accepted is there, with its value; the points refused are added into the family's overflow series.
    const samples = families.flatMap((family) => family.samples).filter((sample) => sample.name === 'fault_requests_total');
    assert.equal(samples.filter((sample) => sample.labels.otel_metric_overflow === undefined).length, LIMIT);
    assert.deepEqual(samples.filter((sample) => sample.labels.otel_metric_overflow === 'true').map((sample) => sample.value), [flooderRejected]);
    console.log(`cardinality limit under load: ${8000 + 31} points pushed by 9 clients, ${LIMIT} series kept, ${flooderRejected} points refused and counted, control series exact`);
  });
});
