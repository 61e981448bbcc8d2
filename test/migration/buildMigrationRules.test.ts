/**
 * The recording rules for a move from @opentelemetry/exporter-prometheus's names to Prometheus'
 * naming, built from a scrape of either output of one broad instrument table (the official
 * exporter's text, the bridge's OpenMetrics), checked by `promtool check rules` and evaluated by
 * `promtool test rules`: fed the bridge's new series, every old name answers with the official
 * exporter's labels and value.
 *
 * What a scrape cannot tell, asserted as such (README.md, "Migrating from
 * @opentelemetry/exporter-prometheus"):
 * - from the official scrape, label names are kept: `a_b` there may be `a__b` (key `a..b`) in the
 *   new output; from the bridge's scrape they are put back.
 * - from the bridge's scrape, a name that ended with its unit word already (`wait-time.seconds`,
 *   `load.ratio`) gets a rule for a name nobody used (`wait_time_bucket`), and a counter named with
 *   `total` inside (`requests.total.count`) gets none for its old name.
 * - an up-down counter of unit `1` is a gauge in the official scrape: its rule asks for a `_ratio`
 *   name that the new output does not have, and records nothing.
 * - attribute keys starting with `_` are `key_…` labels in the new output and stay so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PrometheusExporter as OfficialPrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { stringify } from 'yaml';
import { buildMigrationRules, MigrationRulesError, PrometheusExporter, type MigrationRules } from '../../src/index.ts';
import { parseExposition } from '../helpers/parseExposition.ts';
import { parseSamples, type Sample } from '../helpers/parseSamples.ts';
import { requireExecutable, skipUnlessInstalled } from '../helpers/prometheus.ts';
import { createTableProvider, scrapeOfficial } from '../otel/fixtures/instrumentTable.ts';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';
const QUIET = { warn: () => undefined, debug: () => undefined };
const PROMTOOL_TIMEOUT_MS = 60_000;

let provider: MeterProvider;
let officialText: string;
let newOpenMetrics: string;
let newText: string;
let dir: string;

before(async () => {
  const official = new OfficialPrometheusExporter({ preventServerStart: true });
  const ours = new PrometheusExporter({ preventServerStart: true, logger: QUIET });
  provider = createTableProvider([official, ours]);
  officialText = await scrapeOfficial(official);
  newOpenMetrics = (await ours.render(OPENMETRICS)).body;
  newText = (await ours.render('text/plain;version=0.0.4')).body;
  dir = await mkdtemp(join(tmpdir(), 'migration-rules-'));
});

after(async () => {
  await provider.shutdown();
  await rm(dir, { recursive: true, force: true });
});

/** `record` → `expr`, the rules as a map. */
function ruleMap(rules: MigrationRules): Map<string, string> {
  return new Map(rules.rules.map(({ record, expr }) => [record, expr]));
}

/** The sample names of a text or OpenMetrics body. */
function sampleNames(body: string): Set<string> {
  return new Set(parseSamples(body).map((sample) => sample.name));
}

const execFileAsync = promisify(execFile);

async function promtool(args: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(requireExecutable('promtool'), [...args], { cwd: dir, timeout: PROMTOOL_TIMEOUT_MS });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A series in promtool's notation: `name{a="b"}`, label values quoted as PromQL reads them. */
function seriesText(name: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  return `${name}{${pairs.join(',')}}`;
}

/** Label values of `parseSamples` are still escaped; PromQL wants them plain (quoted again by `seriesText`). */
function unescaped(sample: Sample): Record<string, string> {
  return Object.fromEntries(Object.entries(sample.labels).map(([name, value]) => [name, value.replace(/\\(.)/g, (_m, char: string) => (char === 'n' ? '\n' : char))]));
}

/**
 * `promtool test rules`: the bridge's new series as input, and for every official sample of a
 * recorded name (but `skip`), a query by its full label set that must give its value.
 */
async function evaluateRules(rules: MigrationRules, file: string, skip: (sample: Sample) => boolean): Promise<number> {
  await writeFile(join(dir, `${file}.yml`), rules.yaml);
  const inputs = parseExposition(newOpenMetrics, 'openmetrics')
    .flatMap((family) => family.samples)
    .filter((sample) => !sample.name.startsWith('otel_prom_bridge_'))
    .map((sample) => ({ series: seriesText(sample.name, sample.labels), values: `${sample.value}x2` }));
  const records = new Set(rules.rules.map((rule) => rule.record));
  const expected = parseSamples(officialText).filter((sample) => records.has(sample.name) && !skip(sample));
  const tests = {
    rule_files: [`${file}.yml`],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: inputs,
        promql_expr_test: expected.map((sample) => ({
          expr: seriesText(sample.name, unescaped(sample)),
          eval_time: '1m',
          exp_samples: [{ labels: seriesText(sample.name, unescaped(sample)), value: sample.value }],
        })),
      },
    ],
  };
  await writeFile(join(dir, `${file}.test.yml`), stringify(tests, { lineWidth: 0 }));
  const result = await promtool(['test', 'rules', `${file}.test.yml`]);
  assert.equal(result.code, 0, result.output);
  return expected.length;
}

