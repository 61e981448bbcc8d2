/**
 * Prometheus' translator test tables (test/translate/prometheusTables.ts names their sources and
 * versions) through a real MeterProvider and the in-process exporter, under every translation
 * strategy: each name row is an instrument of its own meter (so its series carries
 * `otel_scope_name="row-<n>"`), rendered in text 0.0.4 and parsed; each label row an attribute of a
 * gauge; each label-set row a resource, attributes and settings of its own.
 *
 * The SDK makes no summaries and no bare non-monotonic "unknown" metrics: summary rows are recorded
 * as histograms, unknown ones as UpDownCounters (both are named as the upstream type is). The SDK
 * has no scope attributes: label-set rows run without scope labels (the sidecar's test has them).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Meter } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, type ExporterConfig } from '../../src/index.ts';
import { escapesNames, type TranslationStrategy } from '../../src/translate/translationStrategy.ts';
import { parseExposition, type ParsedFamily } from '../helpers/parseExposition.ts';
import {
  batchNameCases,
  bridgeName,
  describeLabelSettings,
  describeNameCase,
  expectedLabelName,
  LABEL_SETTINGS,
  STRATEGIES,
  type LabelSettings,
} from '../helpers/prometheusTableCases.ts';
import { LABEL_NAMER_CASES, LABEL_SET_CASES, METRIC_NAMER_CASES, NAME_BUILDER_CASES, type NameCase } from '../translate/prometheusTables.ts';

const QUIET = { warn: () => undefined, debug: () => undefined };

interface Rendered {
  readonly families: ParsedFamily[];
  readonly dropped: ReadonlyMap<string, number>;
}

/** What Prometheus 3 asks for to get UTF-8 names. */
const UTF8_TEXT = 'text/plain;version=1.0.0;escaping=allow-utf-8';

/**
 * Records with a fresh provider and exporter, renders once (text 1.0.0 with UTF-8 names, as
 * Prometheus 3 asks: the names as translated, unescaped), and shuts down.
 */
async function render(config: ExporterConfig, record: (meterOf: (name: string) => Meter) => void, views: ViewOptions[] = [], resource?: Record<string, string>): Promise<Rendered> {
  const exporter = new PrometheusExporter({ ...config, preventServerStart: true, logger: QUIET });
  const provider = new MeterProvider({ readers: [exporter], views, ...(resource === undefined ? {} : { resource: resourceFromAttributes(resource) }) });
  try {
    record((name) => provider.getMeter(name));
    const { body } = await exporter.render(UTF8_TEXT);
    return { families: parseExposition(body, 'text'), dropped: exporter.droppedCounts() };
  } finally {
    await provider.shutdown();
  }
}

/** The families with a sample of this scope, and those samples. */
function findRow(families: readonly ParsedFamily[], scope: string): { family: string; labels: Record<string, string> }[] {
  return families.flatMap((family) =>
    family.samples.filter((sample) => sample.labels.otel_scope_name === scope).map((sample) => ({ family: family.name, labels: sample.labels })),
  );
}

function recordName(meter: Meter, row: NameCase): void {
  const options = { unit: row.unit };
  switch (row.type) {
    case 'gauge':
      meter.createGauge(row.name, options).record(1);
      return;
    case 'monotonicCounter':
      meter.createCounter(row.name, options).add(1);
      return;
    case 'nonMonotonicCounter':
    case 'unknown':
      meter.createUpDownCounter(row.name, options).add(1);
      return;
    case 'histogram':
    case 'exponentialHistogram':
    case 'summary':
      meter.createHistogram(row.name, options).record(1);
  }
}

