import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DropCounter } from '../../../src/model/dropCounter.ts';
import { SeriesStore } from '../../../src/model/seriesStore.ts';
import { SNAPSHOT_FILE, StateKeeper, type StateKeeperOptions } from '../../../src/outputs/state/StateKeeper.ts';
import { StateDirectoryError } from '../../../src/outputs/state/StateDirectoryError.ts';
import { LOCK_FILE, openStateDirectory } from '../../../src/outputs/state/stateDirectory.ts';
import type { OtelMetric, ResourceMetrics } from '../../../src/otelData/otelData.ts';
import { TranslationStrategy } from '../../../src/translate/translationStrategy.ts';

const T0 = 1_700_000_000_000;
const SETTINGS = {
  translationStrategy: TranslationStrategy.UnderscoreEscapingWithSuffixes,
  namespace: '',
  scopeLabels: false,
  targetInfo: true,
  jobAndInstance: true,
  promoteResourceAttributes: undefined,
  labelNamePreserveMultipleUnderscores: true,
  labelNameUnderscoreSanitization: true,
};
/** Tests may run as root (CI containers), where file permissions do not stop anything. */
const isRoot = process.getuid?.() === 0;

function request(value: number, startMs: number, endMs: number): ResourceMetrics {
  const metric: OtelMetric = { kind: 'sum', name: 'jobs', unit: '', description: '', monotonic: true, temporality: 'delta', points: [{ attributes: { queue: 'mail' }, startTimeMs: startMs, timeMs: endMs, value }] };
  return { resource: { attributes: { 'service.name': 'shop', 'host.name': 'node-1' } }, scopeMetrics: [{ scope: { name: 's' }, metrics: [metric] }] };
}

interface Kept {
  readonly keeper: StateKeeper;
  readonly store: SeriesStore;
  readonly warnings: string[];
}

function keeperIn(directory: string, options: Partial<StateKeeperOptions> = {}): Kept {
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message), debug: () => undefined };
  const store = new SeriesStore(SETTINGS, new DropCounter(logger), { clock: () => T0 + 1000 });
  const keeper = new StateKeeper({ directory, intervalMs: 60_000, store, translation: 'plain', logger, clock: () => T0 + 1000, ...options });
  return { keeper, store, warnings };
}

function freshDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'otel-prom-bridge-state-'));
}

/** A directory holding a good snapshot of one delta series (value 5). */
async function directoryWithSnapshot(): Promise<string> {
  const directory = freshDirectory();
  const { keeper, store } = keeperIn(directory);
  keeper.open();
  await keeper.restore();
  store.apply(request(5, T0, T0 + 500), T0 + 500);
  await keeper.close();
  return directory;
}

function valueIn(store: SeriesStore): number | undefined {
  const data = store.families().find((f) => f.name === 'jobs_total')?.series.get('job="shop",queue="mail"')?.data;
  return data?.kind === 'number' ? data.value : undefined;
}

/** Restores from `directory` after `damage` and checks the outcome, the line and the file set aside. */
async function restoreDamaged(directory: string, outcome: string, problem: RegExp): Promise<void> {
  const { keeper, store, warnings } = keeperIn(directory);
  keeper.open();
  const report = await keeper.restore();
  assert.equal(report.outcome, outcome);
  assert.equal(store.seriesCount(), 0, 'started empty');
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, new RegExp(`state snapshot ${join(directory, SNAPSHOT_FILE).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is unusable`));
  assert.match(warnings[0]!, problem);
  assert.match(warnings[0]!, /starting empty, the file is kept as .*store\.snapshot\.corrupt-/);
  assert.ok(readdirSync(directory).some((name) => name.startsWith(`${SNAPSHOT_FILE}.corrupt-`)), 'kept aside');
  // And the next snapshot is written in its place.
  await keeper.close();
  const again = keeperIn(directory);
  again.keeper.open();
  assert.equal((await again.keeper.restore()).outcome, 'restored');
  again.keeper.close().catch(() => undefined);
}

