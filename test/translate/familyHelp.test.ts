import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFamilyHelp } from '../../src/translate/familyHelp.ts';
import type { OtelMetric } from '../../src/otelData/otelData.ts';

type Described = Parameters<typeof buildFamilyHelp>[0];

const rows: readonly { readonly metric: Described; readonly want: string; readonly fallback: boolean }[] = [
  { metric: { kind: 'histogram', name: 'http.server.duration', unit: 'ms', description: '' }, want: 'http.server.duration (OpenTelemetry histogram, unit ms; no description given)', fallback: true },
  { metric: { kind: 'sum', monotonic: true, name: 'http.server.requests', unit: '{request}', description: '' }, want: 'http.server.requests (OpenTelemetry monotonic sum, unit {request}; no description given)', fallback: true },
  { metric: { kind: 'sum', monotonic: false, name: 'queue.size', unit: '', description: '' }, want: 'queue.size (OpenTelemetry non-monotonic sum; no description given)', fallback: true },
  { metric: { kind: 'gauge', name: 'pool.usage', unit: '1', description: '' }, want: 'pool.usage (OpenTelemetry gauge, unit 1; no description given)', fallback: true },
  { metric: { kind: 'exponentialHistogram', name: 'rpc.duration', unit: 's', description: '' }, want: 'rpc.duration (OpenTelemetry exponential histogram, unit s; no description given)', fallback: true },
  { metric: { kind: 'summary', name: 'legacy.latency', unit: 'ms', description: '' }, want: 'legacy.latency (OpenTelemetry summary, unit ms; no description given)', fallback: true },
  // The OpenTelemetry name as given, before translation: the exposition escapes it as HELP text.
  { metric: { kind: 'gauge', name: 'weird\nname\\x', unit: '', description: '' }, want: 'weird\nname\\x (OpenTelemetry gauge; no description given)', fallback: true },
  { metric: { kind: 'gauge', name: 'pool.usage', unit: '1', description: 'Pool usage.' }, want: 'Pool usage.', fallback: false },
];

describe('buildFamilyHelp: the description, else a fallback from the name, kind and unit', () => {
  for (const { metric, want, fallback } of rows) {
    it(`${metric.kind} ${JSON.stringify(metric.name)} unit ${JSON.stringify(metric.unit)} description ${JSON.stringify(metric.description)} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(buildFamilyHelp(metric), { text: want, fallback });
    });
  }

  it('takes any OtelMetric', () => {
    const metric: OtelMetric = { kind: 'gauge', name: 'g', unit: '', description: '', points: [] };
    assert.equal(buildFamilyHelp(metric).text, 'g (OpenTelemetry gauge; no description given)');
  });
});
