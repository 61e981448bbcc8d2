const UNITS: readonly (readonly [name: string, ms: number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/**
 * A span of time for a person, to the second, in its two largest units: `0 s`, `3 s`, `4 min 12 s`,
 * `2 h 5 min`, `3 d 4 h`. A negative span (a clock set back) reads `0 s`.
 */
export function formatElapsed(ms: number): string {
  let rest = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) * 1000 : 0;
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? '0 s' : parts.filter((part, i) => i === 0 || !part.startsWith('0 ')).join(' ');
}
