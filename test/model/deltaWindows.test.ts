/**
 * Delta windows: what a series remembers of the delta points added to it, to tell a retried export
 * (the same window again) from new data (any other window), within a bounded memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDeltaWindow, addFingerprint, checkDeltaWindow, fingerprintOf, firstDeltaWindow, MAX_REMEMBERED_WINDOWS, type DeltaWindows } from '../../src/model/deltaWindows.ts';
import { WriteStamps } from '../../src/model/writeStamp.ts';

const T0 = 1_700_000_000_000;

/** Windows [T0 + i s, T0 + (i + 1) s] for i in `indexes`, added in that order. */
function windowsOf(indexes: readonly number[]): DeltaWindows {
  let windows = firstDeltaWindow(T0 + indexes[0]! * 1000, T0 + (indexes[0]! + 1) * 1000);
  for (const i of indexes.slice(1)) windows = addDeltaWindow(windows, T0 + i * 1000, T0 + (i + 1) * 1000);
  return windows;
}

/** The check for windows whose every window held the values of fingerprint 7. */
function check(windows: DeltaWindows, start: number | undefined, end: number, fingerprint = 7): ReturnType<typeof checkDeltaWindow> {
  return checkDeltaWindow(windows, new Array<number>(windows.bounds.length / 2).fill(7), start, end, fingerprint);
}

describe('checkDeltaWindow', () => {
  const windows = windowsOf([0, 1, 2]);
  const cases: readonly { rule: string; start: number | undefined; end: number; expected: ReturnType<typeof checkDeltaWindow> }[] = [
    { rule: 'a window added already (a retry)', start: T0 + 1000, end: T0 + 2000, expected: 'repeated' },
    { rule: 'the next window', start: T0 + 3000, end: T0 + 4000, expected: 'new' },
    { rule: 'an overlapping window (another writer)', start: T0 + 500, end: T0 + 1500, expected: 'new' },
    { rule: 'the same end with another start', start: T0, end: T0 + 2000, expected: 'new' },
    { rule: 'the same end without a start', start: undefined, end: T0 + 2000, expected: 'new' },
    { rule: 'a window before all of them (nothing forgotten yet)', start: T0 - 5000, end: T0 - 4000, expected: 'new' },
  ];
  for (const { rule, start, end, expected } of cases) {
    it(`${rule}: ${expected}`, () => assert.equal(check(windows, start, end), expected));
  }

  it('a window without a start is recognised when it comes again', () => {
    const noStart = firstDeltaWindow(undefined, T0);
    assert.equal(check(noStart, undefined, T0), 'repeated');
    assert.equal(check(noStart, T0 - 1000, T0), 'new');
  });

  it('the same window with other values is another writer (SDKs that keep time in milliseconds), not a retry', () => {
    assert.equal(check(windows, T0 + 1000, T0 + 2000, 8), 'new');
    assert.notEqual(fingerprintOf({ kind: 'number', value: 3 }), fingerprintOf({ kind: 'number', value: 4 }));
    assert.equal(fingerprintOf({ kind: 'number', value: 3 }), fingerprintOf({ kind: 'number', value: 3 }));
    const histogram = (count: number, sum: number) => fingerprintOf({ kind: 'histogram', bounds: [1], counts: [count, 0], count, sum });
    assert.notEqual(histogram(2, 1.5), histogram(2, 2.5));
    assert.ok(Number.isInteger(histogram(2, 1.5)) && histogram(2, 1.5) >= 0 && histogram(2, 1.5) < 2 ** 30, 'a small integer');
  });
});

describe('addDeltaWindow', () => {
  it(`remembers the last ${MAX_REMEMBERED_WINDOWS} windows; one ending at or before a forgotten one is too late to tell`, () => {
    const windows = windowsOf(Array.from({ length: MAX_REMEMBERED_WINDOWS + 2 }, (_, i) => i));
    assert.equal(windows.bounds.length, 2 * MAX_REMEMBERED_WINDOWS);
    assert.equal(windows.horizonMs, T0 + 2000);
    assert.equal(check(windows, T0, T0 + 1000), 'too_late', 'forgotten');
    assert.equal(check(windows, T0 + 500, T0 + 2000), 'too_late', 'ends at the horizon: it may have been one of those forgotten');
    assert.equal(check(windows, T0 + 2000, T0 + 3000), 'repeated', 'the oldest remembered');
    assert.equal(check(windows, T0 + 1500, T0 + 2500), 'new', 'ends after the horizon, not remembered: never added');
  });

  it('forgets the window that ends earliest, whatever order they came in', () => {
    const late = windowsOf([...Array.from({ length: MAX_REMEMBERED_WINDOWS - 1 }, (_, i) => i + 5), 0]);
    assert.equal(late.horizonMs, -Infinity, 'all remembered');
    const next = addDeltaWindow(late, T0 + 100_000, T0 + 101_000);
    assert.equal(next.horizonMs, T0 + 1000, 'the late window [0 s, 1 s] went first');
    assert.equal(next.forgotten, MAX_REMEMBERED_WINDOWS - 1, 'by its position');
    assert.equal(check(next, T0 + 5000, T0 + 6000), 'repeated');
    // A series' fingerprints follow its windows: the late window's went with it.
    const fingerprints = Array.from({ length: MAX_REMEMBERED_WINDOWS }, (_, i) => i);
    assert.deepEqual(addFingerprint(fingerprints, next, 99), [...Array.from({ length: MAX_REMEMBERED_WINDOWS - 1 }, (_, i) => i), 99]);
    assert.deepEqual(addFingerprint([1, 2], windowsOf([0, 1, 2]), 3), [1, 2, 3], 'nothing forgotten');
  });

  it('never changes the windows it was given (they are shared between series)', () => {
    const windows = windowsOf([0, 1]);
    const copy = structuredClone(windows);
    addDeltaWindow(windows, T0 + 2000, T0 + 3000);
    assert.deepEqual(windows, copy);
  });
});

describe('WriteStamps: the series of one apply share their stamps and window histories', () => {
  it('series with the same history and the same window get the same stamp', () => {
    const stamps = new WriteStamps(1, T0);
    const first = stamps.deltaStampFor(undefined, T0, T0 + 1000);
    assert.equal(stamps.deltaStampFor(undefined, T0, T0 + 1000), first);
    const next = new WriteStamps(2, T0 + 1000);
    const a = next.deltaStampFor(first, T0 + 1000, T0 + 2000);
    assert.equal(next.deltaStampFor(first, T0 + 1000, T0 + 2000), a);
    assert.equal(a.timeMs, T0 + 2000);
    assert.equal(check(a.deltaWindows!, T0, T0 + 1000), 'repeated');
  });

  it('a late window keeps the latest time: the exposed timestamp never goes back', () => {
    const latest = new WriteStamps(1, T0).deltaStampFor(undefined, T0 + 5000, T0 + 6000);
    const late = new WriteStamps(2, T0).deltaStampFor(latest, T0, T0 + 1000);
    assert.equal(late.timeMs, T0 + 6000);
  });
});
