/**
 * SIGTERM under load: the CLI sidecar (a child process) takes exports from 6 clients (protobuf,
 * JSON and gRPC, delta counters and histograms) when it is told to stop. Every export it answered
 * with success is in the last scrape, taken during the drain period; every other export was
 * refused with 503 or UNAVAILABLE (for the client to retry elsewhere), none failed otherwise; and
 * the process exits 0.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { parseExposition } from '../helpers/parseExposition.ts';
import { startCliSidecar, type CliSidecar } from '../helpers/cliChild.ts';
import { findTornHistograms } from './expositionChecks.ts';
import { buildJsonRequest, buildProtobufRequest, type PointSpec, type RequestSpec } from '../helpers/otlpRequests.ts';
import { grpcClient, grpcExport, postExport, type ExportAnswer } from '../helpers/sendExport.ts';

const CLIENTS = 6;
const SERIES = 50;
const BASE_NS = 1_700_000_000_000_000_000n;
const MS_NS = 1_000_000n;

describe('faults: SIGTERM under load', () => {
  let sidecar: CliSidecar;
  before(async () => {
    sidecar = await startCliSidecar(['--drain-period', '3s']);
  });
  after(() => sidecar.kill());

  it(`${CLIENTS} clients pushing when SIGTERM arrives: every export answered with success is in the last scrape; the process exits 0`, { timeout: 90_000 }, async () => {
    const accepted = new Array<number>(CLIENTS).fill(0);
    const refusals = new Array<string>(CLIENTS).fill('');
    let stopAfterMs = Infinity;
    const started = Date.now();
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const transport = (['protobuf', 'json', 'grpc'] as const)[c % 3]!;
      const grpc = transport === 'grpc' ? grpcClient(sidecar.otlpGrpcPort) : undefined;
      try {
        // Bounded: at most 20,000 pushes or 30 s, stopping at the first refusal.
        for (let push = 0; push < 20_000 && Date.now() - started < 30_000; push++) {
          const points: PointSpec[] = [];
          for (let s = 0; s < SERIES; s++) {
            points.push({ kind: 'counter', series: `s${s}`, value: 1 });
            points.push({ kind: 'histogram', series: `s${s}`, counts: [0, 1, 0], sum: 2 });
          }
          const spec: RequestSpec = {
            service: `term-${c}`,
            temporality: 'delta',
            startNs: BASE_NS + BigInt(push) * MS_NS,
            timeNs: BASE_NS + BigInt(push + 1) * MS_NS,
            counterName: 'term.requests',
            histogramName: 'term.latency',
            bounds: [1, 10],
            points,
          };
          let answer: ExportAnswer;
          try {
            answer =
              transport === 'grpc' ? await grpcExport(grpc!, buildProtobufRequest(spec), 10_000) : await postExport(sidecar.otlpHttpUrl, transport, transport === 'json' ? buildJsonRequest(spec) : buildProtobufRequest(spec), 10_000);
          } catch (error) {
            refusals[c] = `connection: ${String(error)}`;
            return;
          }
          if (answer.kind === 'accepted') accepted[c]!++;
          else if (answer.kind === 'retry') {
            refusals[c] = answer.detail;
            return;
          } else assert.fail(`client ${c} push ${push}: ${JSON.stringify(answer)}`);
          if (Date.now() - started > stopAfterMs) return;
        }
      } finally {
        grpc?.close();
      }
    });
    await delay(1500);
    assert.ok(accepted.every((n) => n > 0), `every client got going: ${accepted}`);
    sidecar.child.kill('SIGTERM');
    stopAfterMs = Date.now() - started + 10_000;
    await Promise.all(clients);
    // Within the drain period the metrics path still answers: the last scrape.
    const response = await fetch(sidecar.metricsUrl, { signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 200);
    const families = parseExposition(await response.text(), 'text');
    assert.deepEqual(findTornHistograms(families), []);
    const samples = families.flatMap((family) => family.samples);
    for (let c = 0; c < CLIENTS; c++) {
      assert.match(refusals[c]!, /draining|shutting down|ECONNREFUSED|connection/i, `client ${c} stopped for the drain`);
      for (let s = 0; s < SERIES; s += 7) {
        const value = (name: string) => samples.find((sample) => sample.name === name && sample.labels.job === `term-${c}` && sample.labels.series === `s${s}`)?.value;
        assert.equal(value('term_requests_total'), accepted[c], `client ${c} series s${s}: every acknowledged increment, once`);
        assert.equal(value('term_latency_milliseconds_count'), accepted[c]);
        assert.equal(value('term_latency_milliseconds_sum'), 2 * accepted[c]!);
      }
    }
    const exit = await Promise.race([sidecar.exited, delay(20_000, undefined, { ref: false })]);
    assert.deepEqual(exit, { code: 0, signal: null }, sidecar.stderrTail());
    console.log(`SIGTERM under load: ${accepted.reduce((a, b) => a + b, 0)} exports acknowledged (${accepted.join(', ')}) by ${CLIENTS} clients, all in the last scrape; clients stopped on: ${[...new Set(refusals.map((r) => r.slice(0, 60)))].join(' | ')}`);
  });
});
