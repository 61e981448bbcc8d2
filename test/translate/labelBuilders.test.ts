import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LabelBuilders } from '../../src/translate/labelCache.ts';
import type { ContextLabels, LabelSetOptions } from '../../src/translate/labelPlan.ts';

const OPTIONS: LabelSetOptions = { escape: true };

function contextOf(job: string): ContextLabels {
  return { defaults: [], overrides: [['job', job]] };
}

describe('LabelBuilders: what the builders keep is bounded whether or not the sweep runs', () => {
  it('starts a new generation once twice as many texts and key shapes as series held are kept, at least 2 × 1,024', () => {
    const builders = new LabelBuilders(() => 0);
    const first = builders.builderFor(contextOf('a'), OPTIONS);
    for (let i = 0; i < 2046; i++) first.labelTextOf({ id: `s${i}` }); // the keys and 2,046 texts: 2,047 kept
    assert.equal(builders.builderFor(contextOf('a'), OPTIONS), first, 'the same generation');
    first.labelTextOf({ id: 'one more' });
    const second = builders.builderFor(contextOf('a'), OPTIONS);
    assert.notEqual(second, first, 'a new generation');
    assert.equal(second.labelTextOf({ id: 's7' }), 'id="s7",job="a"');
  });

  it('keeps more per generation when the store holds more series', () => {
    const builders = new LabelBuilders(() => 5000);
    const first = builders.builderFor(contextOf('a'), OPTIONS);
    for (let i = 0; i < 9000; i++) first.labelTextOf({ id: `s${i}` });
    assert.equal(builders.builderFor(contextOf('a'), OPTIONS), first);
    for (let i = 9000; i < 10_000; i++) first.labelTextOf({ id: `s${i}` });
    assert.notEqual(builders.builderFor(contextOf('a'), OPTIONS), first);
  });

  it('starts a new generation after 4,096 contexts; a context of the previous one gets a new builder giving the same texts', () => {
    const builders = new LabelBuilders(() => 0);
    const first = builders.builderFor(contextOf('job-0'), OPTIONS);
    const text = first.labelTextOf({ method: 'GET' });
    for (let i = 1; i < 4096; i++) builders.builderFor(contextOf(`job-${i}`), OPTIONS);
    assert.equal(builders.builderFor(contextOf('job-0'), OPTIONS), first, '4,096 contexts fit in one generation');
    builders.builderFor(contextOf('job-4096'), OPTIONS);
    const again = builders.builderFor(contextOf('job-0'), OPTIONS);
    assert.notEqual(again, first);
    assert.equal(again.labelTextOf({ method: 'GET' }), text);
  });

  it('clear() starts over', () => {
    const builders = new LabelBuilders(() => 0);
    const first = builders.builderFor(contextOf('a'), OPTIONS);
    builders.clear();
    assert.notEqual(builders.builderFor(contextOf('a'), OPTIONS), first);
  });
});
