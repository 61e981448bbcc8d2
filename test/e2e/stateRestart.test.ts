/**
 * State across restarts, end to end: the CLI as a child process with a state directory, pushed
 * delta and cumulative sums over OTLP/HTTP, a real Prometheus scraping it across a SIGTERM
 * restart (no reset seen, the sums add up, a client that has not pushed again served at once),
 * and a SIGKILL after which exactly what the last snapshot held is back (also when it lands in the
 * middle of a stream of exports).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exitOf, runCli, type CliChild } from '../helpers/cliChild.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { encodeProtobuf, type ExportSpec } from '../helpers/otlpRequests.ts';
import { parseExposition } from '../helpers/parseExposition.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { postExport } from '../helpers/sendExport.ts';

const NS = 1_000_000n;
const SECOND = 1000n * NS;
const RESOURCE = { 'service.name': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'node-7' };
const JOBS = { job: 'shop', instance: 'pod-1', queue: 'mail' };

interface Ports {
  readonly http: number;
  readonly grpc: number;
  readonly metrics: number;
}

/** The CLI on fixed loopback ports (a restart takes the same ones, as a restarted container does), ready once /-/healthy answers. */
async function startCli(ports: Ports, stateDir: string, extra: readonly string[] = []): Promise<CliChild> {
  const cli = runCli(
    [
      '--otlp-http-listen', `127.0.0.1:${ports.http}`,
      '--otlp-grpc-listen', `127.0.0.1:${ports.grpc}`,
      '--metrics-listen', `127.0.0.1:${ports.metrics}`,
      '--state-dir', stateDir,
      '--drain-period', '0s',
      '--log-level', 'info',
      ...extra,
    ],
    undefined,
    { cli: 'source' },
  );
  await pollUntil(
    'the sidecar to answer /-/ready',
    async () => {
      if (cli.child.exitCode !== null) throw new Error(`the sidecar exited with ${cli.child.exitCode}: ${cli.stderr}`);
      const response = await fetch(`http://127.0.0.1:${ports.metrics}/-/ready`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      return response?.status === 200 ? true : undefined;
    },
    30_000,
    50,
  );
  return cli;
}

function deltaWindow(value: number, startNs: bigint, timeNs: bigint): ExportSpec {
  return { resource: RESOURCE, metrics: [{ kind: 'sum', name: 'jobs', temporality: 'delta', monotonic: true, points: [{ attributes: { queue: 'mail' }, startNs, timeNs, value }] }] };
}

async function push(ports: Ports, spec: ExportSpec): Promise<void> {
  assert.deepEqual(await postExport(`http://127.0.0.1:${ports.http}/v1/metrics`, 'protobuf', encodeProtobuf(spec)), { kind: 'accepted' });
}

/** A sample's value from a scrape of the sidecar itself; undefined when absent. */
async function scraped(ports: Ports, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const body = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const samples = parseExposition(body, 'text').flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(samples.length <= 1, `one ${name} at most`);
  return samples[0]?.value;
}

const children: CliChild[] = [];
after(() => {
  for (const child of children) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
});

describe('state across restarts, end to end', () => {
  it('a real Prometheus sees no reset across a SIGTERM restart; the delta sums add up; a silent cumulative client is served at once', { skip: skipUnlessInstalled(), timeout: 120_000 }, async () => {
    requireExecutable('prometheus');
    const [http, grpc, metrics] = (await freePorts(3)) as [number, number, number];
    const ports = { http, grpc, metrics };
    const stateDir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-e2e-state-'));
    let prometheus: RunningPrometheus | undefined;
    try {
      let cli = await startCli(ports, stateDir);
      children.push(cli);
      prometheus = await startPrometheus({ targets: [{ job: 'sidecar', target: `http://127.0.0.1:${metrics}/metrics` }], scrapeIntervalSeconds: 0.5 });
      const t0 = BigInt(Date.now() - 120_000) * NS;
      let expected = 0;
      let window = 0;
      const pushWindows = async (count: number): Promise<void> => {
        for (let i = 0; i < count; i++, window++) {
          const value = (window % 3) + 1;
          await push(ports, deltaWindow(value, t0 + BigInt(window) * SECOND, t0 + BigInt(window + 1) * SECOND));
          expected += value;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      // A cumulative client that pushes once, before the restart, and never again.
      await push(ports, { resource: { ...RESOURCE, 'service.instance.id': 'pod-2' }, metrics: [{ kind: 'sum', name: 'orders', temporality: 'cumulative', monotonic: true, points: [{ attributes: {}, startNs: t0, timeNs: t0 + 5n * SECOND, value: 42 }] }] });
      await pushWindows(10);
      await prometheus.waitForScrapes(3);

      cli.child.kill('SIGTERM');
      assert.deepEqual(await exitOf(cli, 20_000), { code: 0, signal: null }, cli.stderr);
      cli = await startCli(ports, stateDir);
      children.push(cli);
      // Right after the restart, before any client pushes again.
      assert.equal(await scraped(ports, 'orders_total', { instance: 'pod-2' }), 42);
      assert.equal(await scraped(ports, 'jobs_total', JOBS), expected);
      assert.match(cli.stderr, /restored 4 series from the state snapshot .*store\.snapshot/);

      await pushWindows(10);
      await prometheus.waitForScrapes(4);
      const value = async (promql: string): Promise<number> => {
        const result = await prometheus!.queryVector(promql);
        assert.equal(result.length, 1, `${promql}: ${JSON.stringify(result)}`);
        return Number(result[0]!.value[1]);
      };
      await pollUntil('Prometheus to have scraped the last window', async () => ((await value(`jobs_total{job="shop",queue="mail"}`)) === expected ? true : undefined), 15_000, 200);
      assert.equal(await value(`resets(jobs_total{job="shop",queue="mail"}[10m])`), 0);
      assert.equal(await value(`resets(orders_total{instance="pod-2"}[10m])`), 0);
      assert.equal(await value(`orders_total{instance="pod-2"}`), 42);
      // The scrapes that failed while it restarted are the only gap: both processes were up.
      assert.ok((await value(`max_over_time(otel_prom_bridge_state_restores_total{outcome="restored"}[10m])`)) === 1);
      cli.child.kill('SIGTERM');
      assert.equal((await exitOf(cli, 20_000)).code, 0);
    } finally {
      await prometheus?.stop();
    }
  });

  it('after SIGKILL what the last snapshot held is back, nothing more; the export lost with it is added when retried', { timeout: 60_000 }, async () => {
    const [http, grpc, metrics] = (await freePorts(3)) as [number, number, number];
    const ports = { http, grpc, metrics };
    const stateDir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-e2e-kill-'));
    let cli = await startCli(ports, stateDir, ['--state-snapshot-interval', '2s']);
    children.push(cli);
    const t0 = BigInt(Date.now() - 60_000) * NS;
    for (let i = 0; i < 5; i++) await push(ports, deltaWindow(i + 1, t0 + BigInt(i) * SECOND, t0 + BigInt(i + 1) * SECOND));
    const snapshots = async () => (await scraped(ports, 'otel_prom_bridge_state_snapshots_total', { outcome: 'success' })) ?? 0;
    const before = await snapshots();
    // Two snapshots later, the last one surely started after those pushes; the next is about 2 s away.
    await pollUntil('two more snapshots', async () => ((await snapshots()) >= before + 2 ? true : undefined), 15_000, 20);
    const lost = deltaWindow(100, t0 + 5n * SECOND, t0 + 6n * SECOND);
    await push(ports, lost);
    assert.equal(await scraped(ports, 'jobs_total', JOBS), 115);
    cli.child.kill('SIGKILL');
    assert.equal((await exitOf(cli, 10_000)).signal, 'SIGKILL');

    cli = await startCli(ports, stateDir, ['--state-snapshot-interval', '2s']);
    children.push(cli);
    assert.equal(await scraped(ports, 'jobs_total', JOBS), 15, 'what the last snapshot held, and nothing more');
    assert.equal(await scraped(ports, 'otel_prom_bridge_state_restores_total', { outcome: 'restored' }), 1);
    // The client retries the export whose answer it never got: not in the snapshot, so added now.
    await push(ports, lost);
    assert.equal(await scraped(ports, 'jobs_total', JOBS), 115);
    // A retry of one the snapshot held is recognised.
    await push(ports, deltaWindow(5, t0 + 4n * SECOND, t0 + 5n * SECOND));
    assert.equal(await scraped(ports, 'jobs_total', JOBS), 115);
    assert.equal(await scraped(ports, 'otel_prom_bridge_retried_delta_points_total'), 1);
    cli.child.kill('SIGTERM');
    assert.equal((await exitOf(cli, 20_000)).code, 0);
  });

  it('SIGKILL in the middle of ingest: a prefix of the windows is back, no more than were sent; the rest is added when retried', { timeout: 60_000 }, async () => {
    const [http, grpc, metrics] = (await freePorts(3)) as [number, number, number];
    const ports = { http, grpc, metrics };
    const stateDir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-e2e-kill-ingest-'));
    let cli = await startCli(ports, stateDir, ['--state-snapshot-interval', '1s']);
    children.push(cli);
    const t0 = BigInt(Date.now() - 60_000) * NS;
    const MS = NS;
    // Window i holds 1 and covers [t0 + 10i ms, t0 + 10(i+1) ms]: the sum is the number of windows applied.
    const windowOf = (i: number): ExportSpec => deltaWindow(1, t0 + BigInt(i) * 10n * MS, t0 + BigInt(i + 1) * 10n * MS);
    let sent = 0;
    let stopped = false;
    const pusher = (async () => {
      while (!stopped) {
        sent++; // counted before it goes: one in flight when the process dies may have been applied
        const answer = await postExport(`http://127.0.0.1:${ports.http}/v1/metrics`, 'protobuf', encodeProtobuf(windowOf(sent - 1))).catch(() => undefined);
        if (answer?.kind !== 'accepted') return;
      }
    })();
    const snapshots = async () => (await scraped(ports, 'otel_prom_bridge_state_snapshots_total', { outcome: 'success' })) ?? 0;
    const before = await snapshots();
    await pollUntil('two snapshots during ingest', async () => ((await snapshots()) >= before + 2 ? true : undefined), 15_000, 20);
    cli.child.kill('SIGKILL');
    assert.equal((await exitOf(cli, 10_000)).signal, 'SIGKILL');
    await pusher;
    stopped = true;

    cli = await startCli(ports, stateDir, ['--state-snapshot-interval', '1s']);
    children.push(cli);
    const restored = (await scraped(ports, 'jobs_total', JOBS)) ?? 0;
    assert.ok(restored > 0, 'the snapshots written during ingest held windows');
    assert.ok(restored <= sent, `restored ${restored}, no more than the ${sent} windows sent`);
    // Windows 0..restored-1 are back; the client retries from the last one it is unsure of.
    for (let i = restored - 1; i < sent; i++) await push(ports, windowOf(i));
    assert.equal(await scraped(ports, 'jobs_total', JOBS), sent, 'each window counted once');
    assert.equal(await scraped(ports, 'otel_prom_bridge_retried_delta_points_total'), 1);
    cli.child.kill('SIGTERM');
    assert.equal((await exitOf(cli, 20_000)).code, 0);
  });
});
