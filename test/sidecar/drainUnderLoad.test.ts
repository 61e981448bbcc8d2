/**
 * The built CLI (`node dist/cli.js`) stopping under a stream of OTLP/HTTP exports. Several clients
 * export as fast as they are answered, each its own job with a delta counter and a cumulative one
 * carrying the same running total; a 503 is retried after its `Retry-After`, as the OTLP exporters
 * do, and a closed port ends a client. SIGTERM arrives mid-stream while /metrics is scraped through
 * the drain period. Then:
 * - every export answered 200, before or during the drain, is in the last scrape: both counters
 *   equal exactly the sum of the deltas accepted (none lost, none counted twice);
 * - every export begun once `/-/ready` answered 503 got 503 with `Retry-After`, or found the port
 *   closed; none was accepted;
 * - during the drain `/-/ready` is 503 and `/-/healthy` 200;
 * - the process exits 0 within the drain period and a margin.
 * Nothing relies on the CLI's log text: readiness is polled on `/-/ready`. Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cliChild.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { parseExposition } from '../helpers/parseExposition.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { TIMEOUT_MS, valueOf } from './sidecarHarness.ts';

const CLIENTS = 4;
const DRAIN_MS = 2_000;
/** Time allowed past the drain period for closing the listeners and exiting (2 shared cores). */
const MARGIN_MS = 5_000;
/** Exports each client has had accepted before SIGTERM is sent: the stream is well under way. */
const ACCEPTED_BEFORE_SIGNAL = 20;
/** Bounds on every loop, whatever happens. */
const MAX_EXPORTS_PER_CLIENT = 20_000;
const MAX_SCRAPES = 2_000;
const BASE_NS = 1_700_000_000_000_000_000n;
const MS_NS = 1_000_000n;

interface Outcome {
  /** `performance.now()` when the export was begun and when its answer (or failure) came. */
  readonly begunAt: number;
  readonly endedAt: number;
  /** HTTP status, or 'closed' when the connection was refused or cut. */
  readonly status: number | 'closed';
  readonly retryAfter: string | null;
}

interface ClientRecord {
  readonly job: string;
  /** Sum of the deltas of the exports answered 200. */
  acceptedTotal: number;
  accepted: number;
  readonly outcomes: Outcome[];
}

/**
 * One export: a delta sum whose range follows the last accepted one (a retry resends the same
 * range), and a cumulative sum with the running total as it would stand once this one is accepted.
 */
function exportBody(job: string, sequence: number, delta: number, total: number): string {
  const start = BASE_NS + BigInt(sequence) * MS_NS;
  const end = start + MS_NS;
  const point = (startNs: bigint, value: number) => ({ startTimeUnixNano: String(startNs), timeUnixNano: String(end), asDouble: value });
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: job } }] },
        scopeMetrics: [
          {
            scope: { name: 'drain-under-load' },
            metrics: [
              { name: 'stream_delta', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [point(start, delta)] } },
              { name: 'stream_cumulative', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [point(BASE_NS, total)] } },
            ],
          },
        ],
      },
    ],
  });
}

/** Exports until the port is closed (or the bounds are reached), retrying a 503 after its Retry-After. */
async function runClient(url: string, record: ClientRecord, deadline: number): Promise<void> {
  let sequence = 0;
  for (let attempt = 0; attempt < MAX_EXPORTS_PER_CLIENT && performance.now() < deadline; attempt++) {
    const delta = (sequence % 5) + 1;
    const begunAt = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: exportBody(record.job, sequence, delta, record.acceptedTotal + delta),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
    } catch {
      record.outcomes.push({ begunAt, endedAt: performance.now(), status: 'closed', retryAfter: null });
      return;
    }
    record.outcomes.push({ begunAt, endedAt: performance.now(), status: response.status, retryAfter: response.headers.get('retry-after') });
    if (response.status === 200) {
      record.acceptedTotal += delta;
      record.accepted++;
      sequence++;
    } else if (response.status === 503) {
      await delay(Number(response.headers.get('retry-after') ?? '1') * 1000);
    } else {
      return; // recorded: the checks below fail on it
    }
  }
}

interface Scrape {
  readonly begunAt: number;
  readonly body: string;
}

