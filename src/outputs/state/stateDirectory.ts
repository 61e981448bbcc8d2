import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StateDirectoryError } from './StateDirectoryError.ts';

/**
 * The lock file's name in the state directory. The directory is the sidecar's, not this output's:
 * other outputs (a remote-write queue) keep their files beside the snapshot under names of their own.
 */
export const LOCK_FILE = 'sidecar.lock';

/** Whether a process of this id is running (signal 0; EPERM: it runs as another user). */
export type IsProcessAlive = (pid: number) => boolean;

/** Lock files this process holds: a second holder in the same process is refused too (the pid cannot tell). */
const heldHere = new Set<string>();

export const isProcessAlive: IsProcessAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A state directory held by this process: its lock file holds our pid until `release()`. */
export interface StateDirectory {
  readonly path: string;
  /** A file of the directory, by name. */
  fileOf(name: string): string;
  /** Removes the lock file (once; later calls do nothing). */
  release(): void;
}

/**
 * Creates the directory (and its parents) if missing and takes its lock: a file created with
 * O_EXCL holding this process' id. A lock whose process is gone (or is this very process: a
 * container restarted with the same pid) is taken over. Throws a StateDirectoryError naming the
 * directory when it cannot be created or written, or when another running process holds it.
 */
export function openStateDirectory(path: string, { pid = process.pid, isAlive = isProcessAlive }: { pid?: number; isAlive?: IsProcessAlive } = {}): StateDirectory {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new StateDirectoryError(`state_dir ${path} cannot be created (${describeError(error)}); give a directory the sidecar may write, or leave state_dir empty to keep no state`);
  }
  const lockPath = resolve(path, LOCK_FILE);
  if (heldHere.has(lockPath)) throw inUse(path, lockPath, readPid(lockPath));
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o644);
      try {
        writeSync(fd, `${pid}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(lockPath);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || attempt > 0) {
        if (code === 'EEXIST') throw inUse(path, lockPath, readPid(lockPath));
        throw new StateDirectoryError(`state_dir ${path} cannot be written (${describeError(error)} creating ${lockPath}); give a directory the sidecar may write, or leave state_dir empty to keep no state`);
      }
      const holder = readPid(lockPath);
      if (holder !== undefined && holder !== pid && isAlive(holder)) throw inUse(path, lockPath, holder);
      // Stale: its process is gone. Removed and created again with O_EXCL, so that of two taking it over one wins.
      try {
        unlinkSync(lockPath);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new StateDirectoryError(`state_dir ${path} cannot be written (${describeError(unlinkError)} removing the stale lock ${lockPath}); give a directory the sidecar may write`);
        }
      }
    }
  }
  let released = false;
  return {
    path,
    fileOf: (name) => join(path, name),
    release: () => {
      if (released) return;
      released = true;
      heldHere.delete(lockPath);
      try {
        if (readPid(lockPath) === pid) unlinkSync(lockPath);
      } catch {
        // Gone already: nothing to release.
      }
    },
  };
}

function readPid(lockPath: string): number | undefined {
  try {
    const text = readFileSync(lockPath, 'utf8').trim();
    return /^[0-9]+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

function inUse(path: string, lockPath: string, holder: number | undefined): StateDirectoryError {
  return new StateDirectoryError(
    `state_dir ${path} is in use by another otel-prom-bridge (pid ${holder ?? 'unknown'}, lock file ${lockPath}); give each sidecar its own state_dir, or remove the lock file if that process is gone`,
  );
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
