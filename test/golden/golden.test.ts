/**
 * Golden expositions: each program of goldenPrograms.ts records through a real MeterProvider, our
 * exporter renders it in text 0.0.4 (no Accept) and OpenMetrics (the Accept header Prometheus 2.42
 * sends), and the result is compared with test/golden/<output>.prom and <output>.om.txt after both
 * are parsed and normalized, so that order does not matter but every family, sample, label, HELP
 * and UNIT does.
 *
 * `UPDATE_GOLDEN=1 node --test test/golden/golden.test.ts` rewrites the files instead. Read the
 * diff against MAPPING.md before committing it: a golden file that records a bug is worse than none.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { normalize, parseExposition, type ExpositionFormat, type ParsedFamily, type ParsedSample } from '../helpers/parseExposition.ts';
import { GOLDEN_PROGRAMS } from './goldenPrograms.ts';

/** What Prometheus 2.42 sends when it scrapes. */
const PROMETHEUS_2_42_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

interface GoldenFormat {
  readonly format: ExpositionFormat;
  readonly accept: string | undefined;
  readonly extension: string;
  readonly contentType: string;
}

const GOLDEN_FORMATS: readonly GoldenFormat[] = [
  // Neither asks for an escaping: names are escaped with underscores, and the content type says so.
  { format: 'text', accept: undefined, extension: '.prom', contentType: 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores' },
  { format: 'openmetrics', accept: PROMETHEUS_2_42_ACCEPT, extension: '.om.txt', contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores' },
];

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function goldenFile(output: string, extension: string): URL {
  return new URL(`./${output}${extension}`, import.meta.url);
}

async function readGolden(file: URL): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail(`${file.pathname} is missing: record it with UPDATE_GOLDEN=1 node --test test/golden/golden.test.ts, then read it against MAPPING.md`);
    }
    throw error;
  }
}

/** Renders one output of a program from a fresh recording (drop counters start at zero). */
async function renderOutput(programName: string, output: string, accept: string | undefined): Promise<{ contentType: string; body: string }> {
  const program = GOLDEN_PROGRAMS.find(({ name }) => name === programName);
  assert.ok(program, `no golden program ${programName}`);
  const recording = program.record();
  try {
    const exporter = recording.exporters.get(output);
    assert.ok(exporter, `program ${programName} has no output ${output}`);
    return await exporter.render(accept);
  } finally {
    await recording.shutdown();
  }
}

describe('golden expositions', () => {
  for (const program of GOLDEN_PROGRAMS) {
    describe(`${program.name} (${program.about})`, () => {
      for (const output of program.outputs) {
        for (const { format, accept, extension, contentType } of GOLDEN_FORMATS) {
          test(`${output}${extension}`, async () => {
            const rendered = await renderOutput(program.name, output, accept);
            assert.equal(rendered.contentType, contentType);
            // Parsing is itself the first check: it throws, with the line, on malformed output.
            const actual = parseExposition(rendered.body, format);
            checkInvariants(actual, format);
            const file = goldenFile(output, extension);
            if (UPDATE) await writeFile(file, rendered.body);
            const expected = parseExposition(await readGolden(file), format);
            assert.deepEqual(normalize(actual), normalize(expected), `${output}${extension} differs from its golden file`);
          });
        }

        test(`${output}: text and OpenMetrics golden files carry the same samples`, async () => {
          const text = normalize(parseExposition(await readGolden(goldenFile(output, '.prom')), 'text'));
          const openMetrics = normalize(parseExposition(await readGolden(goldenFile(output, '.om.txt')), 'openmetrics'));
          assert.deepEqual(openMetrics.map(asTextFamily), text.map((family) => ({ ...family, unit: undefined })));
        });
      }
    });
  }
});

/** An OpenMetrics family as text 0.0.4 writes it: counters named `<family>_total`, no UNIT. */
function asTextFamily(family: ParsedFamily): ParsedFamily {
  const name = family.type === 'counter' ? `${family.name}_total` : family.name;
  return { ...family, name, unit: undefined };
}

/**
 * What MAPPING.md promises of every exposition beyond its grammar, checked in the order written:
 * histogram buckets ascending and cumulative, `+Inf` last and equal to `_count`, `_sum` and
 * `_count` once per series; counters never negative; OpenMetrics UNIT always the name's suffix;
 * a HELP line on every family.
 */
function checkInvariants(families: readonly ParsedFamily[], format: ExpositionFormat): void {
  for (const family of families) {
    if (family.type === 'histogram') checkHistogram(family);
    if (family.type === 'counter') {
      for (const sample of family.samples) assert.ok(sample.value >= 0, `${sample.name} is a counter below zero: ${sample.value}`);
    }
    if (format === 'text') assert.equal(family.unit, undefined);
    // A HELP line for every family, with or without a description (promtool: "no help text").
    assert.ok(family.help !== undefined && family.help !== '', `${family.name} has no HELP`);
  }
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, { buckets: ParsedSample[]; sums: ParsedSample[]; counts: ParsedSample[] }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
    let entry = series.get(key);
    if (entry === undefined) series.set(key, (entry = { buckets: [], sums: [], counts: [] }));
    if (sample.name === `${family.name}_bucket`) {
      assert.ok(le !== undefined);
      entry.buckets.push(sample);
    } else if (sample.name === `${family.name}_sum`) entry.sums.push(sample);
    else if (sample.name === `${family.name}_count`) entry.counts.push(sample);
  }
  for (const [key, { buckets, sums, counts }] of series) {
    const where = `${family.name}${key}`;
    assert.ok(buckets.length > 0, `${where}: no buckets`);
    assert.equal(counts.length, 1, `${where}: one _count`);
    assert.ok(sums.length <= 1, `${where}: at most one _sum`);
    let previousBound = -Infinity;
    let previousCount = 0;
    for (const bucket of buckets) {
      const bound = bucket.labels.le === '+Inf' ? Infinity : Number(bucket.labels.le);
      assert.ok(bound > previousBound, `${where}: le="${bucket.labels.le}" after le="${previousBound}" is not ascending`);
      assert.ok(bucket.value >= previousCount, `${where}: le="${bucket.labels.le}" is not cumulative`);
      previousBound = bound;
      previousCount = bucket.value;
    }
    assert.equal(buckets.at(-1)?.labels.le, '+Inf', `${where}: the last bucket is le="+Inf"`);
    assert.equal(buckets.at(-1)?.value, counts[0]?.value, `${where}: le="+Inf" equals _count`);
  }
}