describe('StateKeeper: restore and snapshot', () => {
  it('restores what the last snapshot held, written atomically with no temporary file left', async () => {
    const directory = await directoryWithSnapshot();
    assert.deepEqual(readdirSync(directory).sort(), [SNAPSHOT_FILE]);
    const { keeper, store } = keeperIn(directory);
    keeper.open();
    const report = await keeper.restore();
    assert.equal(report.outcome, 'restored');
    assert.equal(report.series, 2); // jobs_total and target_info
    assert.equal(valueIn(store), 5);
    store.apply(request(3, T0 + 500, T0 + 900), T0 + 900);
    await keeper.snapshot();
    const stats = keeper.stats();
    assert.equal(stats.snapshotsSucceeded, 1);
    assert.equal(stats.lastSnapshot?.series, 2);
    assert.equal(stats.lastSnapshot?.bytes, statSync(join(directory, SNAPSHOT_FILE)).size);
    await keeper.close();
    const next = keeperIn(directory);
    next.keeper.open();
    await next.keeper.restore();
    assert.equal(valueIn(next.store), 8);
    await next.keeper.close();
  });

  it('no snapshot yet: starts empty, outcome none; a missing directory is created', async () => {
    const directory = join(freshDirectory(), 'a', 'b');
    const { keeper, warnings } = keeperIn(directory);
    keeper.open();
    assert.ok(existsSync(join(directory, LOCK_FILE)));
    assert.equal((await keeper.restore()).outcome, 'none');
    assert.deepEqual(warnings, []);
    await keeper.close();
    assert.equal(existsSync(join(directory, LOCK_FILE)), false, 'lock released');
    assert.ok(existsSync(join(directory, SNAPSHOT_FILE)));
  });

  it('a temporary file a killed writer left is removed', async () => {
    const directory = await directoryWithSnapshot();
    writeFileSync(join(directory, `${SNAPSHOT_FILE}.tmp-99999`), 'half a snapshot');
    const { keeper } = keeperIn(directory);
    keeper.open();
    assert.equal((await keeper.restore()).outcome, 'restored');
    assert.deepEqual(readdirSync(directory).sort(), [LOCK_FILE, SNAPSHOT_FILE]);
    await keeper.close();
  });

  it('a snapshot written under other translation settings is not restored', async () => {
    const directory = await directoryWithSnapshot();
    const { keeper, store, warnings } = keeperIn(directory, { translation: 'other' });
    keeper.open();
    const report = await keeper.restore();
    assert.equal(report.outcome, 'settings_changed');
    assert.equal(store.seriesCount(), 0);
    assert.match(warnings[0]!, /not restored: it was written under other translation settings/);
    await keeper.close();
  });

  it('a snapshot that cannot be written is counted and logged; the previous one stays', async () => {
    const directory = await directoryWithSnapshot();
    const { keeper, warnings } = keeperIn(directory);
    keeper.open();
    await keeper.restore();
    const before = readFileSync(join(directory, SNAPSHOT_FILE));
    // A directory where the temporary file goes: opening it for writing fails.
    mkdirSync(join(directory, `${SNAPSHOT_FILE}.tmp-${process.pid}`));
    await keeper.snapshot();
    assert.equal(keeper.stats().snapshotsFailed, 1);
    assert.match(keeper.stats().lastFailure?.problem ?? '', /EISDIR/);
    assert.match(warnings.at(-1)!, /could not be written .*the previous one stays in place/);
    assert.deepEqual(readFileSync(join(directory, SNAPSHOT_FILE)), before);
    keeper.stopTimer();
  });
});

