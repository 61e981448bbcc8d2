/**
 * Prometheus' translator test tables (prometheusTables.ts names their sources and versions), run
 * through the bridge's translation functions: every name row under its strategy, every label row
 * under every strategy and each setting of Prometheus' two label settings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeLabelName } from '../../src/translate/labelName.ts';
import { buildMetricName } from '../../src/translate/metricName.ts';
import { addsSuffixes, escapesNames } from '../../src/translate/translationStrategy.ts';
import { buildUnitName } from '../../src/translate/unitSuffix.ts';
import {
  bridgeName,
  bridgeUnit,
  describeLabelSettings,
  describeNameCase,
  expectedLabelName,
  LABEL_SETTINGS,
  labelNamingOf,
  namingKindOf,
  STRATEGIES,
} from '../helpers/prometheusTableCases.ts';
import { LABEL_NAMER_CASES, METRIC_NAMER_CASES, NAME_BUILDER_CASES, type NameCase } from './prometheusTables.ts';

function runNameCases(rows: readonly NameCase[]): void {
  for (const strategy of STRATEGIES) {
    describe(strategy, () => {
      for (const row of rows.filter((candidate) => candidate.strategy === strategy)) {
        it(describeNameCase(row), () => {
          const got = buildMetricName({ name: row.name, unit: row.unit, kind: namingKindOf(row.type) }, { strategy, namespace: row.namespace });
          assert.equal(got, bridgeName(row));
          const unit = bridgeUnit(row);
          // The OpenMetrics `# UNIT` word: otlptranslator's UnitNamer (which gives no `ratio`).
          if (unit !== undefined && addsSuffixes(strategy)) assert.equal(buildUnitName(row.unit, false), unit);
        });
      }
    });
  }
}

describe("otlptranslator v1.0.0's TestMetricNamer_Build", () => {
  runNameCases(METRIC_NAMER_CASES);

  it('has rows for every strategy', () => {
    for (const strategy of STRATEGIES) assert.ok(METRIC_NAMER_CASES.some((row) => row.strategy === strategy), strategy);
  });
});

describe("Prometheus' metric_name_builder_test.go (as otlptranslator carried it)", () => {
  runNameCases(NAME_BUILDER_CASES);
});

describe("otlptranslator's label name tables, under every strategy and label setting", () => {
  for (const strategy of STRATEGIES) {
    const escapes = escapesNames(strategy);
    for (const settings of LABEL_SETTINGS) {
      describe(`${strategy}, ${describeLabelSettings(settings)}`, () => {
        for (const row of LABEL_NAMER_CASES) {
          const want = expectedLabelName(row, escapes, settings);
          if (want === undefined) continue;
          it(`${row.case}: ${JSON.stringify(row.key)} → ${want === null ? 'refused' : JSON.stringify(want)}`, () => {
            assert.equal(sanitizeLabelName(row.key, labelNamingOf(escapes, settings)), want ?? undefined);
          });
        }
      });
    }
  }
});