/** Samples whose labels the new output names otherwise (a key `_leading`; `double..dot` from the official scrape), or whose `le` it writes otherwise. */
function labelsDiffer(sample: Sample, fromOfficial: boolean): boolean {
  if (sample.name === 'text_values') return true;
  if (fromOfficial && sample.name.startsWith('text_values')) return true;
  return sample.name === 'upload_size_bucket' && ['0.00005', '1000000'].includes(sample.labels.le ?? '');
}

describe('buildMigrationRules from the official exporter\'s scrape', () => {
  it('records every old name that the switch changes, from its new name', () => {
    const rules = buildMigrationRules(officialText);
    assert.equal(rules.naming, 'exporter-prometheus');
    const map = ruleMap(rules);
    assert.equal(map.get('http_server_request_duration_bucket'), 'http_server_request_duration_seconds_bucket');
    assert.equal(map.get('http_server_request_duration_sum'), 'http_server_request_duration_seconds_sum');
    assert.equal(map.get('http_server_request_duration_count'), 'http_server_request_duration_seconds_count');
    assert.equal(map.get('db_query_duration_bucket'), 'db_query_duration_milliseconds_bucket');
    assert.equal(map.get('memory_used'), 'memory_used_bytes');
    assert.equal(map.get('cpu_utilization'), 'cpu_utilization_ratio');
    assert.equal(map.get('room_temperature'), 'room_temperature_celsius');
    assert.equal(map.get('requests_total_count_total'), 'requests_count_total');
    // Unchanged names get no rule: no unit, `{request}`, `1` on a counter, a name ending with its unit.
    for (const same of ['http_server_requests_total', 'bytes_sent_total', 'cache_hits_total', 'jobs_total', 'queue_depth', 'batch_items_bucket', 'wait_time_seconds_bucket', 'load_ratio', 'target_info']) {
      assert.equal(map.has(same), false, same);
    }

    // Every name of the official output that the new output lacks has a rule; every rule reads a name the new output has.
    const oldNames = sampleNames(officialText);
    const newNames = sampleNames(newText);
    const lost = [...oldNames].filter((name) => !newNames.has(name));
    assert.deepEqual(lost.filter((name) => !map.has(name)), []);
    for (const [record, expr] of map) {
      assert.ok(oldNames.has(record), record);
      // The up-down counter of unit `1`, read as a gauge: its `_ratio` name does not exist, so its rule records nothing.
      if (record === 'ratio_updown') assert.equal(newNames.has(expr), false);
      else assert.ok(newNames.has(expr), `${record}: ${expr}`);
    }
    assert.match(rules.notes.join('\n'), /ratio_updown: taken for an OpenTelemetry gauge \(updown_ratio\); were it an up-down counter, its name stays and the rule records nothing\./);
    assert.match(rules.notes.join('\n'), /exp_latency: no samples in the scrape/);
  });

  it('passes promtool check rules', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const rules = buildMigrationRules(officialText, { source: 'official.prom' });
    await writeFile(join(dir, 'from-official.yml'), rules.yaml);
    const result = await promtool(['check', 'rules', 'from-official.yml']);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, new RegExp(`SUCCESS: ${rules.rules.length} rules found`));
    assert.ok(rules.rules.length > 20);
  });

  it('fed the new series (promtool test rules), every old name answers with the official labels and value', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const checked = await evaluateRules(buildMigrationRules(officialText), 'from-official', (sample) => labelsDiffer(sample, true) || sample.name === 'ratio_updown');
    assert.ok(checked > 40, `only ${checked} samples checked`);
  });
});

