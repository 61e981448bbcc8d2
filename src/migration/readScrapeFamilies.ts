/**
 * A scrape (Prometheus text 0.0.4 or OpenMetrics) read for what a rename needs: each family's name,
 * type, unit and the label names its samples carry. Read loosely: a line it cannot read is skipped
 * (the official exporter may write a label twice, which Prometheus refuses, and this still reads it).
 */

export type ScrapeFormat = 'text' | 'openmetrics';

export interface ScrapeFamily {
  /** As the `# TYPE` line names it (OpenMetrics: a counter without its `_total`). */
  readonly name: string;
  /** `counter`, `gauge`, `histogram`, `summary`, `untyped`, `unknown`... */
  type: string;
  /** The `# UNIT` line's unit: a UCUM unit in the official exporter's text (`s`), a name suffix in OpenMetrics (`seconds`). */
  unit: string | undefined;
  /** The names its samples are written under (`x_bucket`, `x_sum`, `x_count`; `x_total`). */
  readonly sampleNames: Set<string>;
  /** Label names of its samples, `le` and `quantile` included. */
  readonly labelNames: Set<string>;
}

export interface Scrape {
  readonly format: ScrapeFormat;
  /** In the order of the scrape. */
  readonly families: readonly ScrapeFamily[];
}

const METADATA = /^#\s*(HELP|TYPE|UNIT)\s+(\S+)(?:\s+(.*))?$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+\S+/;
const LABEL_NAME = /(?:^\{|,)\s*([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g;
/** What a sample name may add to its family's name, in either format. */
const SAMPLE_SUFFIXES = ['', '_total', '_bucket', '_sum', '_count', '_created', '_gsum', '_gcount', '_info'];

function belongsTo(sampleName: string, family: ScrapeFamily): boolean {
  return SAMPLE_SUFFIXES.some((suffix) => sampleName === `${family.name}${suffix}`);
}

export function readScrapeFamilies(text: string): Scrape {
  const families = new Map<string, ScrapeFamily>();
  let format: ScrapeFormat = 'text';
  let current: ScrapeFamily | undefined;
  const familyOf = (name: string): ScrapeFamily => {
    let family = families.get(name);
    if (family === undefined) {
      family = { name, type: 'untyped', unit: undefined, sampleNames: new Set(), labelNames: new Set() };
      families.set(name, family);
    }
    return family;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === '# EOF') {
      format = 'openmetrics';
      continue;
    }
    if (line.startsWith('#')) {
      const meta = METADATA.exec(line);
      if (meta === null) continue;
      current = familyOf(meta[2]!);
      if (meta[1] === 'TYPE') current.type = (meta[3] ?? '').trim();
      else if (meta[1] === 'UNIT') current.unit = (meta[3] ?? '').trim();
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample === null) continue;
    const name = sample[1]!;
    const family = current !== undefined && belongsTo(name, current) ? current : familyOf(name);
    family.sampleNames.add(name);
    for (const [, label] of (sample[2] ?? '').matchAll(LABEL_NAME)) family.labelNames.add(label!);
  }
  return { format, families: [...families.values()] };
}
