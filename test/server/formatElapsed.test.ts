import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatElapsed } from '../../src/server/formatElapsed.ts';

describe('formatElapsed', () => {
  const cases: [ms: number, text: string][] = [
    [0, '0 s'],
    [999, '0 s'],
    [3_000, '3 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [252_000, '4 min 12 s'],
    [7_500_000, '2 h 5 min'],
    [7_200_000, '2 h'],
    [3 * 86_400_000 + 4 * 3_600_000 + 59_000, '3 d 4 h'],
    [-5_000, '0 s'],
    [Number.NaN, '0 s'],
  ];
  for (const [ms, text] of cases) {
    it(`${ms} ms → ${text}`, () => assert.equal(formatElapsed(ms), text));
  }
});
