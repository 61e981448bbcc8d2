/** Sizes in bytes: a whole number with an optional unit, `512KiB`, `16MiB`, `1GiB`, `10MB`, `4096`, `4096B`. */

const UNIT_BYTES = { GiB: 2 ** 30, MiB: 2 ** 20, KiB: 2 ** 10, GB: 1e9, MB: 1e6, kB: 1e3, KB: 1e3, B: 1 } as const;
const SIZE = /^([0-9]+)\s*(GiB|MiB|KiB|GB|MB|kB|KB|B)?$/;

/** Bytes, or undefined when `text` is not a whole number with an optional unit. */
export function parseByteSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (match === null) return undefined;
  const bytes = Number(match[1]) * UNIT_BYTES[(match[2] ?? 'B') as keyof typeof UNIT_BYTES];
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** The largest binary unit that divides `bytes` exactly (`16777216` → `16MiB`), else bytes (`1000B`). */
export function formatByteSize(bytes: number): string {
  for (const unit of ['GiB', 'MiB', 'KiB'] as const) {
    if (bytes !== 0 && bytes % UNIT_BYTES[unit] === 0) return `${bytes / UNIT_BYTES[unit]}${unit}`;
  }
  return `${bytes}B`;
}
