import { performance } from 'node:perf_hooks';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import type { Logger } from '../../model/dropCounter.ts';
import { decodeSnapshot } from '../../model/snapshot/decodeSnapshot.ts';
import { encodeSnapshot, type EncodeSnapshotOptions } from '../../model/snapshot/encodeSnapshot.ts';
import { SnapshotError } from '../../model/snapshot/snapshotFormat.ts';
import type { RestoredFamily } from '../../model/restoredFamily.ts';
import type { RestoreCounts, SeriesStore } from '../../model/seriesStore.ts';
import { readSnapshotFile, removeTemporaryFiles, setSnapshotAside, writeSnapshotFile } from './snapshotFile.ts';
import { openStateDirectory, type IsProcessAlive, type StateDirectory } from './stateDirectory.ts';

/** The store's snapshot in the state directory (other outputs keep their files beside it). */
export const SNAPSHOT_FILE = 'store.snapshot';

/**
 * What became of the restore at start: `restored`; `none` (no snapshot yet); the snapshot was
 * `corrupt` (damaged, truncated, empty), of an `unsupported_version`, `unreadable` (no permission,
 * a directory in its place), or written under other translation settings (`settings_changed`).
 */
export const RESTORE_OUTCOMES = ['restored', 'none', 'corrupt', 'unsupported_version', 'unreadable', 'settings_changed'] as const;
export type RestoreOutcome = (typeof RESTORE_OUTCOMES)[number];

export interface RestoreReport {
  readonly outcome: RestoreOutcome;
  readonly atMs: number;
  readonly durationMs: number;
  /** Series taken back (`target_info` included). */
  readonly series: number;
  /** Series in the snapshot left out: expired, past the limit, or conflicting. */
  readonly leftOut: number;
  /** What was wrong with the snapshot, when something was. */
  readonly problem?: string;
}

export interface SnapshotReport {
  readonly atMs: number;
  readonly durationMs: number;
  readonly bytes: number;
  readonly series: number;
}

/** What the state keeper did, for the status page and the sidecar's own metrics. */
export interface StateStats {
  readonly directory: string;
  readonly intervalMs: number;
  readonly restore: RestoreReport | undefined;
  readonly snapshotsSucceeded: number;
  readonly snapshotsFailed: number;
  readonly lastSnapshot: SnapshotReport | undefined;
  readonly lastFailure: { readonly atMs: number; readonly problem: string } | undefined;
}

export interface StateKeeperOptions {
  /** The state directory: created if missing, locked while the keeper holds it. */
  readonly directory: string;
  /** How often a snapshot is written while running, in ms. */
  readonly intervalMs: number;
  readonly store: SeriesStore;
  /** The translation settings, as text: a snapshot written under other ones is not restored (its series would carry other names). */
  readonly translation: string;
  /** More state to keep with the store's (plain JSON), and where it goes back on restore. */
  readonly extra?: { readonly save: () => unknown; readonly restore: (saved: unknown) => void };
  readonly logger?: Logger | undefined;
  readonly clock: () => number;
  /** How the snapshot is cut into slices of work. @default encodeSnapshot's */
  readonly encodeOptions?: EncodeSnapshotOptions;
  /** Tells a running process from a dead one (a lock left behind). @default signal 0 */
  readonly isProcessAlive?: IsProcessAlive;
}

/**
 * The series store kept on disk across restarts: restored at start (before the listeners open),
 * written every `intervalMs` and once more when the sidecar stops, in its own file in the state
 * directory, whose lock it holds meanwhile. A snapshot that cannot be used never stops the start:
 * the store starts empty, one line says why, and the file is kept aside
 * (`store.snapshot.corrupt-<time>`). Snapshots never overlap; one is written in slices, the event
 * loop turning between them, while the store goes on taking exports.
 */
export class StateKeeper {
  readonly #options: StateKeeperOptions;
  #directory: StateDirectory | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The snapshot being written, if one is. */
  #writing: Promise<void> | undefined;
  #restore: RestoreReport | undefined;
  #succeeded = 0;
  #failed = 0;
  #lastSnapshot: SnapshotReport | undefined;
  #lastFailure: { readonly atMs: number; readonly problem: string } | undefined;

  constructor(options: StateKeeperOptions) {
    this.#options = options;
  }

  get #path(): string {
    if (this.#directory === undefined) throw new Error('The state directory is not open; call open() first.');
    return this.#directory.fileOf(SNAPSHOT_FILE);
  }

  /** Creates and locks the directory; throws a StateDirectoryError naming it when it cannot. Idempotent. */
  open(): void {
    this.#directory ??= openStateDirectory(this.#options.directory, { ...(this.#options.isProcessAlive === undefined ? {} : { isAlive: this.#options.isProcessAlive }) });
  }

