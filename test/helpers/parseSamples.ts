/** One sample line of a text exposition, read loosely (enough to find a value, not to validate). */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([^\s{#]+)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?(?:\s+#.*)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The sample lines of a text 0.0.4 or OpenMetrics body; comments and blank lines skipped. */
export function parseSamples(body: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL_PAIR)) labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Samples named `name` (or matching it) whose labels include every pair of `labels`. */
export function findSamples(samples: readonly Sample[], name: string | RegExp, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return samples.filter(
    (sample) =>
      (typeof name === 'string' ? sample.name === name : name.test(sample.name)) &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The value of the one sample that matches, failing with what was there when none or several do. */
export function sampleValue(samples: readonly Sample[], name: string | RegExp, labels: Readonly<Record<string, string>> = {}): number {
  const found = findSamples(samples, name, labels);
  if (found.length !== 1) {
    const names = [...new Set(samples.map((sample) => sample.name))].join(', ');
    throw new Error(`expected one sample ${String(name)} ${JSON.stringify(labels)}, found ${found.length}; sample names: ${names}`);
  }
  return found[0]!.value;
}
