import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkTextCache } from '../../../src/exposition/chunkTextCache.ts';
import { protobufFormat, renderProtobuf } from '../../../src/exposition/protobuf/protobufFormat.ts';
import { KEPT_RUN_SERIES } from '../../../src/exposition/protobuf/writeMetricFamilies.ts';
import type { Family, Series, SeriesData } from '../../../src/model/family.ts';
import type { RenderOptions } from '../../../src/exposition/expositionFormat.ts';
import { renderLabelText } from '../../../src/translate/labelText.ts';
import { decodeMetricFamilies } from './decodeMetricFamilies.ts';

function series(labels: readonly (readonly [string, string])[], data: SeriesData): Series {
  return { labels, labelText: renderLabelText(labels), data, timeMs: 1_700_000_000_250, startTimeMs: 1_690_000_000_500 };
}

function family(name: string, type: Family['type'], all: readonly Series[]): Family {
  return { name, type, help: `${name} help`, unit: '', series: new Map(all.map((s) => [s.labelText, s])) };
}

/** Families of many runs: 3,000 counters (a UTF-8 label name among them) and 1,000 histograms. */
function bigFamilies(): Family[] {
  const counters = Array.from({ length: 3000 }, (_, i) => series([['route', `/r/${i}`], ...(i === 7 ? [['è.x', 'y'] as const] : [])], { kind: 'number', value: i }));
  const histograms = Array.from({ length: 1000 }, (_, i) =>
    series([['route', `/r/${i}`]], { kind: 'histogram', bounds: [0.1, 1, 10], counts: [i, 1, 2, 3], count: i + 6, sum: i * 1.5 }),
  );
  return [family('a_total', 'counter', counters), family('b_seconds', 'histogram', histograms)];
}

function write(families: Family[], options: RenderOptions, cache: ChunkTextCache): Buffer {
  return Buffer.concat([...protobufFormat.write(families, options, cache)] as Uint8Array[]);
}

describe('protobuf exposition: runs kept in a ChunkTextCache', () => {
  for (const escaping of ['allow-utf-8', 'underscores'] as const) {
    it(`an unchanged exposition is served from the cache, byte for byte a fresh one (escaping ${escaping})`, () => {
      const families = bigFamilies();
      const cache = new ChunkTextCache();
      const fresh = renderProtobuf(families, { escaping });
      assert.deepEqual(write(families, { escaping }, cache), fresh, 'written and kept');
      // A run served from the cache is its kept bytes: numbers changed in place (which a cached source must not do) do not show.
      (families[0]!.series.get('route="/r/1"')!.data as { value: number }).value = 1001;
      assert.deepEqual(write(families, { escaping }, cache), fresh, 'from the cache');
    });
  }

  it('a series with a new data object is written again, with the rest of its run; other runs are served as kept', () => {
    const families = bigFamilies();
    const cache = new ChunkTextCache();
    write(families, {}, cache);
    const counters = [...families[0]!.series.values()];
    const later = KEPT_RUN_SERIES * 3 + 5;
    counters[later]!.data = { kind: 'number', value: 42 }; // a new data object: its run is written again
    (counters[later + 1]!.data as { value: number }).value = 43; // in place, in the same run: written as it is now
    (counters[0]!.data as { value: number }).value = 44; // in place, in an unchanged run: served as kept
    const decoded = decodeMetricFamilies(write(families, {}, cache));
    assert.equal(decoded[0]!.metric[later].counter.value, 42);
    assert.equal(decoded[0]!.metric[later + 1].counter.value, 43);
    assert.equal(decoded[0]!.metric[0].counter.value, 0);
    // Once written, the exposition is what a fresh write of the same families gives, counter 0 aside.
    (counters[0]!.data as { value: number }).value = 0;
    assert.deepEqual(write(families, {}, cache), renderProtobuf(families));
  });

  it('a family\'s own fields are written anew: a new help reaches the scrape; a series added or removed shifts the runs after it', () => {
    const families = bigFamilies();
    const cache = new ChunkTextCache();
    write(families, {}, cache);
    families[1]!.help = 'another help';
    families[0]!.series.delete('route="/r/100"');
    const added = series([['route', '/r/new']], { kind: 'number', value: 7 });
    families[0]!.series.set(added.labelText, added);
    assert.deepEqual(write(families, {}, cache), renderProtobuf(families));
    const decoded = decodeMetricFamilies(write(families, {}, cache));
    assert.equal(decoded[1]!.help, 'another help');
    assert.equal(decoded[0]!.metric.length, 3000);
    assert.equal(decoded[0]!.metric.at(-1).label[0].value, '/r/new');
  });

  it('kept apart by escaping, and not used with appendTimestamp (the time changes without the data)', () => {
    const families = bigFamilies();
    const cache = new ChunkTextCache();
    assert.deepEqual(write(families, { escaping: 'underscores' }, cache), renderProtobuf(families, { escaping: 'underscores' }));
    assert.deepEqual(write(families, { escaping: 'allow-utf-8' }, cache), renderProtobuf(families, { escaping: 'allow-utf-8' }));
    assert.notDeepEqual(renderProtobuf(families, { escaping: 'underscores' }), renderProtobuf(families, { escaping: 'allow-utf-8' }));
    write(families, {}, cache);
    const moved = [...families[0]!.series.values()].map((s) => ({ ...s, timeMs: s.timeMs + 1000 }));
    const later = [family('a_total', 'counter', moved), families[1]!];
    assert.deepEqual(write(later, { appendTimestamp: true }, cache), renderProtobuf(later, { appendTimestamp: true }));
  });
});
