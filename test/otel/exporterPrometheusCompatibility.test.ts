/**
 * `compatibility: 'exporter-prometheus'` against the official exporter itself: one MeterProvider
 * with both readers (the official `@opentelemetry/exporter-prometheus` and ours), one broad table of
 * instruments, both outputs parsed, and every family's TYPE and HELP and every sample (name, labels,
 * value) compared.
 *
 * Compared as Prometheus stores a scrape: a label with an empty value is no label (the official
 * exporter writes `key=""`, the bridge leaves it out), and sample order within a family does not
 * matter (the official exporter writes `_count`, `_sum`, then `_bucket`).
 *
 * Deliberate differences, each asserted below (README.md, "Migrating from
 * @opentelemetry/exporter-prometheus"):
 * - attribute keys that sanitize to one label name (`a.b`, `a_b`): the official exporter writes the
 *   label twice, which fails the whole scrape in Prometheus; the bridge merges the values with `;`.
 * - exponential histograms: the official exporter writes `# TYPE … untyped` and no sample at all;
 *   the bridge writes them as histograms (classic buckets).
 * - its `# UNIT <name> <UCUM unit>` comment lines (text 0.0.4 ignores them; in OpenMetrics a unit
 *   must end the family name) are not written.
 * - `le` of a boundary from 1e6 up or below 1e-4: the bridge writes it as Prometheus' clients do
 *   (`1e+06`), the official exporter as JavaScript prints numbers (`1000000`).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { PrometheusExporter as OfficialPrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { PeriodicPrometheusReader, PrometheusExporter, type ExporterConfig } from '../../src/index.ts';
import { COLLIDING_RESOURCE, createTableProvider, RESOURCE, scrapeOfficial } from './fixtures/instrumentTable.ts';

const QUIET = { warn: () => undefined, debug: () => undefined };

/** One sample as Prometheus stores it; `duplicates` lists label names written more than once. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly duplicates: readonly string[];
}

interface Family {
  type: string | undefined;
  help: string | undefined;
  unit: string | undefined;
}

interface Exposition {
  readonly families: Map<string, Family>;
  readonly samples: Sample[];
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

function unescapeLabelValue(value: string): string {
  return value.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char));
}

/**
 * Text 0.0.4, read loosely enough for the official exporter's output (a label written twice is
 * recorded, not refused): HELP, TYPE and UNIT comments, samples; empty label values left out.
 */
