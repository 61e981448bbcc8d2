/**
 * An endpoint's writer against a small receiver that answers as told: 2xx, 400, 500, 429 with
 * Retry-After, 415, and 2xx without the 2.0 written headers. Checks the documented behaviour:
 * what is retried and how soon, what is dropped and counted, the fallback from 2.0 to 1.0, the
 * headers every request carries, order per series, a bounded queue, and that a receiver that never
 * answers delays neither another endpoint nor the sidecar's ingest and scrapes.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';
import { EndpointWriter } from '../../../../src/outputs/push/remoteWrite/EndpointWriter.ts';
import { RemoteSample } from '../../../../src/outputs/push/remoteWrite/remoteSample.ts';
import { endpointWithDefaults, type RemoteWriteEndpoint } from '../../../../src/outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import { VERSION } from '../../../../src/version.ts';
import { pollUntil } from '../../../helpers/pollUntil.ts';
import { recordingLogger } from '../../../helpers/recordingLogger.ts';

const PROTO = fileURLToPath(new URL('../../../../proto/', import.meta.url));
const v1 = protobuf.loadSync(`${PROTO}prometheus/remote.proto`).lookupType('prometheus.WriteRequest');
const v2 = protobuf.loadSync(`${PROTO}io/prometheus/write/v2/types.proto`).lookupType('io.prometheus.write.v2.Request');

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly atMs: number;
  /** `name{labels} value@time` per sample, whichever message it was. */
  readonly samples: string[];
}