describe('StateKeeper: damaged snapshots start empty, say so once and are kept aside', () => {
  it('truncated at ten points', async () => {
    const size = statSync(join(await directoryWithSnapshot(), SNAPSHOT_FILE)).size;
    for (let i = 0; i < 10; i++) {
      const directory = await directoryWithSnapshot();
      truncateSync(join(directory, SNAPSHOT_FILE), Math.floor((size * i) / 10));
      await restoreDamaged(directory, 'corrupt', i === 0 ? /corrupt: the file is empty/ : /corrupt: the file is truncated/);
    }
  });

  it('bytes flipped', async () => {
    for (const at of [3, 30, 100, -5]) {
      const directory = await directoryWithSnapshot();
      const path = join(directory, SNAPSHOT_FILE);
      const bytes = readFileSync(path);
      const index = at < 0 ? bytes.length + at : at;
      bytes[index] = bytes[index]! ^ 0xff;
      writeFileSync(path, bytes);
      await restoreDamaged(directory, 'corrupt', /corrupt: /);
    }
  });

  it('another format version', async () => {
    const directory = await directoryWithSnapshot();
    const path = join(directory, SNAPSHOT_FILE);
    const bytes = readFileSync(path);
    bytes.writeUInt32BE(7, 8);
    writeFileSync(path, bytes);
    await restoreDamaged(directory, 'unsupported_version', /unsupported version: format version 7/);
  });

  it('an empty file', async () => {
    const directory = freshDirectory();
    writeFileSync(join(directory, SNAPSHOT_FILE), '');
    await restoreDamaged(directory, 'corrupt', /the file is empty/);
  });

  it('a directory in its place', async () => {
    const directory = freshDirectory();
    mkdirSync(join(directory, SNAPSHOT_FILE));
    await restoreDamaged(directory, 'unreadable', /it is a directory, not a file/);
  });

  it('a file it may not read', { skip: isRoot ? 'running as root: permissions do not stop root' : false }, async () => {
    const directory = await directoryWithSnapshot();
    chmodSync(join(directory, SNAPSHOT_FILE), 0o000);
    await restoreDamaged(directory, 'unreadable', /cannot be read \(EACCES\)/);
  });

  it('a file it may not read, as root: restored by a process of another user (nobody)', { skip: isRoot ? false : 'not root: the test above covers it' }, async () => {
    const directory = await directoryWithSnapshot();
    chmodSync(directory, 0o777);
    chmodSync(join(directory, SNAPSHOT_FILE), 0o000);
    // Node itself may sit where nobody can reach it (root's home): a copy nobody may run.
    const bin = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-node-'));
    chmodSync(bin, 0o755);
    const node = join(bin, 'node');
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
    const script = join(bin, 'restore.ts');
    const keeperUrl = new URL('../../../src/outputs/state/StateKeeper.ts', import.meta.url).href;
    const storeUrl = new URL('../../../src/model/seriesStore.ts', import.meta.url).href;
    const dropsUrl = new URL('../../../src/model/dropCounter.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { StateKeeper } from ${JSON.stringify(keeperUrl)};
import { SeriesStore } from ${JSON.stringify(storeUrl)};
import { DropCounter } from ${JSON.stringify(dropsUrl)};
const warnings = [];
const logger = { warn: (m) => warnings.push(m), debug: () => {} };
const store = new SeriesStore(${JSON.stringify(SETTINGS)}, new DropCounter(logger));
const keeper = new StateKeeper({ directory: ${JSON.stringify(directory)}, intervalMs: 60000, store, translation: 'plain', logger, clock: Date.now });
keeper.open();
const report = await keeper.restore();
keeper.release();
process.stdout.write(JSON.stringify({ outcome: report.outcome, series: store.seriesCount(), warnings }));
`,
    );
    chmodSync(script, 0o644);
    const child = spawnSync(node, [script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: bin });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout) as { outcome: string; series: number; warnings: string[] };
    assert.equal(result.outcome, 'unreadable');
    assert.equal(result.series, 0);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /is unusable \(it cannot be read \(EACCES\)\); starting empty, the file is kept as .*store\.snapshot\.corrupt-/);
    rmSync(bin, { recursive: true, force: true });
  });
});

describe('the state directory: created, writable, one sidecar at a time', () => {
  it('a second holder is refused, naming the directory and the pid holding it', () => {
    const directory = freshDirectory();
    const held = openStateDirectory(directory, { pid: process.ppid });
    assert.throws(
      () => openStateDirectory(directory),
      (error: unknown) => error instanceof StateDirectoryError && error.message === `state_dir ${directory} is in use by another otel-prom-bridge (pid ${process.ppid}, lock file ${join(directory, LOCK_FILE)}); give each sidecar its own state_dir, or remove the lock file if that process is gone`,
    );
    held.release();
    openStateDirectory(directory).release();
  });

  it('a stale lock (its process gone, or an unreadable pid) is taken over', () => {
    const directory = freshDirectory();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(directory, LOCK_FILE), `${dead}\n`);
    const taken = openStateDirectory(directory);
    assert.equal(readFileSync(join(directory, LOCK_FILE), 'utf8'), `${process.pid}\n`);
    taken.release();
    writeFileSync(join(directory, LOCK_FILE), '');
    openStateDirectory(directory).release();
    // Our own pid (a container restarted as pid 1 again): ours from a previous life.
    writeFileSync(join(directory, LOCK_FILE), `${process.pid}\n`);
    openStateDirectory(directory).release();
  });

  it('a directory that cannot be created', () => {
    const file = join(freshDirectory(), 'a-file');
    writeFileSync(file, '');
    assert.throws(() => openStateDirectory(join(file, 'state')), (error: unknown) => error instanceof StateDirectoryError && /^state_dir .*a-file\/state cannot be created \(ENOTDIR\)/.test(error.message));
  });

  it('a directory it may not write', { skip: isRoot ? 'running as root: permissions do not stop root (sysfs below does)' : false }, () => {
    const directory = freshDirectory();
    chmodSync(directory, 0o555);
    assert.throws(() => openStateDirectory(directory), (error: unknown) => error instanceof StateDirectoryError && /cannot be written \(EACCES creating/.test(error.message));
    chmodSync(directory, 0o755);
  });

  it('a directory no one may write, root included (sysfs), and one no one may create there', { skip: existsSync('/sys/kernel') ? false : 'no sysfs here' }, () => {
    assert.throws(() => openStateDirectory('/sys'), (error: unknown) => error instanceof StateDirectoryError && /^state_dir \/sys cannot be written \((EACCES|EPERM) creating \/sys\/sidecar\.lock\)/.test(error.message));
    assert.throws(() => openStateDirectory('/sys/otel-prom-bridge-state'), (error: unknown) => error instanceof StateDirectoryError && /^state_dir \/sys\/otel-prom-bridge-state cannot be created \((EACCES|EPERM)\)/.test(error.message));
  });
});
