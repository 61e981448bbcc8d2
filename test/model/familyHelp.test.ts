/** HELP of a family whose metrics have no description: the fallback, until one with a description claims it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OtelMetric, ResourceMetrics } from '../../src/otelData/otelData.ts';
import { buildHarness, num, T0 } from './storeFixtures.ts';

function counterFrom(scope: string, description: string, value: number): ResourceMetrics['scopeMetrics'][number] {
  const metric: OtelMetric = { kind: 'sum', monotonic: true, temporality: 'cumulative', name: 'jobs.done', unit: '', description, points: [num(value, T0, T0 + 1)] };
  return { scope: { name: scope }, metrics: [metric] };
}

function helpAfter(...scopes: ResourceMetrics['scopeMetrics'][number][]): string | undefined {
  const { store } = buildHarness({ scopeLabels: true });
  store.apply({ resource: { attributes: {} }, scopeMetrics: scopes });
  return store.families().find((family) => family.name === 'jobs_done_total')?.help;
}

const FALLBACK = 'jobs.done (OpenTelemetry monotonic sum; no description given)';

describe('family HELP without a description', () => {
  it('the fallback when no metric of the family has a description', () => {
    assert.equal(helpAfter(counterFrom('a', '', 1)), FALLBACK);
  });

  it('a description claimed after the fallback replaces it', () => {
    assert.equal(helpAfter(counterFrom('a', '', 1), counterFrom('b', 'Jobs finished.', 2)), 'Jobs finished.');
  });

  it('a fallback claimed after a description does not replace it', () => {
    assert.equal(helpAfter(counterFrom('a', 'Jobs finished.', 1), counterFrom('b', '', 2)), 'Jobs finished.');
  });

  it('between two descriptions the first stays (MAPPING: keep one)', () => {
    assert.equal(helpAfter(counterFrom('a', 'First.', 1), counterFrom('b', 'Second.', 2)), 'First.');
  });

  it('across applies: a later description replaces the fallback of a family already held', () => {
    const { store } = buildHarness({ scopeLabels: true });
    store.apply({ resource: { attributes: {} }, scopeMetrics: [counterFrom('a', '', 1)] });
    store.apply({ resource: { attributes: {} }, scopeMetrics: [counterFrom('b', 'Jobs finished.', 2)] });
    assert.equal(store.families().find((family) => family.name === 'jobs_done_total')?.help, 'Jobs finished.');
  });

  it('replaceWith (in-process): the family taken over keeps the fallback, and gets a description once the metric has one', () => {
    const { store } = buildHarness();
    const collection = (description: string): ResourceMetrics => ({ resource: { attributes: {} }, scopeMetrics: [counterFrom('a', description, 1)] });
    store.replaceWith(collection(''));
    assert.equal(store.families()[0]?.help, FALLBACK);
    store.replaceWith(collection('Jobs finished.'));
    assert.equal(store.families()[0]?.help, 'Jobs finished.');
    store.replaceWith(collection(''));
    assert.equal(store.families()[0]?.help, FALLBACK);
  });
});