function parseText(text: string): Exposition {
  const families = new Map<string, Family>();
  const familyOf = (name: string): Family => {
    let family = families.get(name);
    if (family === undefined) families.set(name, (family = { type: undefined, help: undefined, unit: undefined }));
    return family;
  };
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line === '# no registered metrics') continue;
    const meta = /^# (HELP|TYPE|UNIT) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const family = familyOf(meta[2]!);
      if (meta[1] === 'HELP') family.help = meta[3]!.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char));
      else if (meta[1] === 'TYPE') family.type = meta[3];
      else family.unit = meta[3];
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    assert.ok(match !== null, `not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const duplicates: string[] = [];
    const labelText = match[2] ?? '';
    LABEL_PAIR.lastIndex = 0;
    let consumed = 0;
    for (let pair = LABEL_PAIR.exec(labelText); pair !== null; pair = LABEL_PAIR.exec(labelText)) {
      consumed = LABEL_PAIR.lastIndex;
      const [, name, raw] = pair as unknown as [string, string, string];
      if (name in labels) duplicates.push(name);
      const value = unescapeLabelValue(raw);
      if (value === '') continue;
      labels[name] = labels[name] === undefined ? value : `${labels[name]}|${value}`;
    }
    assert.equal(consumed, labelText.length, `labels not read to the end: ${JSON.stringify(line)}`);
    samples.push({ name: match[1]!, labels, value: Number(match[3]), duplicates });
  }
  return { families, samples };
}

/** A sample as one comparable string: name, sorted labels, value. */
function sampleKey(sample: Sample): string {
  const labels = Object.entries(sample.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `${sample.name}{${labels.join(',')}} ${sample.value}`;
}

/** The family a sample name belongs to, of those listed. */
function familyNameOf(sampleName: string, families: ReadonlyMap<string, Family>): string {
  if (families.has(sampleName)) return sampleName;
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  return families.has(base) ? base : sampleName;
}

interface Rendered {
  readonly official: Exposition;
  readonly ours: Exposition;
  readonly oursText: string;
}

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown().catch(() => undefined)));
});

/** Both exporters on one MeterProvider, the table recorded, both scraped (text 0.0.4). */
async function renderBoth(
  officialConfig: ConstructorParameters<typeof OfficialPrometheusExporter>[0],
  ours: PrometheusExporter | PeriodicPrometheusReader,
  resource: Record<string, string | number> = RESOURCE,
): Promise<Rendered> {
  const official = new OfficialPrometheusExporter({ ...officialConfig, preventServerStart: true });
  providers.push(createTableProvider([official, ours], resource));
  const officialText = await scrapeOfficial(official);
  if (ours instanceof PeriodicPrometheusReader) await ours.collectNow();
  const oursText = (await ours.render('text/plain;version=0.0.4')).body;
  return { official: parseText(officialText), ours: parseText(oursText), oursText };
}

/** Families and samples only one side has or that differ, with the deliberate differences taken out and checked. */
function assertSameOutput({ official, ours }: Rendered, prefix = ''): void {
  // Ours may add the bridge's own count of what translation dropped (once something was) and the
  // histogram-bucket linter's flags (http.server.request.duration: unit s, default buckets); nothing else.
  const ownFamilies = [...ours.families.keys()].filter((name) => name.startsWith('otel_prom_bridge_'));
  assert.ok(ownFamilies.every((name) => name === 'otel_prom_bridge_translation_dropped_total' || name === 'otel_prom_bridge_histogram_bucket_warnings'), ownFamilies.join());
  const oursSamples = ours.samples.filter((sample) => !sample.name.startsWith('otel_prom_bridge_'));

  // Exponential histograms: the official exporter declares the family untyped and writes no sample.
  const exponential = `${prefix}exp_latency`;
  assert.equal(official.families.get(exponential)?.type, 'untyped');
  assert.equal(official.samples.filter((sample) => familyNameOf(sample.name, official.families) === exponential).length, 0);
  assert.equal(ours.families.get(exponential)?.type, 'histogram');
  assert.ok(oursSamples.some((sample) => sample.name === `${exponential}_bucket`));

  // Its `# UNIT` comments: the bridge writes none.
  assert.equal(official.families.get(`${prefix}http_server_request_duration`)?.unit, 's');
  assert.deepEqual([...ours.families.values()].filter((family) => family.unit !== undefined), []);

  // Every family: the same TYPE and HELP.
  const officialFamilies = [...official.families].filter(([name]) => name !== exponential);
  const ourFamilies = [...ours.families].filter(([name]) => name !== exponential && !name.startsWith('otel_prom_bridge_'));
  assert.deepEqual(
    ourFamilies.map(([name, family]) => [name, family.type, family.help]).sort(),
    officialFamilies.map(([name, family]) => [name, family.type, family.help]).sort(),
  );

  // Colliding attribute keys: written twice by the official exporter (invalid), merged by ours.
  const isColliding = (sample: Sample): boolean => sample.name === `${prefix}collide_demo_total`;
  const officialColliding = official.samples.filter(isColliding);
  assert.equal(officialColliding.length, 1);
  assert.deepEqual(officialColliding[0]!.duplicates, ['a_b']);
  assert.deepEqual(
    oursSamples.filter(isColliding).map((sample) => sample.labels.a_b),
    ['dotted;underscored'],
  );

  // `le` from 1e6 up: Go's float text in ours, JavaScript's in the official output.
  const isLargeBound = (sample: Sample): boolean => sample.name === `${prefix}upload_size_bucket` && ['1000000', '1e+06', '0.00005', '5e-05'].includes(sample.labels.le ?? '');
  assert.deepEqual(official.samples.filter(isLargeBound).map((sample) => sample.labels.le), ['0.00005', '1000000']);
  assert.deepEqual(oursSamples.filter(isLargeBound).map((sample) => sample.labels.le), ['5e-05', '1e+06']);

  // A series written twice (the same metric and attributes from two meters, without scope labels):
  // Prometheus keeps one of the official exporter's two lines; the bridge writes one.
  const withoutValue = (sample: Sample): string => sampleKey({ ...sample, value: 0 });
  const officialCounts = new Map<string, Sample[]>();
  for (const sample of official.samples) officialCounts.set(withoutValue(sample), [...(officialCounts.get(withoutValue(sample)) ?? []), sample]);
  const twice = new Set([...officialCounts].filter(([, samples]) => samples.length > 1).map(([key]) => key));
  for (const key of twice) {
    const mine = oursSamples.filter((sample) => withoutValue(sample) === key);
    assert.equal(mine.length, 1, key);
    assert.ok(officialCounts.get(key)!.some((sample) => sample.value === mine[0]!.value), key);
  }

  // Everything else, sample by sample.
  const officialTarget = official.samples.find((sample) => sample.name === 'target_info');
  const comparable = (sample: Sample): boolean =>
    familyNameOf(sample.name, official.families) !== exponential && !isColliding(sample) && !isLargeBound(sample) && (sample.name !== 'target_info' || officialTarget?.duplicates.length === 0) &&
    !twice.has(withoutValue(sample));
  const officialKeys = official.samples.filter(comparable).map(sampleKey).sort();
  const ourKeys = oursSamples.filter(comparable).map(sampleKey).sort();
  assert.deepEqual(ourKeys, officialKeys);
  assert.ok(officialKeys.length > 60, `only ${officialKeys.length} samples compared`);
}

