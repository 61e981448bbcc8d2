/**
 * Prometheus' translator test tables (test/translate/prometheusTables.ts names their sources and
 * versions) pushed through the sidecar over OTLP/HTTP JSON, under every translation strategy: each
 * name row is a metric of a scope of its own (so its series carries `otel_scope_name="row-<n>"`),
 * each label row an attribute of a gauge, each label-set row a resource, scope and settings of its
 * own; the sidecar is scraped (text 1.0.0 with UTF-8 names) and the names read back. Rows Prometheus refuses are
 * reported to the sender as rejected points.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SidecarConfig } from '../../src/sidecar/sidecarSettings.ts';
import { escapesNames, type TranslationStrategy } from '../../src/translate/translationStrategy.ts';
import type { ParsedFamily } from '../helpers/parseExposition.ts';
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
import {
  LABEL_NAMER_CASES,
  LABEL_SET_CASES,
  METRIC_NAMER_CASES,
  NAME_BUILDER_CASES,
  type LabelSetCase,
  type NameCase,
  type PrometheusMetricType,
} from '../translate/prometheusTables.ts';
import { scrape, startSidecar, TIMEOUT_MS } from './sidecarHarness.ts';

const NOW_NS = '1700000000000000000';
const START_NS = '1699999940000000000';

type JsonAttributes = { key: string; value: { stringValue: string } }[];

function jsonAttributes(attributes: Readonly<Record<string, string>>): JsonAttributes {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } }));
}

/** One metric of this type with one point (OTLP/JSON), cumulative where it has a temporality. */
function jsonMetric(name: string, unit: string, type: PrometheusMetricType, attributes: Readonly<Record<string, string>> = {}): object {
  const point = { attributes: jsonAttributes(attributes), startTimeUnixNano: START_NS, timeUnixNano: NOW_NS };
  switch (type) {
    case 'gauge':
      return { name, unit, gauge: { dataPoints: [{ ...point, asDouble: 1 }] } };
    case 'monotonicCounter':
    case 'nonMonotonicCounter':
    case 'unknown':
      return { name, unit, sum: { aggregationTemporality: 2, isMonotonic: type === 'monotonicCounter', dataPoints: [{ ...point, asDouble: 1 }] } };
    case 'histogram':
      return { name, unit, histogram: { aggregationTemporality: 2, dataPoints: [{ ...point, count: '1', sum: 1, bucketCounts: ['1', '0'], explicitBounds: [1] }] } };
    case 'exponentialHistogram':
      return {
        name,
        unit,
        exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ ...point, count: '1', sum: 1, scale: 0, zeroCount: '0', positive: { offset: 0, bucketCounts: ['1'] } }] },
      };
    case 'summary':
      return { name, unit, summary: { dataPoints: [{ ...point, count: '1', sum: 1, quantileValues: [{ quantile: 0.5, value: 1 }] }] } };
  }
}

interface JsonScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly metrics: readonly object[];
}

interface Pushed {
  readonly families: ParsedFamily[];
  readonly rejected: number;
  readonly dropped: ReadonlyMap<string, number>;
}

/** What Prometheus 3 asks for to get UTF-8 names: the names as translated, unescaped. */
const UTF8_TEXT = 'text/plain;version=1.0.0;escaping=allow-utf-8';

/** A sidecar with this config, one export of these scopes from one resource, one scrape. */
async function push(config: SidecarConfig, resource: Readonly<Record<string, string>>, scopes: readonly JsonScope[]): Promise<Pushed> {
  const { sidecar, addresses } = await startSidecar({ selfMetrics: false, withoutTargetInfo: true, ...config });
  try {
    const body = JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: jsonAttributes(resource) },
          scopeMetrics: scopes.map((scope) => ({
            scope: { name: scope.name, version: scope.version, attributes: jsonAttributes(scope.attributes ?? {}) },
            schemaUrl: scope.schemaUrl,
            metrics: scope.metrics,
          })),
        },
      ],
    });
    const response = await fetch(addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { partialSuccess?: { rejectedDataPoints?: string } };
    return { families: await scrape(addresses, UTF8_TEXT), rejected: Number(answer.partialSuccess?.rejectedDataPoints ?? 0), dropped: sidecar.droppedCounts() };
  } finally {
    await sidecar.stop();
  }
}

/** The families with a sample of this scope, and those samples' labels. */
function findRow(families: readonly ParsedFamily[], scope: string): { family: string; labels: Record<string, string> }[] {
  return families.flatMap((family) =>
    family.samples.filter((sample) => sample.labels.otel_scope_name === scope).map((sample) => ({ family: family.name, labels: sample.labels })),
  );
}