describe("buildMigrationRules from the bridge's OpenMetrics scrape", () => {
  it('gives the same renames, but where a name alone cannot tell', () => {
    const fromNew = buildMigrationRules(newOpenMetrics);
    assert.equal(fromNew.naming, 'prometheus');
    const fromOld = ruleMap(buildMigrationRules(officialText));
    const plain = new Map([...ruleMap(fromNew)].map(([record, expr]) => [record, expr.replace(/^sum without \([^)]*\) \((?:label_replace\()+([a-zA-Z0-9_:]+).*$/, '$1')]));
    // Ended with their unit word already: a rule for a name nobody used. The exponential histogram,
    // which the official exporter wrote no sample of: rules for names nobody could use.
    const spurious = ['wait_time_bucket', 'wait_time_sum', 'wait_time_count', 'load', 'exp_latency_bucket', 'exp_latency_sum', 'exp_latency_count'];
    // `total` inside a counter's name; an up-down counter of unit 1 (no rule needed).
    const missing = ['requests_total_count_total', 'ratio_updown'];
    assert.deepEqual(
      [...plain].filter(([record]) => !spurious.includes(record)).sort(),
      [...fromOld].filter(([record]) => !missing.includes(record)).sort(),
    );
    for (const record of spurious) assert.ok(plain.has(record), record);
  });

  it('puts back label names with runs of _, which the official exporter collapsed', () => {
    const map = ruleMap(buildMigrationRules(newOpenMetrics));
    assert.equal(map.get('text_values'), 'sum without (double__dot) (label_replace(text_values_bytes, "double_dot", "$1", "double__dot", "(.*)"))');
  });

  it('passes promtool check rules', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const rules = buildMigrationRules(newOpenMetrics);
    await writeFile(join(dir, 'from-new.yml'), rules.yaml);
    const result = await promtool(['check', 'rules', 'from-new.yml']);
    assert.equal(result.code, 0, result.output);
  });

  it('fed the new series (promtool test rules), every old name answers with the official labels and value', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const checked = await evaluateRules(buildMigrationRules(newOpenMetrics), 'from-new', (sample) => labelsDiffer(sample, false));
    assert.ok(checked > 40, `only ${checked} samples checked`);
  });
});

describe('buildMigrationRules: what it is told and what it refuses', () => {
  it('cannot tell the naming of text without # UNIT lines, and says what to do', () => {
    assert.throws(() => buildMigrationRules(newText), (error: unknown) => {
      assert.ok(error instanceof MigrationRulesError);
      assert.match(error.message, /^cannot tell whose naming this scrape has: it is text 0\.0\.4 without # UNIT lines\..*--naming\)\.$/);
      return true;
    });
  });

  it("naming 'prometheus' on text: no units to take off, said in a note; label renames still written", () => {
    const rules = buildMigrationRules(newText, { naming: 'prometheus' });
    assert.match(rules.notes.join('\n'), /carries no units/);
    assert.deepEqual(rules.rules, []);
    assert.match(rules.notes.join('\n'), /text_values_bytes: labels double__dot \(was double_dot\) differ, but the name does not/);
  });

  it('writes no rule into a name the new output writes already, and says so', () => {
    // `d` (unit s) becomes d_seconds, the old name of another metric (unit ms, now d_seconds_milliseconds).
    const scrape = ['# UNIT d s', '# TYPE d gauge', 'd 1', '# UNIT d_seconds ms', '# TYPE d_seconds gauge', 'd_seconds 2', ''].join('\n');
    const rules = buildMigrationRules(scrape);
    assert.deepEqual(rules.rules, [{ record: 'd', expr: 'd_seconds' }]);
    assert.deepEqual(rules.notes, ['d_seconds: the new naming writes a series of that name already (another metric); no rule records into it.']);
  });

  it('names the group and the source', () => {
    const rules = buildMigrationRules(officialText, { groupName: 'legacy-names', source: 'http://app:9464/metrics' });
    assert.match(rules.yaml, /^# Written by `otel-prom-bridge rules` from http:\/\/app:9464\/metrics \(@opentelemetry\/exporter-prometheus's naming\)\./);
    assert.match(rules.yaml, /^groups:\n {2}- name: legacy-names\n {4}rules:\n {6}- record: /m);
  });
});