describe("compatibility: 'exporter-prometheus' writes what @opentelemetry/exporter-prometheus writes", () => {
  const cases: { readonly title: string; readonly official: ConstructorParameters<typeof OfficialPrometheusExporter>[0]; readonly ours: ExporterConfig; readonly duplicates?: true }[] = [
    { title: 'default options', official: {}, ours: {} },
    { title: 'a prefix and resource attributes as labels', official: { prefix: 'shop', withResourceConstantLabels: /^(service|host)\./ }, ours: { prefix: 'shop', withResourceConstantLabels: /^(service|host)\./ } },
    { title: 'without scope labels and target_info', official: { withoutScopeInfo: true, withoutTargetInfo: true }, ours: { withoutScopeInfo: true, withoutTargetInfo: true }, duplicates: true },
  ];
  for (const { title, official, ours, duplicates } of cases) {
    it(`PrometheusExporter, ${title}: every family, TYPE, HELP and sample`, async () => {
      const exporter = new PrometheusExporter({ ...ours, compatibility: 'exporter-prometheus', preventServerStart: true, logger: QUIET });
      const rendered = await renderBoth(official, exporter);
      assertSameOutput(rendered, ours.prefix === undefined ? '' : `${ours.prefix}_`);
      // Without scope labels, http.server.requests of the two meters is one series written twice by the official exporter.
      const written = rendered.official.samples.filter((sample) => sample.name.endsWith('http_server_requests_total') && sample.labels.http_response_status_code === '200');
      assert.equal(written.length, 2);
      assert.equal(new Set(written.map((sample) => JSON.stringify(sample.labels))).size, duplicates ? 1 : 2);
    });
  }

  it('PeriodicPrometheusReader: the same', async () => {
    const reader = new PeriodicPrometheusReader({ compatibility: 'exporter-prometheus', preventServerStart: true, collectIntervalMillis: 3_600_000, logger: QUIET });
    assertSameOutput(await renderBoth({}, reader));
  });

  it('target_info: the same labels, except that colliding resource attribute keys are merged (the official one writes the label twice)', async () => {
    const exporter = new PrometheusExporter({ compatibility: 'exporter-prometheus', preventServerStart: true, logger: QUIET });
    const { official, ours } = await renderBoth({}, exporter, COLLIDING_RESOURCE);
    const officialTarget = official.samples.filter((sample) => sample.name === 'target_info');
    const ourTarget = ours.samples.filter((sample) => sample.name === 'target_info');
    assert.deepEqual(officialTarget.map((sample) => sample.duplicates), [['k8s_pod_name']]);
    assert.equal(ourTarget.length, 1);
    const { k8s_pod_name: merged, ...rest } = ourTarget[0]!.labels;
    assert.equal(merged, 'web-1;web-one');
    const { k8s_pod_name: _twice, ...officialRest } = officialTarget[0]!.labels;
    assert.deepEqual(rest, officialRest);
  });

  it('two metrics of one name and different types: the official exporter drops both, the bridge keeps the first and counts the other', async () => {
    const official = new OfficialPrometheusExporter({ preventServerStart: true });
    const exporter = new PrometheusExporter({ compatibility: 'exporter-prometheus', preventServerStart: true, logger: QUIET });
    const provider = new MeterProvider({ readers: [official as unknown as MetricReader, exporter] });
    providers.push(provider);
    const meter = provider.getMeter('conflicts');
    meter.createCounter('jobs').add(2);
    provider.getMeter('other').createUpDownCounter('jobs_total').add(5);
    const officialBody = parseText(await scrapeOfficial(official));
    const ours = parseText((await exporter.render('text/plain;version=0.0.4')).body);
    assert.equal(officialBody.families.has('jobs_total'), false);
    assert.equal(ours.families.get('jobs_total')?.type, 'counter');
    assert.deepEqual(ours.samples.filter((sample) => sample.name === 'jobs_total').map((sample) => sample.value), [2]);
    assert.equal(exporter.droppedCounts().get('type_conflict'), 1);
  });

  it("the default ('prometheus') differs: unit suffixes, _ratio, no 'description missing'", async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true, logger: QUIET });
    const { official, ours } = await renderBoth({}, exporter);
    assert.ok(official.families.has('http_server_request_duration'));
    assert.ok(ours.families.has('http_server_request_duration_seconds'));
    assert.ok(official.families.has('cpu_utilization'));
    assert.ok(ours.families.has('cpu_utilization_ratio'));
    assert.equal(official.families.get('jobs_total')?.help, 'description missing');
  });

  it('refuses compatibility with a translation strategy or label-name flag, and an unknown value, naming them', () => {
    assert.throws(
      () => new PrometheusExporter({ compatibility: 'exporter-prometheus', translationStrategy: 'NoTranslation', preventServerStart: true, logger: QUIET }),
      /option compatibility 'exporter-prometheus' .* cannot be combined with translationStrategy; remove it, or use compatibility 'prometheus'\./,
    );
    assert.throws(
      () => new PrometheusExporter({ compatibility: 'exporter-prometheus', labelNamePreserveMultipleUnderscores: true, labelNameUnderscoreSanitization: false, preventServerStart: true, logger: QUIET }),
      /cannot be combined with labelNamePreserveMultipleUnderscores, labelNameUnderscoreSanitization; remove them/,
    );
    assert.throws(
      () => new PrometheusExporter({ compatibility: 'official' as never, preventServerStart: true, logger: QUIET }),
      /^TypeError: PrometheusExporter option compatibility must be 'prometheus' or 'exporter-prometheus'; got "official"\.$/,
    );
  });
});