function runNameRows(strategy: TranslationStrategy, rows: readonly NameCase[]): void {
  batchNameCases(rows).forEach((batch, index) => {
    it(`batch ${index + 1}: ${batch.length} rows`, async () => {
      const scopes = batch.map((row, i) => ({ name: `row-${i}`, metrics: [jsonMetric(row.name, row.unit, row.type)] }));
      const { families, rejected, dropped } = await push({ translationStrategy: strategy, namespace: batch[0]!.namespace ?? '' }, { 'service.name': 'tables' }, scopes);
      const wrong: string[] = [];
      batch.forEach((row, i) => {
        const got = [...new Set(findRow(families, `row-${i}`).map(({ family }) => family))];
        const want = bridgeName(row);
        if (JSON.stringify(got) !== JSON.stringify(want === undefined ? [] : [want])) wrong.push(`${describeNameCase(row)}; got ${JSON.stringify(got)}`);
      });
      assert.deepEqual(wrong, []);
      const refused = batch.filter((row) => bridgeName(row) === undefined).length;
      assert.equal(rejected, refused, 'the sender is told of every metric without a name');
      assert.equal(dropped.get('invalid_metric_name') ?? 0, refused, 'and they are counted');
    });
  });
}

function sidecarConfigOf(row: LabelSetCase): SidecarConfig {
  return {
    resourceAttributesAsLabels: [...row.promote],
    withoutScopeInfo: row.scope === undefined,
    labelNamePreserveMultipleUnderscores: row.preserveMultipleUnderscores,
    labelNameUnderscoreSanitization: row.underscoreSanitization,
  };
}

describe('Prometheus translator tables through the sidecar (OTLP/HTTP JSON in, text 1.0.0 with UTF-8 names out)', () => {
  for (const strategy of STRATEGIES) {
    describe(`${strategy}: metric names`, () => {
      runNameRows(strategy, [...METRIC_NAMER_CASES, ...NAME_BUILDER_CASES].filter((row) => row.strategy === strategy));
    });

    // Without escaping the two label settings do not apply: one run.
    const settingsRuns: readonly LabelSettings[] = escapesNames(strategy) ? LABEL_SETTINGS : LABEL_SETTINGS.slice(0, 1);
    for (const settings of settingsRuns) {
      it(`${strategy}, ${describeLabelSettings(settings)}: label names; a point whose key Prometheus refuses is refused, reported and counted`, async () => {
        const scopes = LABEL_NAMER_CASES.map((row, i) => ({ name: `row-${i}`, metrics: [jsonMetric('label_test', '', 'gauge', { [row.key]: 'v' })] }));
        const { families, rejected, dropped } = await push(
          {
            translationStrategy: strategy,
            labelNamePreserveMultipleUnderscores: settings.preserveMultipleUnderscores,
            labelNameUnderscoreSanitization: settings.underscoreSanitization,
          },
          { 'service.name': 'tables' },
          scopes,
        );
        const wrong: string[] = [];
        let refused = 0;
        LABEL_NAMER_CASES.forEach((row, i) => {
          const want = expectedLabelName(row, escapesNames(strategy), settings);
          if (want === undefined) return;
          if (want === null) refused++;
          const got = findRow(families, `row-${i}`).map(({ labels }) => Object.keys(labels).filter((name) => !['otel_scope_name', 'job'].includes(name)));
          const expected = want === null ? [] : [[want]];
          if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${row.case}: ${JSON.stringify(row.key)} → ${JSON.stringify(want)}; got ${JSON.stringify(got)}`);
        });
        assert.deepEqual(wrong, []);
        // Rows the upstream test says nothing of may be refused too (the empty key is, whatever the settings).
        assert.ok(rejected >= refused, `at least ${refused} points rejected; ${rejected}`);
        assert.equal(dropped.get('invalid_label_name') ?? 0, rejected, 'every rejected point is counted as invalid_label_name');
      });
    }
  }

  describe("Prometheus' write-path label sets (promoted resource attributes, scope labels, label settings, merged keys)", () => {
    for (const row of LABEL_SET_CASES) {
      it(row.case, async () => {
        const scope: JsonScope = { ...(row.scope ?? { name: 'label-set' }), metrics: [jsonMetric('test_metric', '', 'gauge', row.attributes)] };
        const { families, rejected } = await push(sidecarConfigOf(row), row.resource, [scope]);
        assert.equal(rejected, 0);
        const samples = families.find((family) => family.name === 'test_metric')?.samples ?? [];
        assert.deepEqual(
          samples.map((sample) => sample.labels),
          [row.want],
        );
      });
    }
  });
});