type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** A receiver answering each request with the next answer of a script (the last one repeats). */
async function startReceiver(script: Answer[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let next = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = uncompressSync(Buffer.concat(chunks)) as Buffer;
      const isV2 = String(request.headers['content-type']).includes('io.prometheus.write.v2.Request');
      received.push({ headers: request.headers, atMs: Date.now(), samples: isV2 ? samplesOfV2(body) : samplesOfV1(body) });
      const answer = script[Math.min(next++, script.length - 1)]!;
      response.writeHead(answer.status, answer.headers ?? {});
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}/api/v1/write`, received, server };
}

function samplesOfV1(body: Buffer): string[] {
  const request = v1.toObject(v1.decode(body), { longs: Number, arrays: true }) as { timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[] };
  return request.timeseries.flatMap((series) => series.samples.map((sample) => `${series.labels.map((l) => `${l.name}=${l.value}`).join(',')} ${sample.value}@${sample.timestamp}`));
}

function samplesOfV2(body: Buffer): string[] {
  const request = v2.toObject(v2.decode(body), { longs: Number, arrays: true }) as { symbols: string[]; timeseries: { labelsRefs: number[]; samples: { value: number; timestamp: number }[] }[] };
  return request.timeseries.flatMap((series) => {
    const labels: string[] = [];
    for (let i = 0; i < series.labelsRefs.length; i += 2) labels.push(`${request.symbols[series.labelsRefs[i]!]}=${request.symbols[series.labelsRefs[i + 1]!]}`);
    return series.samples.map((sample) => `${labels.join(',')} ${sample.value}@${sample.timestamp}`);
  });
}

const servers: Server[] = [];
const writers: EndpointWriter[] = [];
after(() => {
  writers.forEach((writer) => writer.stop());
  servers.forEach((server) => server.close());
});

const METADATA = { name: 'orders_total', type: 'counter' as const, help: 'Orders.', unit: '' };

/** `count` samples of `series` series, values 1..count in turn, each series its own hash. */
function samples(count: number, series = 1, from = 0): RemoteSample[] {
  return Array.from({ length: count }, (_, i) => {
    const n = (from + i) % series;
    return new RemoteSample('orders_total', ['instance', `i-${n}`, 'job', 'j'], undefined, '', from + i + 1, 1_000 + from + i, 0, undefined, false, METADATA, n * 2_654_435_761);
  });
}

function writer(url: string, overrides: Partial<Omit<RemoteWriteEndpoint, 'queue'>> & { queue?: Partial<RemoteWriteEndpoint['queue']> } = {}, logger = recordingLogger(), maxRequestBytes?: number): EndpointWriter {
  const base = endpointWithDefaults(new URL(url));
  const made = new EndpointWriter({ ...base, ...overrides, queue: { ...base.queue, batchSendDeadlineMs: 20, minBackoffMs: 20, maxBackoffMs: 200, ...overrides.queue } }, { logger, random: () => 0.5, ...(maxRequestBytes === undefined ? {} : { maxRequestBytes }) });
  writers.push(made);
  return made;
}

describe('an endpoint as the remote-write specification says', () => {
  it('sends snappy-compressed prometheus.WriteRequest with the spec\'s headers and the endpoint\'s own', async () => {
    const receiver = await startReceiver([{ status: 204 }]);
    const w = writer(receiver.url, { headers: { 'X-Scope-OrgID': 'team-a' }, authorization: 'Bearer t0ken' });
    w.enqueue(samples(3));
    await w.flush();
    const [request] = receiver.received;
    assert.ok(request);
    assert.equal(request.headers['content-encoding'], 'snappy');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');
    assert.equal(request.headers['x-prometheus-remote-write-version'], '0.1.0');
    assert.equal(request.headers['user-agent'], `otel-prom-bridge/${VERSION}`);
    assert.equal(request.headers['x-scope-orgid'], 'team-a');
    assert.equal(request.headers.authorization, 'Bearer t0ken');
    assert.deepEqual(request.samples, ['__name__=orders_total,instance=i-0,job=j 1@1000', '__name__=orders_total,instance=i-0,job=j 2@1001', '__name__=orders_total,instance=i-0,job=j 3@1002']);
    assert.equal(w.stats.samplesSent, 3);
    assert.ok(w.stats.bytesSent > 0);
  });

  it('retries 5xx with backoff until it is written, in order', async () => {
    const receiver = await startReceiver([{ status: 500, body: 'tsdb busy' }, { status: 503 }, { status: 204 }]);
    const w = writer(receiver.url);
    w.enqueue(samples(2));
    await w.flush();
    assert.equal(receiver.received.length, 3);
    assert.deepEqual(receiver.received[2]!.samples, receiver.received[0]!.samples);
    assert.equal(w.stats.requests.retried, 2);
    assert.equal(w.stats.samplesRetried, 4);
    assert.equal(w.stats.samplesSent, 2);
    // Backoff: 20 ms, then 40 ms (jitter fixed at the middle: 3/4 of each).
    assert.ok(receiver.received[1]!.atMs - receiver.received[0]!.atMs >= 14);
    assert.ok(receiver.received[2]!.atMs - receiver.received[1]!.atMs >= 29);
  });

  it('honours Retry-After on 429, and retries 429 only when retry_on_http_429 is on', async () => {
    const receiver = await startReceiver([{ status: 429, headers: { 'Retry-After': '1' } }, { status: 204 }]);
    const w = writer(receiver.url);
    w.enqueue(samples(1));
    await w.flush();
    assert.equal(receiver.received.length, 2);
    assert.ok(receiver.received[1]!.atMs - receiver.received[0]!.atMs >= 950, 'waited the second Retry-After asked for');

    const refusing = await startReceiver([{ status: 429 }]);
    const logger = recordingLogger();
    const off = writer(refusing.url, { queue: { retryOnHttp429: false } }, logger);
    off.enqueue(samples(4));
    await off.flush();
    assert.equal(refusing.received.length, 1);
    assert.equal(off.stats.samplesDropped.http_429, 4);
  });

  it('drops a batch refused with another 4xx, logs it once and counts it; later batches still go', async () => {
    const receiver = await startReceiver([{ status: 400, body: 'out of order sample' }, { status: 400, body: 'out of order sample' }, { status: 204 }]);
    const logger = recordingLogger();
    const w = writer(receiver.url, { queue: { maxSamplesPerSend: 2 } }, logger);
    w.enqueue(samples(2));
    await w.flush();
    w.enqueue(samples(2, 1, 2));
    await w.flush();
    w.enqueue(samples(2, 1, 4));
    await w.flush();
    assert.equal(receiver.received.length, 3);
    assert.equal(w.stats.samplesDropped.http_4xx, 4);
    assert.equal(w.stats.requests.failed, 2);
    assert.equal(w.stats.samplesSent, 2);
    const lines = logger.warnings.filter((line) => line.includes('HTTP 400'));
    assert.equal(lines.length, 1, 'logged once');
    assert.match(lines[0]!, /out of order sample/);
  });

  it('falls back from 2.0 to 1.0 on a 2xx without the written headers, says so, and sends the batch again as 1.0', async () => {
    const receiver = await startReceiver([{ status: 204 }]);
    const logger = recordingLogger();
    const w = writer(receiver.url, { protobufMessage: 'io.prometheus.write.v2.Request' }, logger);
    w.enqueue(samples(2));
    await w.flush();
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]!.headers['content-type'], 'application/x-protobuf;proto=io.prometheus.write.v2.Request');
    assert.equal(receiver.received[0]!.headers['x-prometheus-remote-write-version'], '2.0.0');
    assert.equal(receiver.received[1]!.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(receiver.received[1]!.samples, receiver.received[0]!.samples);
    assert.equal(w.stats.fallbacks, 1);
    assert.equal(w.message, 'prometheus.WriteRequest');
    assert.ok(logger.warnings.some((line) => /falling back to remote write 1\.0/.test(line) && /X-Prometheus-Remote-Write-\*-Written/.test(line)));
  });

  it('falls back on 415 too; a 2.0 receiver that says what it wrote stays on 2.0', async () => {
    const old = await startReceiver([{ status: 415 }, { status: 204 }]);
    const w = writer(old.url, { protobufMessage: 'io.prometheus.write.v2.Request' });
    w.enqueue(samples(1));
    await w.flush();
    assert.equal(w.message, 'prometheus.WriteRequest');
    assert.equal(w.stats.samplesSent, 1);

    const modern = await startReceiver([{ status: 204, headers: { 'X-Prometheus-Remote-Write-Samples-Written': '1', 'X-Prometheus-Remote-Write-Histograms-Written': '0', 'X-Prometheus-Remote-Write-Exemplars-Written': '0' } }]);
    const stays = writer(modern.url, { protobufMessage: 'io.prometheus.write.v2.Request' });
    stays.enqueue(samples(1));
    await stays.flush();
    assert.equal(stays.message, 'io.prometheus.write.v2.Request');
    assert.equal(modern.received.length, 1);
    assert.equal(stays.stats.fallbacks, 0);
  });

  it('keeps each series in order across shards and batches', async () => {
    const receiver = await startReceiver([{ status: 500 }, { status: 204 }, { status: 204 }, { status: 500 }, { status: 204 }]);
    const w = writer(receiver.url, { queue: { maxShards: 4, minShards: 4, maxSamplesPerSend: 7 } });
    for (let round = 0; round < 5; round++) w.enqueue(samples(20, 5, round * 20));
    await w.flush();
    const bySeries = new Map<string, number[]>();
    for (const request of receiver.received.filter((_, i) => i !== 0 && i !== 3)) {
      for (const line of request.samples) {
        const [labels, at] = line.split(' ') as [string, string];
        const list = bySeries.get(labels) ?? [];
        list.push(Number(at.split('@')[1]));
        bySeries.set(labels, list);
      }
    }
    // Retried batches arrive again, then what followed them: each series' times only rise.
    for (const [labels, times] of bySeries) {
      const deduplicated = times.filter((time, i) => i === 0 || time !== times[i - 1]);
      assert.deepEqual(deduplicated, [...deduplicated].sort((a, b) => a - b), labels);
    }
    assert.equal(w.stats.samplesSent, 100);
  });

  it('bounds the queue per shard: when an endpoint is down the oldest are dropped and counted', async () => {
    const receiver = await startReceiver([{ status: 503 }]);
    const w = writer(receiver.url, { queue: { maxShards: 1, minShards: 1, capacity: 10, maxSamplesPerSend: 5, maxBackoffMs: 50 } });
    w.enqueue(samples(5));
    await pollUntil('the first batch in a retry', () => (w.stats.requests.retried > 0 ? true : undefined), 5_000);
    w.enqueue(samples(30, 1, 5));
    assert.equal(w.stats.samplesDropped.queue_full, 20);
    assert.equal(w.queueLength, 10);
    w.stop();
    // The 10 queued at once, the 5 being retried when their retry wakes.
    await pollUntil('the batch in a retry dropped', () => (w.stats.samplesDropped.shutdown === 15 ? true : undefined), 2_000);
  });

  it('bounds a request by bytes too: a batch that encodes larger goes in halves, in order', async () => {
    const receiver = await startReceiver([{ status: 204 }]);
    const w = writer(receiver.url, { queue: { maxShards: 1, minShards: 1, maxSamplesPerSend: 100 } }, recordingLogger(), 400);
    w.enqueue(samples(10));
    await w.flush();
    assert.ok(receiver.received.length > 1, `${receiver.received.length} requests`);
    const values = receiver.received.flatMap((request) => request.samples.map((line) => Number(line.split(' ')[1]!.split('@')[0])));
    assert.deepEqual(values, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(w.stats.samplesSent, 10);
  });

  it('a receiver that never answers holds up no other endpoint', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const stuck = writer(`http://127.0.0.1:${(silent.address() as { port: number }).port}/api/v1/write`, { remoteTimeoutMs: 60_000 });
    const healthy = await startReceiver([{ status: 204 }]);
    const fine = writer(healthy.url);
    stuck.enqueue(samples(3));
    fine.enqueue(samples(3));
    const started = Date.now();
    await fine.flush();
    assert.ok(Date.now() - started < 2_000);
    assert.equal(fine.stats.samplesSent, 3);
    assert.equal(stuck.stats.samplesSent, 0);
  });
});
