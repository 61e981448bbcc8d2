import { relative } from 'node:path';

/** The parts of a V8 CPU profile (`.cpuprofile`) that self time needs. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time per function (`name file:line`), in microseconds, added into `into`; returns the time sampled. */
export function addSelfTimes(profile: CpuProfile, into: Map<string, number>): number {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    // The profiler's own `session.post` waiting for the profile is not the code profiled.
    if (frame === undefined || frame.url === 'node:inspector') return;
    const where = frame.url === '' ? '' : ` ${relative(process.cwd(), frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    into.set(key, (into.get(key) ?? 0) + delta);
    total += delta;
  });
  return total;
}

/** The top `count` functions by self time, one a line: ms, share, function and place. */
export function formatSelfTimes(selfMicros: ReadonlyMap<string, number>, total: number, count: number): string {
  return [...selfMicros]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `${(micros / 1000).toFixed(0).padStart(7)} ms ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n');
}
