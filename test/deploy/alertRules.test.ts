/**
 * The alerting rules (deploy/prometheus/otel-prom-bridge.rules.yml): `promtool check rules` clean,
 * `promtool test rules` passing, every alert tested firing and not firing, labelled with a
 * severity and annotated with a summary, a description and a runbook that is a section of the
 * README; and the Kubernetes PrometheusRule the same rules (written from the file, so that the two
 * cannot drift). Without promtool the promtool checks are skipped, except under CI.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { ALERT_THRESHOLDS } from '../../dashboards/generateDashboards.ts';
import { requireExecutable, skipUnlessInstalled } from '../helpers/prometheus.ts';
import { run } from './processes.ts';
import { PROMETHEUS_RULE_FILE, readRepositoryFile, renderPrometheusRule, ROOT, RULES_FILE, RULES_TEST_FILE } from './prometheusRule.ts';

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
interface RuleGroups {
  readonly groups: readonly { readonly name: string; readonly rules: readonly Rule[] }[];
}
interface RuleTests {
  readonly rule_files: readonly string[];
  readonly tests: readonly { readonly alert_rule_test?: readonly { readonly alertname: string; readonly exp_alerts: readonly unknown[] }[] }[];
}

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const rulesText = readRepositoryFile(RULES_FILE);
const rules = parse(rulesText) as RuleGroups;
const alerts = rules.groups.flatMap((group) => group.rules).filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
const RUNBOOK_BASE = 'README.md#';

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` left out, spaces as `-`. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** The anchors of the headings inside the README's "## Alerts" section. */
function alertSectionAnchors(): string[] {
  const readme = readRepositoryFile('README.md');
  const start = readme.indexOf('\n## Alerts\n');
  assert.ok(start >= 0, 'the README has an "## Alerts" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^#{3,4} (.+)$/gm)].map((match) => headingAnchor(match[1]!));
}

describe('the alerting rules', () => {
  it('are what `promtool check rules` accepts without a warning', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const result = await run(requireExecutable('promtool'), ['check', 'rules', RULES_FILE], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, new RegExp(`SUCCESS: ${alerts.length} rules found`));
    assert.doesNotMatch(result.output, /warn/i);
  });

  it('pass their unit tests (`promtool test rules`)', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const result = await run(requireExecutable('promtool'), ['test', 'rules', RULES_TEST_FILE.split('/').pop()!], { cwd: join(ROOT, 'deploy/prometheus'), timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  it('are each tested firing and not firing', () => {
    const tests = parse(readRepositoryFile(RULES_TEST_FILE)) as RuleTests;
    assert.deepEqual(tests.rule_files, [RULES_FILE.split('/').pop()]);
    const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
    for (const { alert } of alerts) {
      const mine = cases.filter((c) => c.alertname === alert);
      assert.ok(mine.some((c) => c.exp_alerts.length > 0), `${alert} is tested firing`);
      assert.ok(mine.some((c) => c.exp_alerts.length === 0), `${alert} is tested not firing`);
    }
    const unknown = cases.filter((c) => !alerts.some((rule) => rule.alert === c.alertname));
    assert.deepEqual(unknown, [], 'tests name only alerts of the rules file');
  });

  it('have unique names, a severity, a summary and a description with the values, and a runbook in the README', () => {
    const names = alerts.map((rule) => rule.alert);
    assert.ok(names.length >= 8, names.join(', '));
    assert.equal(new Set(names).size, names.length, `unique: ${names.join(', ')}`);
    const anchors = alertSectionAnchors();
    for (const rule of alerts) {
      assert.ok(['warning', 'critical'].includes(rule.labels?.severity ?? ''), `${rule.alert} severity ${rule.labels?.severity}`);
      const { summary = '', description = '', runbook_url: runbook = '' } = rule.annotations ?? {};
      assert.ok(summary !== '' && description !== '', `${rule.alert} has a summary and a description`);
      // absent() has no labels and no value worth showing.
      if (!rule.expr.startsWith('absent(')) assert.match(description, /\{\{ \$(value|labels\.[a-z_]+)( \| [a-zA-Z]+)? \}\}/, `${rule.alert}: the description shows the values`);
      assert.ok(runbook.startsWith(RUNBOOK_BASE), `${rule.alert} runbook_url ${runbook}`);
      const anchor = runbook.slice(RUNBOOK_BASE.length);
      assert.equal(anchor, headingAnchor(rule.alert), `${rule.alert}: the runbook is the README section named after it`);
      assert.ok(anchors.includes(anchor), `README "Alerts" has a section ${rule.alert} (found: ${anchors.join(', ')})`);
    }
  });

  it('use the thresholds the dashboards draw (ALERT_THRESHOLDS in dashboards/generateDashboards.ts)', () => {
    const comparisons: Record<string, string> = {
      OtelPromBridgeSeriesLimitNear: `> ${ALERT_THRESHOLDS.seriesLimitNear}`,
      OtelPromBridgeSeriesLimitReached: `>= ${ALERT_THRESHOLDS.seriesLimitReached}`,
      OtelPromBridgePointsRefused: `> ${ALERT_THRESHOLDS.pointsRefusedRatio}`,
      OtelPromBridgeOtlpExportsFailing: `> ${ALERT_THRESHOLDS.exportsFailingRatio}`,
      OtelPromBridgeScrapeSlow: `> ${ALERT_THRESHOLDS.scrapeP99Seconds}`,
      OtelPromBridgeResourceSilent: `> ${ALERT_THRESHOLDS.silentSeconds}`,
      OtelPromBridgeRemoteWriteDropping: `> ${ALERT_THRESHOLDS.remoteWriteDroppedRatio}`,
      OtelPromBridgeRemoteWriteBehind: `> ${ALERT_THRESHOLDS.remoteWriteLagSeconds}`,
    };
    for (const [alert, comparison] of Object.entries(comparisons)) {
      const rule = alerts.find((r) => r.alert === alert);
      assert.ok(rule, alert);
      assert.ok(new RegExp(`${comparison.replace(/\./g, '\\.')}(\\s|$)`).test(rule.expr), `${alert}: ${rule.expr.trim()} should compare with ${comparison}`);
    }
  });
});

describe(`the Kubernetes PrometheusRule (${PROMETHEUS_RULE_FILE})`, () => {
  it('is written from the rules file, byte for byte (rewrite with UPDATE_GOLDEN=1)', () => {
    const expected = renderPrometheusRule(rulesText);
    if (UPDATE) writeFileSync(join(ROOT, PROMETHEUS_RULE_FILE), expected);
    assert.equal(readRepositoryFile(PROMETHEUS_RULE_FILE), expected, `${PROMETHEUS_RULE_FILE} differs: UPDATE_GOLDEN=1 node --test test/deploy/alertRules.test.ts`);
  });

  it('is one PrometheusRule holding the same groups, listed in the kustomization', () => {
    const documents = parseAllDocuments(readRepositoryFile(PROMETHEUS_RULE_FILE));
    assert.equal(documents.length, 1);
    const manifest = documents[0]!.toJS() as { apiVersion: string; kind: string; metadata: { name: string }; spec: RuleGroups };
    assert.equal(manifest.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(manifest.kind, 'PrometheusRule');
    assert.deepEqual(manifest.spec, rules);
    const kustomization = parse(readRepositoryFile('deploy/kubernetes/kustomization.yaml')) as { resources: string[] };
    assert.ok(kustomization.resources.includes(PROMETHEUS_RULE_FILE.split('/').pop()!));
  });
});
