/**
 * Fuzzing the sidecar's endpoints: thousands of seeded mutations of valid requests (protobuf and
 * JSON, identity and gzip, right and wrong content types) over OTLP/HTTP and OTLP/gRPC to a
 * running sidecar. Each is answered with 200, 400, 413 or 415 (gRPC: OK, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED), never 5xx, a crash or a hang; the sidecar stays healthy; a control series
 * pushed first is unchanged at the end (no mutated request names its resource), and the
 * exposition stays well-formed. `FUZZ_HTTP_CASES` changes the count; `RELIABILITY_SEED` replays.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { parseExposition } from '../helpers/parseExposition.ts';
import { SeededRandom, seedFromEnv } from '../helpers/seededRandom.ts';
import { get, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { buildSeedRequests, mutateJson, mutateProtobuf, type SeedRequests } from './fuzzCorpus.ts';
import { buildJsonRequest, buildProtobufRequest, type RequestSpec } from '../helpers/otlpRequests.ts';
import { grpcClient, postExport } from '../helpers/sendExport.ts';
import { METRICS_EXPORT_PATH } from '../../src/otlp/receiver/grpcReceiver.ts';

const HTTP_CASES = Number(process.env.FUZZ_HTTP_CASES ?? 3000);
const GRPC_CASES = Math.round(HTTP_CASES / 3);
const CONCURRENCY = 8;
const CONTROL = 'fuzzcontrolq7x';
const CONTROL_SPEC: RequestSpec = {
  service: CONTROL,
  temporality: 'delta',
  startNs: 1_700_000_000_000_000_000n,
  timeNs: 1_700_000_001_000_000_000n,
  counterName: `${CONTROL}.count`,
  histogramName: `${CONTROL}.hist`,
  bounds: [1, 2],
  points: [
    { kind: 'counter', series: 'a', value: 42 },
    { kind: 'histogram', series: 'a', counts: [1, 2, 3], sum: 7.5 },
  ],
};

interface HttpCase {
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
}

/** A mutated request with headers that are usually right, sometimes gzip, sometimes wrong. */
function nextHttpCase(random: SeededRandom, seeds: SeedRequests): HttpCase {
  const protobuf = random.chance(0.5);
  let body = protobuf ? mutateProtobuf(random, seeds.protobuf) : mutateJson(random, seeds.json);
  const headers: Record<string, string> = { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' };
  if (random.chance(0.2)) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
    // A corrupted gzip stream.
    if (random.chance(0.2)) body[random.between(10, Math.max(10, body.length - 1))]! ^= 0xff;
  }
  if (random.chance(0.05)) headers['content-type'] = random.pick(['text/plain', 'application/protobuf', '', 'application/json; charset=latin1', 'APPLICATION/X-PROTOBUF']);
  if (random.chance(0.03)) headers['content-encoding'] = random.pick(['br', 'deflate', 'gzip, gzip', 'identity']);
  return { body, headers };
}

function carriesControl(body: Uint8Array): boolean {
  return Buffer.from(body).includes(CONTROL);
}