function runNameRows(strategy: TranslationStrategy, rows: readonly NameCase[]): void {
  batchNameCases(rows).forEach((batch, index) => {
    it(`batch ${index + 1}: ${batch.length} rows`, async () => {
      const views: ViewOptions[] = batch.flatMap((row, i) =>
        row.type === 'exponentialHistogram' ? [{ meterName: `row-${i}`, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] : [],
      );
      const { families, dropped } = await render(
        { translationStrategy: strategy, prefix: batch[0]!.namespace ?? '', withoutTargetInfo: true },
        (meterOf) => batch.forEach((row, i) => recordName(meterOf(`row-${i}`), row)),
        views,
      );
      const wrong: string[] = [];
      batch.forEach((row, i) => {
        const got = [...new Set(findRow(families, `row-${i}`).map(({ family }) => family))];
        const want = bridgeName(row);
        if (JSON.stringify(got) !== JSON.stringify(want === undefined ? [] : [want])) wrong.push(`${describeNameCase(row)}; got ${JSON.stringify(got)}`);
      });
      assert.deepEqual(wrong, []);
      const refused = batch.filter((row) => bridgeName(row) === undefined).length;
      assert.equal(dropped.get('invalid_metric_name') ?? 0, refused, 'every metric without a name is counted');
    });
  });
}

describe('Prometheus translator tables through a MeterProvider and the in-process exporter', () => {
  for (const strategy of STRATEGIES) {
    describe(`${strategy}: metric names`, () => {
      runNameRows(strategy, [...METRIC_NAMER_CASES, ...NAME_BUILDER_CASES].filter((row) => row.strategy === strategy));
    });

    // Without escaping the two label settings do not apply: one run.
    const settingsRuns: readonly LabelSettings[] = escapesNames(strategy) ? LABEL_SETTINGS : LABEL_SETTINGS.slice(0, 1);
    for (const settings of settingsRuns) {
      it(`${strategy}, ${describeLabelSettings(settings)}: label names; a point whose key Prometheus refuses is refused and counted`, async () => {
        const { families, dropped } = await render(
          {
            translationStrategy: strategy,
            withoutTargetInfo: true,
            labelNamePreserveMultipleUnderscores: settings.preserveMultipleUnderscores,
            labelNameUnderscoreSanitization: settings.underscoreSanitization,
          },
          (meterOf) => LABEL_NAMER_CASES.forEach((row, i) => meterOf(`row-${i}`).createGauge('label_test').record(1, { [row.key]: 'v' })),
        );
        const wrong: string[] = [];
        let refused = 0;
        LABEL_NAMER_CASES.forEach((row, i) => {
          const want = expectedLabelName(row, escapesNames(strategy), settings);
          if (want === undefined) return;
          if (want === null) refused++;
          const got = findRow(families, `row-${i}`).map(({ labels }) => Object.keys(labels).filter((name) => name !== 'otel_scope_name'));
          const expected = want === null ? [] : [[want]];
          if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${row.case}: ${JSON.stringify(row.key)} → ${JSON.stringify(want)}; got ${JSON.stringify(got)}`);
        });
        assert.deepEqual(wrong, []);
        assert.ok((dropped.get('invalid_label_name') ?? 0) >= refused, `at least ${refused} points refused as invalid_label_name; counted ${dropped.get('invalid_label_name') ?? 0}`);
      });
    }
  }

  describe("Prometheus' write-path label sets (promoted resource attributes, label settings, merged keys)", () => {
    for (const row of LABEL_SET_CASES) {
      it(row.case, async () => {
        const { families } = await render(
          {
            withJobAndInstance: true,
            withoutTargetInfo: true,
            withoutScopeInfo: true,
            resourceAttributesAsLabels: [...row.promote],
            labelNamePreserveMultipleUnderscores: row.preserveMultipleUnderscores,
            labelNameUnderscoreSanitization: row.underscoreSanitization,
          },
          (meterOf) => meterOf('label-set').createGauge('test_metric').record(1, row.attributes),
          [],
          row.resource,
        );
        const samples = families.find((family) => family.name === 'test_metric')?.samples ?? [];
        const want = Object.fromEntries(Object.entries(row.want).filter(([name]) => !name.startsWith('otel_scope_')));
        assert.deepEqual(samples.map((sample) => sample.labels), [want]);
      });
    }
  });
});
