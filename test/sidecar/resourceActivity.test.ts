/**
 * ResourceActivity: per job/instance, what each request's apply did with a resource's points;
 * bounded in resources and in refusal reasons (their number and length); forgotten by the store's expiry cutoff.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplyResult } from '../../src/model/applyResult.ts';
import { jobInstanceKey, type JobInstanceSeries } from '../../src/model/seriesByJobAndInstance.ts';
import { MAX_RECENT_REFUSALS, MAX_REFUSAL_CHARS, ResourceActivity } from '../../src/sidecar/resourceActivity.ts';

const T0 = 1_700_000_000_000;

function result(acceptedPoints: number, rejectedPoints = 0, errors: string[] = []): ApplyResult {
  return rejectedPoints === 0 ? { acceptedPoints, rejectedPoints, errors } : { acceptedPoints, rejectedPoints, errors, rejectedByReason: new Map([['out_of_order', rejectedPoints]]) };
}

function held(...rows: [job: string, instance: string, series: number][]): Map<string, JobInstanceSeries> {
  return new Map(rows.map(([job, instance, series]) => [jobInstanceKey(job, instance), { job, instance, series }]));
}

describe('ResourceActivity', () => {
  it('adds up pushes and points per job/instance (service.namespace/service.name, service.instance.id), joined with the series held', () => {
    const activity = new ResourceActivity();
    const checkout = { 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1' };
    activity.record(checkout, result(3), T0);
    activity.record({ ...checkout, 'host.name': 'other attributes do not matter' }, result(2, 1, ['metric "x": out of order']), T0 + 1000);
    activity.record({ 'service.name': 'batch' }, result(1), T0 + 500);
    assert.deepEqual(activity.statuses(held(['shop/checkout', 'pod-1', 4], ['orphan', 'x', 2])), [
      { job: 'batch', instance: '', seriesHeld: 0, lastPushMs: T0 + 500, pushes: 1, acceptedPoints: 1, refusedPoints: 0, recentRefusals: [], refusedByReason: {}, multipleWriters: false },
      { job: 'orphan', instance: 'x', seriesHeld: 2, lastPushMs: undefined, pushes: 0, acceptedPoints: 0, refusedPoints: 0, recentRefusals: [], refusedByReason: {}, multipleWriters: false },
      {
        job: 'shop/checkout',
        instance: 'pod-1',
        seriesHeld: 4,
        lastPushMs: T0 + 1000,
        pushes: 2,
        acceptedPoints: 5,
        refusedPoints: 1,
        recentRefusals: ['metric "x": out of order'],
        refusedByReason: { out_of_order: 1 },
        multipleWriters: false,
      },
    ]);
  });

  it('adds up the points refused by reason, and says when several writers share the identity', () => {
    const activity = new ResourceActivity();
    const replica = { 'service.name': 'shop' };
    activity.record(replica, { acceptedPoints: 2, rejectedPoints: 3, errors: [], rejectedByReason: new Map([['multiple_writers', 2], ['invalid_point', 1]]) }, T0);
    activity.record(replica, { acceptedPoints: 2, rejectedPoints: 1, errors: [], rejectedByReason: new Map([['multiple_writers', 1]]) }, T0 + 1);
    const [row] = activity.statuses(new Map());
    assert.deepEqual(row?.refusedByReason, { invalid_point: 1, multiple_writers: 3 });
    assert.equal(row?.multipleWriters, true);
  });

  it(`keeps the ${MAX_RECENT_REFUSALS} latest distinct refusal reasons, newest last`, () => {
    const activity = new ResourceActivity();
    const resource = { 'service.name': 'noisy' };
    activity.record(resource, result(0, 2, ['a', 'b']), T0);
    activity.record(resource, result(0, 1, ['c']), T0);
    activity.record(resource, result(0, 2, ['a', 'd']), T0);
    activity.record(resource, result(4), T0);
    assert.deepEqual(activity.statuses(new Map())[0]!.recentRefusals, ['c', 'a', 'd']);
  });

  it(`keeps at most ${MAX_REFUSAL_CHARS} characters of each refusal reason (a series named with long label values)`, () => {
    const activity = new ResourceActivity();
    const long = `cardinality_limit: metric "x": … (1 point; series x{id="${'v'.repeat(100_000)}"})`;
    activity.record({ 'service.name': 'wordy' }, result(0, 1, [long, 'short']), T0);
    const [kept, short] = activity.statuses(new Map())[0]!.recentRefusals;
    assert.equal(kept, `${long.slice(0, MAX_REFUSAL_CHARS - 1)}…`);
    assert.equal(short, 'short');
  });

  it('forgets the resources last pushed at or before the cutoff', () => {
    const activity = new ResourceActivity();
    activity.record({ 'service.name': 'old' }, result(1), T0);
    activity.record({ 'service.name': 'new' }, result(1), T0 + 1);
    activity.forgetPushedUpTo(T0);
    assert.deepEqual(activity.statuses(new Map()).map((row) => row.job), ['new']);
  });

  it('past its bound, forgets the resource that pushed least recently', () => {
    const activity = new ResourceActivity(2);
    activity.record({ 'service.name': 'a' }, result(1), T0);
    activity.record({ 'service.name': 'b' }, result(1), T0 + 1);
    activity.record({ 'service.name': 'a' }, result(1), T0 + 2);
    activity.record({ 'service.name': 'c' }, result(1), T0 + 3);
    assert.deepEqual(activity.statuses(new Map()).map((row) => row.job), ['a', 'c']);
  });
});