describe('fuzz: the sidecar endpoints', () => {
  let running: RunningSidecar;
  let seeds: SeedRequests;
  before(async () => {
    seeds = await buildSeedRequests();
    running = await startSidecar({ maxRequestBytes: 256 * 1024, maxInFlightRequests: 1000 });
    assert.deepEqual(await postExport(running.addresses.otlpHttp.url, 'protobuf', buildProtobufRequest(CONTROL_SPEC)), { kind: 'accepted' });
  });
  after(async () => {
    await running.sidecar.stop();
  });

  async function assertControlUnchanged(): Promise<void> {
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, `${CONTROL}_count_total`, { job: CONTROL, series: 'a' }), 42);
    assert.equal(valueOf(families, `${CONTROL}_hist_milliseconds_count`, { job: CONTROL, series: 'a' }), 6);
    assert.equal(valueOf(families, `${CONTROL}_hist_milliseconds_sum`, { job: CONTROL, series: 'a' }), 7.5);
    assert.equal(valueOf(families, `${CONTROL}_hist_milliseconds_bucket`, { job: CONTROL, series: 'a', le: '2' }), 3);
  }

  it(`OTLP/HTTP: ${HTTP_CASES} mutated requests each get 200, 400, 413 or 415; the control series is unchanged`, { timeout: 300_000 }, async () => {
    const random = new SeededRandom(seedFromEnv(8101));
    const statuses = new Map<number, number>();
    const cases: HttpCase[] = Array.from({ length: HTTP_CASES }, () => nextHttpCase(random, seeds));
    const carried = cases.filter((c) => carriesControl(c.body)).length;
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const { body, headers } = cases[index]!;
        const response = await fetch(running.addresses.otlpHttp.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assert.ok([200, 400, 413, 415].includes(response.status), `case ${index}: ${response.status} ${text} for ${JSON.stringify(headers)} ${Buffer.from(body).toString('base64')}`);
        if (index % 500 === 0) assert.equal((await get(running.addresses.metrics.url.replace(/\/metrics$/, '/-/healthy'))).status, 200);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`endpoint fuzz, OTLP/HTTP: ${HTTP_CASES} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${carried} carried the control resource`);
    if (carried === 0) await assertControlUnchanged();
    for (const format of ['text', 'openmetrics'] as const) {
      const response = await get(running.addresses.metrics.url, format === 'openmetrics' ? { accept: 'application/openmetrics-text; version=1.0.0' } : {});
      assert.equal(response.status, 200);
      parseExposition(await response.text(), format);
    }
    assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0, 'the mutations reach both outcomes');
  });

  it(`OTLP/gRPC: ${GRPC_CASES} mutated messages each get OK, INVALID_ARGUMENT or RESOURCE_EXHAUSTED; the control series is unchanged`, { timeout: 300_000 }, async () => {
    const random = new SeededRandom(seedFromEnv(8102));
    const client = grpcClient(running.addresses.otlpGrpc.port);
    const codes = new Map<string, number>();
    let carried = 0;
    const identity = (bytes: Buffer): Buffer => bytes;
    try {
      for (let i = 0; i < GRPC_CASES; i++) {
        const body = mutateProtobuf(random, seeds.protobuf);
        if (carriesControl(body)) carried++;
        const code = await new Promise<grpc.status>((resolve) => {
          client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(body), { deadline: Date.now() + TIMEOUT_MS }, (error) => resolve(error === null ? grpc.status.OK : error.code));
        });
        codes.set(grpc.status[code], (codes.get(grpc.status[code]) ?? 0) + 1);
        assert.ok([grpc.status.OK, grpc.status.INVALID_ARGUMENT, grpc.status.RESOURCE_EXHAUSTED].includes(code), `case ${i}: ${grpc.status[code]} for ${Buffer.from(body).toString('base64')}`);
      }
    } finally {
      client.close();
    }
    console.log(`endpoint fuzz, OTLP/gRPC: ${GRPC_CASES} cases, codes ${JSON.stringify(Object.fromEntries(codes))}`);
    if (carried === 0) await assertControlUnchanged();
    assert.equal((await get(running.addresses.metrics.url.replace(/\/metrics$/, '/-/healthy'))).status, 200);
  });

  it('the control series can still be updated afterwards (the receivers took no harm)', async () => {
    const spec: RequestSpec = { ...CONTROL_SPEC, startNs: CONTROL_SPEC.timeNs, timeNs: CONTROL_SPEC.timeNs + 1_000_000_000n, points: [{ kind: 'counter', series: 'a', value: 1 }] };
    assert.deepEqual(await postExport(running.addresses.otlpHttp.url, 'json', buildJsonRequest(spec)), { kind: 'accepted' });
    assert.equal(valueOf(await scrape(running.addresses), `${CONTROL}_count_total`, { job: CONTROL, series: 'a' }), 43);
  });
});
