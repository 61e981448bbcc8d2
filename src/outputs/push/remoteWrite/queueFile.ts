import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteSample, type RemoteHistogram, type RemoteMetadata } from './remoteSample.ts';

/** The first line of a queue file: what it is and its version. */
const HEADER = 'otel-prom-bridge remote-write queue v1';

/** Where an endpoint's queue is kept in the state directory (its name made safe for a file name). */
export function queueFilePath(directory: string, endpointName: string): string {
  return join(directory, `remote-write-${endpointName.replace(/[^a-zA-Z0-9._-]/g, '_')}.queue`);
}

/** A number JSON can hold: NaN and the infinities as text. */
function toJsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function fromJsonNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw new Error(`${JSON.stringify(value)} is not a number`);
}

/**
 * Writes the samples an endpoint still holds, oldest first, one JSON line each after a header:
 * to a temporary file, synced, then renamed over the old one, so that a crash leaves the old file
 * or the new one whole. Nothing to keep removes the file.
 */
export function writeQueueFile(path: string, samples: readonly RemoteSample[]): void {
  if (samples.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, `${HEADER}\n`);
    let lines: string[] = [];
    for (const sample of samples) {
      lines.push(
        JSON.stringify([
          sample.name,
          sample.labels,
          sample.extraName ?? null,
          sample.extraValue,
          toJsonNumber(sample.value),
          sample.timestampMs,
          sample.startTimeMs,
          sample.histogram === undefined ? null : { ...sample.histogram, sum: toJsonNumber(sample.histogram.sum) },
          sample.stale,
          sample.metadata,
          sample.seriesHash,
        ]),
      );
      if (lines.length >= 1024) {
        writeSync(fd, `${lines.join('\n')}\n`);
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/**
 * The samples a queue file holds, and removes it (they are queued again); undefined when there is
 * none. A file that cannot be read whole is set aside (renamed `.corrupt-<time>`) and its problem
 * thrown, for the caller to log: the sidecar starts with an empty queue.
 */
export function takeQueueFile(path: string, nowMs: number): RemoteSample[] | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines[0] !== HEADER) throw new Error(`it does not start with "${HEADER}"`);
    const metadata = new Map<string, RemoteMetadata>();
    const samples: RemoteSample[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      const [name, labels, extraName, extraValue, value, timestampMs, startTimeMs, histogram, stale, meta, seriesHash] = JSON.parse(line) as [
        string,
        string[],
        string | null,
        string,
        unknown,
        number,
        number,
        (Omit<RemoteHistogram, 'sum'> & { sum: unknown }) | null,
        boolean,
        RemoteMetadata,
        number,
      ];
      if (typeof name !== 'string' || !Array.isArray(labels) || typeof timestampMs !== 'number' || typeof seriesHash !== 'number') throw new Error(`line ${i + 1} is not a queued sample`);
      const key = `${meta.name}\u0000${meta.type}\u0000${meta.help}\u0000${meta.unit}`;
      const shared = metadata.get(key) ?? meta;
      metadata.set(key, shared);
      const restoredHistogram = histogram === null ? undefined : { ...histogram, sum: fromJsonNumber(histogram.sum) };
      samples.push(new RemoteSample(name, labels, extraName ?? undefined, extraValue, fromJsonNumber(value), timestampMs, startTimeMs, restoredHistogram, stale, shared, seriesHash));
    }
    rmSync(path, { force: true });
    return samples;
  } catch (error) {
    const aside = `${path}.corrupt-${nowMs}`;
    renameSync(path, aside);
    throw new Error(`the remote-write queue file ${path} cannot be read (${error instanceof Error ? error.message : String(error)}); set aside as ${aside}, the queue starts empty`);
  }
}