describe('the CLI stopping under a stream of OTLP exports', () => {
  it(`${CLIENTS} clients exporting through SIGTERM: nothing accepted is lost, the rest is refused, exit 0 after the drain`, { timeout: 90_000 }, async () => {
    const [metricsPort, httpPort, grpcPort] = await freePorts(3);
    const cli = runCli(['--metrics-listen', `127.0.0.1:${metricsPort}`, '--otlp-http-listen', `127.0.0.1:${httpPort}`, '--otlp-grpc-listen', `127.0.0.1:${grpcPort}`, '--drain-period', `${DRAIN_MS / 1000}s`]);
    const { child } = cli;
    // Both streams in the order they came, for failure messages.
    let output = '';
    child.stdout!.on('data', (chunk: string) => (output += chunk));
    child.stderr!.on('data', (chunk: string) => (output += chunk));
    const exited = cli.exited.then(({ code, signal }) => ({ code, signal, at: performance.now() }));
    const metrics = `http://127.0.0.1:${metricsPort}`;
    const status = async (path: string): Promise<number | undefined> => {
      try {
        return (await fetch(`${metrics}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).status;
      } catch {
        return undefined;
      }
    };
    // Ready once every listener is started.
    await pollUntil('the CLI to answer /-/ready with 200', async () => (child.exitCode !== null ? assert.fail(output) : (await status('/-/ready')) === 200 ? true : undefined), TIMEOUT_MS, 50);

    const records: ClientRecord[] = Array.from({ length: CLIENTS }, (_, i) => ({ job: `stream-client-${i}`, acceptedTotal: 0, accepted: 0, outcomes: [] }));
    const deadline = performance.now() + 60_000;
    const clients = Promise.all(records.map((record) => runClient(`http://127.0.0.1:${httpPort}/v1/metrics`, record, deadline)));
    await pollUntil(
      `each client to have ${ACCEPTED_BEFORE_SIGNAL} exports accepted`,
      () => (records.every((record) => record.accepted >= ACCEPTED_BEFORE_SIGNAL) ? true : undefined),
      30_000,
      20,
    );

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await pollUntil('/-/ready to answer 503', async () => ((await status('/-/ready')) === 503 ? true : undefined), TIMEOUT_MS, 20);
    const drainSeenAt = performance.now();
    assert.equal(await status('/-/healthy'), 200, '/-/healthy stays 200 while draining');

    // Scrape through the drain period until the listener closes.
    const scrapes: Scrape[] = [];
    const readyDuringDrain = new Set<number>();
    for (let i = 0; i < MAX_SCRAPES && performance.now() < deadline; i++) {
      const begunAt = performance.now();
      try {
        const response = await fetch(`${metrics}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        const body = await response.text();
        assert.equal(response.status, 200, body);
        scrapes.push({ begunAt, body });
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        break; // closed: the drain period is over
      }
      const ready = await status('/-/ready');
      if (ready !== undefined) readyDuringDrain.add(ready);
      await delay(50);
    }

    const exit = await exited;
    await clients;
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, output);
    const tookMs = exit.at - signalledAt;
    assert.ok(tookMs < DRAIN_MS + MARGIN_MS, `exited ${Math.round(tookMs)} ms after SIGTERM, more than the drain period of ${DRAIN_MS} ms + ${MARGIN_MS} ms`);
    assert.deepEqual([...readyDuringDrain], [503], '/-/ready answered 503 throughout the drain');
    assert.ok(scrapes.length > 0, 'at least one scrape during the drain');

    const last = scrapes.at(-1)!;
    const families = parseExposition(last.body, 'text');
    for (const record of records) {
      const outcomes = record.outcomes;
      const lastAccepted = outcomes.filter((outcome) => outcome.status === 200).at(-1);
      assert.ok(lastAccepted !== undefined && lastAccepted.endedAt < last.begunAt, `${record.job}: its last 200 came before the last scrape`);
      assert.equal(valueOf(families, 'stream_delta_total', { job: record.job }), record.acceptedTotal, `${record.job}: the delta counter sums every accepted export`);
      assert.equal(valueOf(families, 'stream_cumulative_total', { job: record.job }), record.acceptedTotal, `${record.job}: the cumulative counter has the last accepted value`);

      const before = outcomes.filter((outcome) => outcome.endedAt < signalledAt);
      assert.ok(before.every((outcome) => outcome.status === 200), `${record.job}: everything before SIGTERM was accepted: ${JSON.stringify(before.filter((o) => o.status !== 200))}`);
      const afterDrain = outcomes.filter((outcome) => outcome.begunAt > drainSeenAt);
      assert.ok(afterDrain.length > 0, `${record.job}: exported again once draining`);
      for (const outcome of afterDrain) {
        assert.ok(outcome.status === 503 || outcome.status === 'closed', `${record.job}: an export begun while draining got ${outcome.status}`);
        if (outcome.status === 503) assert.equal(outcome.retryAfter, '1');
      }
      assert.equal(outcomes.at(-1)!.status, 'closed', `${record.job}: ended on the closed port`);
    }
  });
});
