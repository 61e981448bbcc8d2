/**
 * deploy/kubernetes/prometheusrule.yaml, written from deploy/prometheus/otel-prom-bridge.rules.yml:
 * the rules file's groups, comments included, under a PrometheusRule's `spec`. alertRules.test.ts
 * checks the file is exactly this (`UPDATE_GOLDEN=1 node --test test/deploy/alertRules.test.ts`
 * rewrites it), so the compose stack and Kubernetes load the same alerts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RULES_FILE = 'deploy/prometheus/otel-prom-bridge.rules.yml';
export const RULES_TEST_FILE = 'deploy/prometheus/otel-prom-bridge.rules.test.yml';
export const PROMETHEUS_RULE_FILE = 'deploy/kubernetes/prometheusrule.yaml';

const HEADER = `# Written from ${RULES_FILE} by test/deploy/prometheusRule.ts: edit that file, then
# \`UPDATE_GOLDEN=1 node --test test/deploy/alertRules.test.ts\` (a test fails while they differ).
# For the Prometheus Operator: the same alerts the compose stack's Prometheus loads. Its
# ruleSelector must match these labels (kube-prometheus-stack: add its \`release\` label, or set
# ruleSelectorNilUsesHelmValues: false). Runbooks: the README's "Alerts".
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: otel-prom-bridge
  labels:
    app.kubernetes.io/name: otel-prom-bridge
    app.kubernetes.io/part-of: otel-prom-bridge-demo
spec:
`;

/** The PrometheusRule for the rules file's text: its leading comment left out, the rest indented under `spec`. */
export function renderPrometheusRule(rulesText: string): string {
  const lines = rulesText.split('\n');
  const start = lines.findIndex((line) => !line.startsWith('#') && line.trim() !== '');
  if (start === -1 || !lines[start]!.startsWith('groups:')) throw new Error(`${RULES_FILE} should start with \`groups:\` after its comment`);
  const body = lines.slice(start).map((line) => (line === '' ? line : `  ${line}`));
  return HEADER + body.join('\n');
}

export function readRepositoryFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}
