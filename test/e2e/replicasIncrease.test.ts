/**
 * End to end, the issue "correct numbers with real-world pushers": eight replicas of one service on
 * the official OpenTelemetry JS SDK (one identity: the SDK sets no service.instance.id) push delta
 * temporality through the official OTLP exporters, round after round, while a real Prometheus 2.42
 * scrapes the sidecar every second. Prometheus must store counters that only grow and end at what
 * the replicas recorded: `resets()` 0, and `increase()` over the run the growth from the first
 * sample to the last, up to its documented extrapolation (with overlapping windows refused, it
 * once answered 9,064 for a true 18).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type MatrixSeries, type QueryData, type RunningPrometheus } from '../helpers/prometheus.ts';
import { SeededRandom, seedFromEnv } from '../helpers/seededRandom.ts';
import { stopAll } from '../helpers/stopAll.ts';
import { DeltaReplicas, KINDS, REPLICA_JOB, SIZE_BOUNDS } from '../sidecar/deltaReplicas.ts';
import { quietLogger, startSidecar, type RunningSidecar } from '../sidecar/sidecarHarness.ts';

const SCRAPE_JOB = 'sidecar';
const REPLICAS = 8;
const ROUNDS = 5;
const SEED = seedFromEnv(4_242);

/** What had been recorded when a round's exports were all answered. */
interface RoundTotals {
  readonly jobs: ReadonlyMap<string, number>;
  readonly sizes: number;
}

const skip = skipUnlessInstalled(['prometheus']);

