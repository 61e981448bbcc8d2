import type { PromClientMetric, PromClientValue } from './promClientMetric.ts';

/**
 * Reads the text a client library renders (Prometheus text 0.0.4 or OpenMetrics 1.0.0, as
 * `clusterMetrics()` and `workerMetrics()` give their aggregated output) back into the JSON shape
 * of `getMetricsAsJSON()`: one metric per `# TYPE`, its samples with their own names (`_bucket`,
 * `_sum`, `_count`) and labels. What it cannot read is skipped and reported through `onProblem`
 * with its line number: a scrape never fails for it.
 *
 * OpenMetrics specifics: `# EOF`, `# UNIT` and exemplars (after ` # `) are passed over, `_created`
 * samples are left out (the bridge writes its own when asked), and a counter family `foo` is named
 * by its sample `foo_total`, as the text format and prom-client's JSON name it.
 */
export function parseTextExposition(text: string, onProblem: (problem: string) => void): PromClientMetric[] {
  const metrics: PromClientMetric[] = [];
  const helps = new Map<string, string>();
  let current: PromClientMetric | undefined;
  let currentFamily = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (meta === null) continue; // # EOF, # UNIT, comments
      const [, keyword, name, rest = ''] = meta;
      if (keyword === 'HELP') {
        helps.set(name!, unescapeHelp(rest));
        if (current !== undefined && currentFamily === name) current.help = helps.get(name!)!;
      } else {
        currentFamily = name!;
        current = { name: name!, help: helps.get(name!) ?? '', type: rest.trim(), values: [] };
        metrics.push(current);
      }
      continue;
    }
    const sample = parseSample(line);
    if (sample === undefined) {
      onProblem(`line ${i + 1} is not a sample: ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    if (current === undefined || !belongsTo(sample.metricName, currentFamily)) {
      // A sample without a TYPE line: an untyped metric of its own.
      currentFamily = sample.metricName;
      current = { name: sample.metricName, help: helps.get(sample.metricName) ?? '', type: 'untyped', values: [] };
      metrics.push(current);
    }
    if (sample.metricName === `${currentFamily}_created`) continue;
    if (current.type === 'counter' && sample.metricName === `${currentFamily}_total`) current.name = sample.metricName;
    current.values.push(sample);
  }
  return metrics;
}

function belongsTo(sampleName: string, family: string): boolean {
  return sampleName === family || (sampleName.startsWith(family) && /^_(bucket|sum|count|total|created)$/.test(sampleName.slice(family.length)));
}

/** A sample read from text: always with its own name and labels. */
type NamedValue = PromClientValue & { readonly metricName: string };

/** `name{a="x",b="y"} value [timestamp] [# exemplar]`; undefined when it is not one. */
function parseSample(line: string): NamedValue | undefined {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (nameMatch === null) return undefined;
  const metricName = nameMatch[0];
  let at = metricName.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    for (;;) {
      while (line[at] === ' ' || line[at] === ',') at++;
      if (line[at] === '}') {
        at++;
        break;
      }
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(line.slice(at));
      if (labelMatch === null) return undefined;
      at += labelMatch[0].length;
      let value = '';
      for (;;) {
        const c = line[at];
        if (c === undefined) return undefined;
        at++;
        if (c === '"') break;
        if (c === '\\') {
          const escaped = line[at++];
          value += escaped === 'n' ? '\n' : (escaped ?? '');
        } else value += c;
      }
      labels[labelMatch[1]!] = value;
    }
  }
  const [valueText] = line.slice(at).trim().split(/\s+/, 1);
  const value = parseValue(valueText ?? '');
  if (value === undefined) return undefined;
  return { metricName, labels, value };
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (text === '' || !/^[-+]?(\d|\.\d)/.test(text)) return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}
