import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ERROR_MESSAGES, type ApplyResult } from '../../src/model/applyResult.ts';
import { mergeApplyResults } from '../../src/model/mergeApplyResults.ts';

describe('mergeApplyResults', () => {
  it('adds up the counts and lists each reason once', () => {
    const results: ApplyResult[] = [
      { acceptedPoints: 3, rejectedPoints: 1, errors: ['a'] },
      { acceptedPoints: 0, rejectedPoints: 2, errors: ['a', 'b'] },
      { acceptedPoints: 5, rejectedPoints: 0, errors: [] },
    ];
    assert.deepEqual(mergeApplyResults(results), { acceptedPoints: 8, rejectedPoints: 3, errors: ['a', 'b'] });
  });

  it('one result is itself', () => {
    const only: ApplyResult = { acceptedPoints: 1, rejectedPoints: 0, errors: [] };
    assert.equal(mergeApplyResults([only]), only);
  });

  it('none is nothing accepted, nothing refused', () => {
    assert.deepEqual(mergeApplyResults([]), { acceptedPoints: 0, rejectedPoints: 0, errors: [] });
  });

  it(`lists at most ${MAX_ERROR_MESSAGES} reasons, then says more were left out`, () => {
    const results = Array.from({ length: MAX_ERROR_MESSAGES + 2 }, (_, i): ApplyResult => ({ acceptedPoints: 0, rejectedPoints: 1, errors: [`reason ${i}`] }));
    const merged = mergeApplyResults(results);
    assert.equal(merged.rejectedPoints, MAX_ERROR_MESSAGES + 2);
    assert.equal(merged.errors.length, MAX_ERROR_MESSAGES + 1);
    assert.equal(merged.errors.at(-1), 'other problems were left out of this list');
  });
});
