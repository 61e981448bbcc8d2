/**
 * The sidecar with a state directory: what it held comes back after a restart (stop, start of a new
 * Sidecar on the same directory), an export retried across the restart is counted once over HTTP
 * and gRPC, and a damaged snapshot or a directory held by another sidecar are handled.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateDirectoryError } from '../../src/outputs/state/StateDirectoryError.ts';
import { Sidecar } from '../../src/sidecar/Sidecar.ts';
import { encodeJson, encodeProtobuf, type ExportSpec } from '../helpers/otlpRequests.ts';
import { parseExposition, type ParsedFamily } from '../helpers/parseExposition.ts';
import { grpcClient, grpcExport, postExport } from '../helpers/sendExport.ts';
import type { SidecarAddresses } from '../../src/sidecar/sidecarAddresses.ts';
import { get, scrape, startSidecar, valueOf, type RunningSidecar } from './sidecarHarness.ts';

const NS = 1_000_000n;
const T0 = BigInt(Date.now() - 60_000) * NS;
const SECOND = 1000n * NS;
const RESOURCE = { 'service.name': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'node-7' };
const SERIES = { job: 'shop', instance: 'pod-1', queue: 'mail' };

const running: Sidecar[] = [];
after(async () => {
  await Promise.all(running.map((sidecar) => sidecar.stop()));
});

function deltaExport(value: number, startNs: bigint, timeNs: bigint): ExportSpec {
  return { resource: RESOURCE, metrics: [{ kind: 'sum', name: 'jobs', temporality: 'delta', monotonic: true, points: [{ attributes: { queue: 'mail' }, startNs, timeNs, value }] }] };
}

function cumulativeExport(value: number, timeNs: bigint): ExportSpec {
  return { resource: RESOURCE, metrics: [{ kind: 'sum', name: 'orders', temporality: 'cumulative', monotonic: true, points: [{ attributes: { shop: 'x' }, startNs: T0, timeNs, value }] }] };
}

async function startWith(stateDir: string, warnings: string[] = []): Promise<RunningSidecar> {
  const started = await startSidecar({ stateDir, logger: { warn: (message) => warnings.push(message), debug: () => undefined } });
  running.push(started.sidecar);
  return started;
}

async function scrapeOpenMetrics(addresses: SidecarAddresses): Promise<ParsedFamily[]> {
  const response = await get(addresses.metrics.url, { accept: 'application/openmetrics-text; version=1.0.0' });
  return parseExposition(await response.text(), 'openmetrics');
}

function freshDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'otel-prom-bridge-sidecar-state-'));
}

describe('Sidecar with a state directory', () => {
  it('a restart keeps delta sums, cumulative series and their start; retried exports are counted once over HTTP and gRPC', async () => {
    const stateDir = freshDirectory();
    const first = await startWith(stateDir);
    const w1 = deltaExport(2, T0, T0 + 10n * SECOND);
    const w2 = deltaExport(3, T0 + 10n * SECOND, T0 + 20n * SECOND);
    assert.deepEqual(await postExport(first.addresses.otlpHttp.url, 'protobuf', encodeProtobuf(w1)), { kind: 'accepted' });
    assert.deepEqual(await postExport(first.addresses.otlpHttp.url, 'json', encodeJson(w2)), { kind: 'accepted' });
    assert.deepEqual(await postExport(first.addresses.otlpHttp.url, 'protobuf', encodeProtobuf(cumulativeExport(10, T0 + 20n * SECOND))), { kind: 'accepted' });
    const before = await scrapeOpenMetrics(first.addresses);
    assert.equal(valueOf(before, 'jobs_total', SERIES), 5);
    await first.sidecar.stop();

    const second = await startWith(stateDir);
    const after = await scrapeOpenMetrics(second.addresses);
    // Served at once, before any client pushes again; the start times too (no reset for Prometheus).
    assert.equal(valueOf(after, 'jobs_total', SERIES), 5);
    assert.equal(valueOf(after, 'orders_total', { shop: 'x' }), 10);
    assert.deepEqual(
      after.flatMap((f) => f.samples).filter((s) => s.name === 'orders_created' || s.name === 'jobs_created'),
      before.flatMap((f) => f.samples).filter((s) => s.name === 'orders_created' || s.name === 'jobs_created'),
    );
    assert.equal(valueOf(after, 'otel_prom_bridge_state_restores_total', { outcome: 'restored' }), 1);
    assert.equal(valueOf(after, 'otel_prom_bridge_state_restores_total', { outcome: 'corrupt' }), 0);
    assert.equal(valueOf(after, 'target_info', { job: 'shop', instance: 'pod-1' }), 1);

    // The client's last export timed out though the first sidecar had applied it: it retries now.
    assert.deepEqual(await postExport(second.addresses.otlpHttp.url, 'protobuf', encodeProtobuf(w2)), { kind: 'accepted' });
    const client = grpcClient(second.addresses.otlpGrpc.port);
    try {
      assert.deepEqual(await grpcExport(client, encodeProtobuf(w1)), { kind: 'accepted' });
      let families = await scrape(second.addresses);
      assert.equal(valueOf(families, 'jobs_total', SERIES), 5);
      assert.equal(valueOf(families, 'otel_prom_bridge_retried_delta_points_total'), 2);
      // The next window adds onto the restored sum.
      assert.deepEqual(await grpcExport(client, encodeProtobuf(deltaExport(4, T0 + 20n * SECOND, T0 + 30n * SECOND))), { kind: 'accepted' });
      families = await scrape(second.addresses);
      assert.equal(valueOf(families, 'jobs_total', SERIES), 9);
    } finally {
      client.close();
    }

    const status = (await (await get(new URL('/api/v1/status', second.addresses.metrics.url).href)).json()) as { stateKeeping: { directory: string; restoreOutcome: string; restoredSeries: number } };
    assert.equal(status.stateKeeping.directory, stateDir);
    assert.equal(status.stateKeeping.restoreOutcome, 'restored');
    assert.equal(status.stateKeeping.restoredSeries, 3);
    const page = await (await get(new URL('/', second.addresses.metrics.url).href)).text();
    assert.match(page, /<h2>State across restarts<\/h2>\n<table id="state-keeping">/);

    await second.sidecar.stop();
    const third = await startWith(stateDir);
    assert.equal(valueOf(await scrape(third.addresses), 'jobs_total', SERIES), 9);
    const families = await scrape(third.addresses);
    assert.equal(valueOf(families, 'otel_prom_bridge_state_snapshots_total', { outcome: 'success' }), 0);
    await third.sidecar.stop();
  });

  it('writes a snapshot every interval while running, counted with its size and duration', async () => {
    const stateDir = freshDirectory();
    const { sidecar, addresses } = await startSidecar({ stateDir, stateSnapshotIntervalMs: 50, logger: { warn: () => undefined, debug: () => undefined } });
    running.push(sidecar);
    await postExport(addresses.otlpHttp.url, 'protobuf', encodeProtobuf(deltaExport(2, T0, T0 + SECOND)));
    let families = await scrape(addresses);
    for (let i = 0; i < 100 && valueOf(families, 'otel_prom_bridge_state_snapshots_total', { outcome: 'success' }) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      families = await scrape(addresses);
    }
    assert.ok(valueOf(families, 'otel_prom_bridge_state_snapshots_total', { outcome: 'success' }) >= 2);
    assert.equal(valueOf(families, 'otel_prom_bridge_state_snapshots_total', { outcome: 'failure' }), 0);
    assert.ok(valueOf(families, 'otel_prom_bridge_state_snapshot_bytes') > 100);
    assert.ok(valueOf(families, 'otel_prom_bridge_state_snapshot_duration_seconds') > 0);
    assert.ok(Math.abs(valueOf(families, 'otel_prom_bridge_state_last_snapshot_timestamp_seconds') - Date.now() / 1000) < 60);
    assert.equal(valueOf(families, 'otel_prom_bridge_state_restores_total', { outcome: 'none' }), 1);
    // The status page and its JSON: the last snapshot's time, series, size and duration.
    const status = (await (await get(new URL('/api/v1/status', addresses.metrics.url).href)).json()) as { stateKeeping: { lastSnapshot: { atMs: number; durationMs: number; bytes: number; series: number } } };
    const last = status.stateKeeping.lastSnapshot;
    assert.ok(Math.abs(last.atMs - Date.now()) < 60_000 && last.durationMs > 0 && last.bytes > 100 && last.series >= 2, JSON.stringify(last));
    const page = await (await get(new URL('/', addresses.metrics.url).href)).text();
    assert.match(page, /<table id="state-keeping">[\s\S]*last snapshot<\/th><td><time datetime="[^"]+">[^<]+ ago<\/time>, \d+ series, [^<]+, written in [^<]+<\/td>/);
    await sidecar.stop();
  });

  it('a damaged snapshot: starts empty, one warning naming the file, counted, kept aside', async () => {
    const stateDir = freshDirectory();
    writeFileSync(join(stateDir, 'store.snapshot'), 'OPBSTATE\0\0\0\u0001');
    const warnings: string[] = [];
    const { sidecar, addresses } = await startWith(stateDir, warnings);
    const families = await scrape(addresses);
    assert.equal(valueOf(families, 'otel_prom_bridge_state_restores_total', { outcome: 'corrupt' }), 1);
    assert.equal(valueOf(families, 'otel_prom_bridge_series'), 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`^state snapshot ${join(stateDir, 'store.snapshot')} is unusable \\(corrupt: the file is truncated`));
    assert.ok(readdirSync(stateDir).some((name) => name.startsWith('store.snapshot.corrupt-')));
    assert.ok(sidecar.isReady());
    await sidecar.stop();
  });

  it('not ready and not listening while the restore runs: /-/ready answers 200 only once it is done', async () => {
    const stateDir = freshDirectory();
    const first = await startWith(stateDir);
    await postExport(first.addresses.otlpHttp.url, 'protobuf', encodeProtobuf(deltaExport(2, T0, T0 + SECOND)));
    await first.sidecar.stop();

    const during: { ready: boolean; state: string; listening: boolean }[] = [];
    const sidecar: Sidecar = new Sidecar({
      stateDir,
      otlpHttp: { host: '127.0.0.1', port: 0 },
      otlpGrpc: { host: '127.0.0.1', port: 0 },
      metrics: { host: '127.0.0.1', port: 0 },
      logger: {
        warn: () => undefined,
        debug: () => undefined,
        // Logged by the restore, just before it is done.
        info: (message) => {
          if (message.startsWith('restored ')) during.push({ ready: sidecar.isReady(), state: sidecar.status().state, listening: sidecar.status().settings.metricsListen !== '127.0.0.1:0' });
        },
      },
    });
    running.push(sidecar);
    const starting = sidecar.start();
    assert.equal(sidecar.isReady(), false);
    const addresses = await starting;
    assert.deepEqual(during, [{ ready: false, state: 'stopped', listening: false }]);
    assert.equal(sidecar.isReady(), true);
    assert.equal((await get(new URL('/-/ready', addresses.metrics.url).href)).status, 200);
    assert.equal(valueOf(await scrape(addresses), 'jobs_total', SERIES), 2);
    await sidecar.stop();
  });

  it('a second sidecar on the same directory does not start, saying which directory and pid', async () => {
    const stateDir = freshDirectory();
    const first = await startWith(stateDir);
    const second = new Sidecar({ stateDir, otlpHttp: { host: '127.0.0.1', port: 0 }, otlpGrpc: { host: '127.0.0.1', port: 0 }, metrics: { host: '127.0.0.1', port: 0 } });
    await assert.rejects(second.start(), (error: unknown) => error instanceof StateDirectoryError && error.message.includes(`state_dir ${stateDir} is in use by another otel-prom-bridge (pid ${process.pid}`));
    assert.equal(second.isReady(), false);
    await first.sidecar.stop();
    // Released at stop: another may take it now.
    const third = await startWith(stateDir);
    await third.sidecar.stop();
  });
});
