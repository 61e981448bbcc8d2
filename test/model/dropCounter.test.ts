import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DropCounter } from '../../src/model/dropCounter.ts';

function counterWithLog(): { drops: DropCounter; warnings: string[] } {
  const warnings: string[] = [];
  return { drops: new DropCounter({ warn: (message) => warnings.push(message), debug: () => undefined }), warnings };
}

describe('DropCounter', () => {
  it('counts by reason and logs each distinct problem once', () => {
    const { drops, warnings } = counterWithLog();
    for (let i = 0; i < 3; i++) drops.drop('invalid_point', 'metric "x": a NaN counter');
    drops.drop('invalid_point', 'metric "y": a NaN counter', 2);
    assert.deepEqual(Object.fromEntries(drops.counts()), { invalid_point: 5 });
    assert.deepEqual(warnings, ['otel-prom-bridge dropped invalid point: metric "x": a NaN counter', 'otel-prom-bridge dropped invalid point: metric "y": a NaN counter']);
  });

  it('remembers what it logged within bounds: past 1,000 problems or a million characters of them, it starts over (and logs again)', () => {
    for (const flood of [Array.from({ length: 1000 }, (_, i) => `problem ${i}`), Array.from({ length: 12 }, (_, i) => `${i} ${'long label value '.repeat(6000)}`)]) {
      const { drops, warnings } = counterWithLog();
      drops.drop('cardinality_limit', 'first');
      drops.drop('cardinality_limit', 'first');
      for (const detail of flood) drops.drop('cardinality_limit', detail);
      drops.drop('cardinality_limit', 'first');
      assert.equal(warnings.filter((line) => line.endsWith(': first')).length, 2);
    }
  });
});
