/** Durations as Prometheus writes them: `500ms`, `30s`, `5m`, `1h30m`, `1d`. */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
const PART = /([0-9]+)(ms|s|m|h|d)/gy;

/** Milliseconds, or undefined when `text` is not one or more `<whole number><unit>` parts. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (const match of trimmed.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    end = match.index + match[0].length;
  }
  return end === trimmed.length && Number.isSafeInteger(total) ? total : undefined;
}

/** The shortest text `parseDuration` reads back as `ms` (`300000` → `5m`, `90500` → `1m30s500ms`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
