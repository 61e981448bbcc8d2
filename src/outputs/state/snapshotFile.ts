import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buildSnapshotHeader, SNAPSHOT_HEADER_BYTES, updateCrc } from '../../model/snapshot/snapshotFormat.ts';

/** The temporary file a snapshot is written to before it replaces the last one. */
function temporaryPathOf(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/**
 * Writes a snapshot atomically: its body's chunks streamed to a temporary file beside `path` (the
 * header written last, once the length and checksum are known), the file synced, renamed over
 * `path` and the directory synced. A crash at any point leaves the previous snapshot whole.
 * Returns the file's size in bytes.
 */
export async function writeSnapshotFile(path: string, body: AsyncIterable<Buffer>): Promise<number> {
  const temporary = temporaryPathOf(path);
  const file = await open(temporary, 'w', 0o644);
  let length = 0;
  try {
    let crc = 0;
    await file.write(Buffer.alloc(SNAPSHOT_HEADER_BYTES), 0, SNAPSHOT_HEADER_BYTES, 0);
    for await (const chunk of body) {
      crc = updateCrc(crc, chunk);
      await file.write(chunk, 0, chunk.length, SNAPSHOT_HEADER_BYTES + length);
      length += chunk.length;
    }
    await file.write(buildSnapshotHeader(length, crc), 0, SNAPSHOT_HEADER_BYTES, 0);
    await file.sync();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await file.close();
  await rename(temporary, path);
  await syncDirectory(dirname(path));
  return SNAPSHOT_HEADER_BYTES + length;
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** What reading the snapshot file gave: its bytes, none (no snapshot yet), or why it could not be read. */
export type SnapshotFileRead = { readonly kind: 'read'; readonly bytes: Buffer } | { readonly kind: 'missing' } | { readonly kind: 'unreadable'; readonly problem: string };

export async function readSnapshotFile(path: string): Promise<SnapshotFileRead> {
  try {
    return { kind: 'read', bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', problem: code === 'EISDIR' ? 'it is a directory, not a file' : `it cannot be read (${code ?? String(error)})` };
  }
}

/** Renames a snapshot that could not be used to `<name>.corrupt-<time>` beside it, so that it is kept for a look and not read again; returns the new path. */
export async function setSnapshotAside(path: string, nowMs: number): Promise<string> {
  const aside = `${path}.corrupt-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  return aside;
}

/** Removes temporary files a writer killed mid-write left beside `path` (the caller holds the directory's lock). */
export async function removeTemporaryFiles(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.startsWith(prefix)).map((name) => rm(join(dirname(path), name), { force: true, recursive: true }).catch(() => undefined)));
}