describe('a real Prometheus 2.42 scrapes the sidecar while eight delta replicas on one identity push', { skip, timeout: 120_000 }, () => {
  let running: RunningSidecar | undefined;
  let prometheus: RunningPrometheus | undefined;
  let replicas: DeltaReplicas | undefined;
  const rounds: RoundTotals[] = [];

  before(async () => {
    requireExecutable('prometheus');
    running = await startSidecar({ logger: quietLogger });
    const { addresses } = running;
    prometheus = await startPrometheus({ scrapeIntervalSeconds: 1, targets: [{ job: SCRAPE_JOB, target: addresses.metrics.url }] });
    await prometheus.waitForScrapes(2);

    replicas = new DeltaReplicas({ http: addresses.otlpHttp.url, grpc: addresses.otlpGrpc.url }, REPLICAS);
    const random = new SeededRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      replicas.recordRound(random);
      // Every replica exports each round: all at once, or one after another.
      if (round % 2 === 0) await replicas.flushAll();
      else await replicas.flushOneByOne(random);
      rounds.push(replicas.recorded.snapshot());
      // The third scrape seen from now began after this round's exports were answered: Prometheus
      // holds each round's totals before the next round pushes.
      await prometheus.waitForScrapes(3);
    }
  });

  after(() => stopAll([() => prometheus?.stop(), () => replicas?.shutdown(), () => running?.sidecar.stop()]));

  function prom(): RunningPrometheus {
    assert.ok(prometheus, 'prometheus started');
    return prometheus;
  }

  function recorded(): DeltaReplicas['recorded'] {
    assert.ok(replicas, 'the replicas pushed');
    return replicas.recorded;
  }

  const context = (): string => `seed ${SEED} (RELIABILITY_SEED=${SEED} replays it); ${replicas?.describeWindows() ?? ''}`;

  /** The one series a range selector finds, as numbers. */
  async function rawSamples(selector: string): Promise<{ times: number[]; values: number[] }> {
    const data = await prom().query(`${selector}[1h]`);
    assert.equal(data.resultType, 'matrix');
    const series = data.result as readonly MatrixSeries[];
    assert.equal(series.length, 1, `one series for ${selector}: ${JSON.stringify(series.map((s) => s.metric))}`);
    return { times: series[0]!.values.map(([time]) => time), values: series[0]!.values.map(([, value]) => Number(value)) };
  }

  /** An instant query's one value, evaluated at `time` (seconds) when given. */
  async function scalarAt(promql: string, time?: number): Promise<number> {
    const data = await prom().api<QueryData>('query', { query: promql, ...(time === undefined ? {} : { time: String(time) }) });
    assert.equal(data.resultType, 'vector', promql);
    const result = data.result as readonly { value: readonly [number, string] }[];
    assert.equal(result.length, 1, `one result for ${promql}: ${JSON.stringify(result)}`);
    return Number(result[0]!.value[1]);
  }

  const counters = (): { selector: string; total: number; perRound: number[] }[] => [
    ...KINDS.map((kind) => ({
      selector: `jobs_done_total{job="${REPLICA_JOB}", kind="${kind}"}`,
      total: recorded().jobs.get(kind)!,
      perRound: rounds.map((round) => round.jobs.get(kind)!),
    })),
    { selector: `job_size_bytes_count{job="${REPLICA_JOB}"}`, total: recorded().sizes.length, perRound: rounds.map((round) => round.sizes) },
  ];

  it('scrapes the sidecar successfully, and no pushed point was refused', async () => {
    assert.equal(await scalarAt(`up{job="${SCRAPE_JOB}"}`), 1);
    assert.ok(running);
    assert.deepEqual([...running.sidecar.droppedCounts()].filter(([, count]) => count > 0), [], context());
  });

  it("stores each counter's samples never going down, holding every round's total and ending at everything recorded", async () => {
    for (const { selector, total, perRound } of counters()) {
      const { values } = await rawSamples(selector);
      for (let i = 1; i < values.length; i++) assert.ok(values[i]! >= values[i - 1]!, `${selector} went down at sample ${i}: ${values.join(', ')}; ${context()}`);
      for (const [round, expected] of perRound.entries()) {
        assert.ok(values.includes(expected), `${selector}: round ${round}'s total ${expected} among the samples ${values.join(', ')}; ${context()}`);
      }
      assert.equal(values.at(-1), total, `${selector}: ${context()}`);
    }
  });

  it('answers PromQL as the recorded numbers say: resets() 0, max_over_time() the total, increase() the growth from the first sample to the last within its extrapolation', async () => {
    for (const { selector, total } of counters()) {
      assert.equal(await scalarAt(`resets(${selector}[1h])`), 0, `${selector}: ${context()}`);
      assert.equal(await scalarAt(`max_over_time(${selector}[1h])`), total, `${selector}: ${context()}`);

      // Evaluated at the last sample, increase() extrapolates only towards the start: by at most
      // 1.1 average sample intervals (Prometheus' extrapolatedRate), never below the growth seen.
      const { times, values } = await rawSamples(selector);
      assert.ok(values.length >= ROUNDS, `at least one sample a round: ${values.length}`);
      const growth = values.at(-1)! - values[0]!;
      const increase = await scalarAt(`increase(${selector}[1h])`, times.at(-1)!);
      const most = growth * (1 + 1.1 / (values.length - 1));
      assert.ok(increase >= growth - 1e-9 && increase <= most + 1e-9, `${selector}: increase() ${increase}, growth seen ${growth} (at most ${most}); ${context()}`);
    }
  });

  it("stores the histogram's last _count, _sum and every bucket as recorded", async () => {
    const histogram = recorded();
    const selector = `job="${REPLICA_JOB}"`;
    assert.equal(await scalarAt(`job_size_bytes_count{${selector}}`), histogram.sizes.length, context());
    assert.equal(await scalarAt(`job_size_bytes_sum{${selector}}`), histogram.sizes.reduce((a, b) => a + b, 0), context());
    const buckets = histogram.sizeBuckets();
    for (const le of [...SIZE_BOUNDS.map(String), '+Inf']) {
      // Prometheus 2.42 keeps `le` as scraped (`10` or `10.0`): match it by value.
      const pattern = le === '+Inf' ? '\\\\+Inf' : `${le}(\\\\.0)?`;
      assert.equal(await scalarAt(`job_size_bytes_bucket{${selector}, le=~"${pattern}"}`), buckets[le], `le ${le}: ${context()}`);
    }
  });

  it('took no point for a retry', async () => {
    const data = await prom().query('otel_prom_bridge_retried_delta_points_total');
    assert.equal(data.resultType, 'vector');
    const values = (data.result as readonly { value: readonly [number, string] }[]).map((sample) => Number(sample.value[1]));
    assert.ok(values.every((value) => value === 0), `retried points: ${values.join(', ')}; ${context()}`);
  });
});