  /** Restores the store from the last snapshot, if there is a usable one. Never throws for a bad snapshot. */
  async restore(): Promise<RestoreReport> {
    const { clock, logger, store } = this.#options;
    const path = this.#path;
    const atMs = clock();
    const startedAt = performance.now();
    const report = (outcome: RestoreOutcome, series = 0, leftOut = 0, problem?: string): RestoreReport =>
      (this.#restore = { outcome, atMs, durationMs: performance.now() - startedAt, series, leftOut, ...(problem === undefined ? {} : { problem }) });
    await removeTemporaryFiles(path);
    const read = await readSnapshotFile(path);
    if (read.kind === 'missing') {
      logger?.info?.(`no state snapshot at ${path} yet: starting empty`);
      return report('none');
    }
    if (read.kind === 'unreadable') return report('unreadable', 0, 0, await this.#setAside(path, read.problem, atMs));
    let decoded;
    try {
      decoded = await decodeSnapshot(read.bytes, this.#options.encodeOptions);
    } catch (error) {
      const problem = error instanceof SnapshotError ? error : new SnapshotError('corrupt', String(error));
      return report(problem.problem, 0, 0, await this.#setAside(path, `${problem.problem.replaceAll('_', ' ')}: ${problem.message}`, atMs));
    }
    if (decoded.meta.translation !== this.#options.translation) {
      const problem = 'it was written under other translation settings (its series would carry other names)';
      logger?.warn(`state snapshot ${path} not restored: ${problem}; starting empty, the next snapshot replaces it`);
      return report('settings_changed', 0, decoded.series, problem);
    }
    const counts = await restoreInSlices(store, decoded.families, atMs);
    if (decoded.meta.extra !== undefined) this.#options.extra?.restore(decoded.meta.extra);
    const done = report('restored', counts.restored, counts.expired + counts.skipped);
    logger?.info?.(
      `restored ${counts.restored} series from the state snapshot ${path} written ${new Date(Number(decoded.meta.createdAtMs)).toISOString()} (${counts.expired} expired, ${counts.skipped} left out) in ${Math.round(done.durationMs)} ms`,
    );
    return done;
  }

  /** Writes a snapshot every `intervalMs` (an unref'd timer) until `close()`. */
  start(): void {
    this.stopTimer();
    this.#timer = setInterval(() => void this.snapshot(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Writes a snapshot now, after the one being written (if any) is done. Failures are counted and
   * logged, never thrown: the previous snapshot stays in place.
   */
  snapshot(): Promise<void> {
    const previous = this.#writing ?? Promise.resolve();
    const next = previous.then(() => this.#write());
    this.#writing = next;
    void next.finally(() => {
      if (this.#writing === next) this.#writing = undefined;
    });
    return next;
  }

  /** Stops the timer, writes a last snapshot and releases the directory's lock. */
  async close(): Promise<void> {
    this.stopTimer();
    if (this.#directory === undefined) return;
    await this.snapshot();
    this.#directory.release();
    this.#directory = undefined;
  }

  /** Stops the timer and lets go of the directory without writing (the snapshot on disk stays as it is). */
  release(): void {
    this.stopTimer();
    this.#directory?.release();
    this.#directory = undefined;
  }

  stats(): StateStats {
    return {
      directory: this.#options.directory,
      intervalMs: this.#options.intervalMs,
      restore: this.#restore,
      snapshotsSucceeded: this.#succeeded,
      snapshotsFailed: this.#failed,
      lastSnapshot: this.#lastSnapshot,
      lastFailure: this.#lastFailure,
    };
  }

  async #write(): Promise<void> {
    const { clock, store } = this.#options;
    const atMs = clock();
    const startedAt = performance.now();
    const path = this.#path;
    try {
      const meta = { createdAtMs: atMs, translation: this.#options.translation, extra: this.#options.extra?.save() };
      const encoding = encodeSnapshot(store.snapshotFamilies(), meta, this.#options.encodeOptions);
      const bytes = await writeSnapshotFile(path, encoding.chunks);
      this.#succeeded++;
      this.#lastSnapshot = { atMs, durationMs: performance.now() - startedAt, bytes, series: encoding.counts.series };
    } catch (error) {
      this.#failed++;
      const problem = error instanceof Error ? error.message : String(error);
      this.#lastFailure = { atMs, problem };
      this.#options.logger?.warn(`state snapshot ${path} could not be written (${problem}); the previous one stays in place`);
    }
  }

  /** Keeps a snapshot that cannot be used aside, and says so in one line; returns the problem. */
  async #setAside(path: string, problem: string, nowMs: number): Promise<string> {
    let where: string;
    try {
      where = `the file is kept as ${await setSnapshotAside(path, nowMs)}`;
    } catch (error) {
      where = `it could not be moved aside (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    this.#options.logger?.warn(`state snapshot ${path} is unusable (${problem}); starting empty, ${where}`);
    return problem;
  }
}

/** Series taken into the store at a time, the event loop turning between. */
const RESTORE_SLICE_SERIES = 4096;

/** `store.restore` a slice of series at a time (a family of 100,000 series in 25 turns of the event loop). */
async function restoreInSlices(store: SeriesStore, families: readonly RestoredFamily[], nowMs: number): Promise<RestoreCounts> {
  const counts = { restored: 0, expired: 0, skipped: 0 };
  for (const family of families) {
    for (let from = 0; from < family.series.length || from === 0; from += RESTORE_SLICE_SERIES) {
      const slice = from === 0 && family.series.length <= RESTORE_SLICE_SERIES ? family : { ...family, series: family.series.slice(from, from + RESTORE_SLICE_SERIES) };
      const done = store.restore([slice], nowMs);
      counts.restored += done.restored;
      counts.expired += done.expired;
      counts.skipped += done.skipped;
      await turnEventLoop();
    }
  }
  return counts;
}
