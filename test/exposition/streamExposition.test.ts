import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { ChunkTextCache } from '../../src/exposition/chunkTextCache.ts';
import { renderOpenMetrics } from '../../src/exposition/openmetrics/openMetricsFormat.ts';
import { renderText } from '../../src/exposition/text/textFormat.ts';
import { renderChunks } from '../../src/exposition/textLines/renderChunks.ts';
import { writeFamily, writeFamilyChunks } from '../../src/exposition/textLines/writeFamily.ts';
import { renderLabelText } from '../../src/translate/labelText.ts';
import { readExposition, streamExposition } from '../../src/exposition/renderExposition.ts';
import type { Family, Series, SeriesData } from '../../src/model/family.ts';
import { buildMetricsResponse } from '../../src/server/metricsResponse.ts';
import type { MetricsSource } from '../../src/server/metricsSource.ts';

function series(labels: readonly (readonly [string, string])[], data: SeriesData): Series {
  return { labels, labelText: renderLabelText(labels), data, timeMs: 1_700_000_000_000, startTimeMs: undefined };
}

function family(name: string, type: Family['type'], all: readonly Series[]): Family {
  return { name, type, help: `${name} help`, unit: '', series: new Map(all.map((s) => [s.labelText, s])) };
}

/** Families big enough for many chunks: 3,000 counters and 1,000 histograms. */
function bigFamilies(): Family[] {
  const counters = Array.from({ length: 3000 }, (_, i) => series([['route', `/r/${i}`]], { kind: 'number', value: i }));
  const histograms = Array.from({ length: 1000 }, (_, i) =>
    series([['route', `/r/${i}`]], { kind: 'histogram', bounds: [0.1, 1, 10], counts: [i, 1, 2, 3], count: i + 6, sum: i * 1.5 }),
  );
  return [family('a_total', 'counter', counters), family('b_seconds', 'histogram', histograms)];
}

describe('the exposition in chunks', () => {
  it('writeFamilyChunks: whole series per chunk, together the text of writeFamily', () => {
    const format = { openMetrics: false, appendTimestamp: true, maxExponentialBuckets: 40, escaping: 'allow-utf-8', createdLines: false } as const;
    for (const one of bigFamilies()) {
      const chunks = [...writeFamilyChunks(one, format, undefined, 100)];
      assert.ok(chunks.length > 10, `${chunks.length} chunks`);
      for (const chunk of chunks) assert.ok(chunk.endsWith('\n'));
      assert.equal(chunks.join(''), writeFamily(one, format));
    }
  });

  it('a series changed between chunks is written once, as it was or as it is, never half of each', () => {
    const histograms = Array.from({ length: 200 }, (_, i) =>
      series([['i', String(i)]], { kind: 'histogram', bounds: [1], counts: [1, 1], count: 2, sum: 2 }),
    );
    const one = family('h', 'histogram', histograms);
    const chunks: string[] = [];
    for (const chunk of writeFamilyChunks(one, { openMetrics: false, appendTimestamp: false, maxExponentialBuckets: 40, escaping: 'allow-utf-8', createdLines: false }, undefined, 50)) {
      chunks.push(chunk);
      // Between chunks: every series gets new data, and one is removed and another added.
      for (const s of histograms) s.data = { kind: 'histogram', bounds: [1], counts: [5, 5], count: 10, sum: 10 };
      one.series.delete(histograms[199]!.labelText);
      one.series.set('i="new"', series([['i', 'new']], { kind: 'number', value: 1 }));
    }
    const text = chunks.join('');
    for (let i = 0; i < 200; i++) {
      const counts = [...text.matchAll(new RegExp(`^h_count\\{i="${i}"\\} (\\d+)$`, 'gm'))].map((m) => m[1]);
      assert.equal(counts.length, 1, `series ${i} written once`);
      const buckets = [...text.matchAll(new RegExp(`^h_bucket\\{i="${i}",le="[^"]+"\\} (\\d+)$`, 'gm'))].map((m) => m[1]);
      assert.deepEqual(buckets, counts[0] === '2' ? ['1', '2'] : ['5', '10'], `series ${i} whole`);
    }
    assert.ok(!text.includes('i="new"'), 'a series added after the family started waits for the next scrape');
  });

  it('streamExposition gives the text of renderText and renderOpenMetrics, in several chunks', async () => {
    const families = bigFamilies();
    for (const [accept, want] of [
      [undefined, renderText(families)],
      ['application/openmetrics-text; version=1.0.0', renderOpenMetrics(families)],
    ] as const) {
      const stream = streamExposition(families, accept, {});
      let chunks = 0;
      let body = '';
      for await (const chunk of stream.chunks) {
        chunks++;
        body += chunk;
      }
      assert.ok(chunks > 1, `${chunks} chunks`);
      assert.equal(body, want);
      assert.deepEqual(await readExposition(streamExposition(families, accept, {})), { contentType: stream.contentType, body: want });
    }
  });

  it('ChunkTextCache: a chunk is written once, and again only once one of its series holds new data', () => {
    const families = bigFamilies();
    const cache = new ChunkTextCache();
    for (const openMetrics of [false, true]) {
      const want = openMetrics ? renderOpenMetrics(families) : renderText(families);
      assert.equal([...renderChunks(families, openMetrics, {}, cache)].join(''), want);
      assert.equal([...renderChunks(families, openMetrics, {}, cache)].join(''), want, 'from the cache');
    }
    // Series 0 gets new data: its chunk (series 0 to 1,023) is written again, with series 1 as it is now.
    // Series 2,000 changes its data object in place (which a cached source must not do): its chunk is served as kept.
    const counters = [...families[0]!.series.values()];
    counters[0]!.data = { kind: 'number', value: 42 };
    (counters[1]!.data as { value: number }).value = 43;
    (counters[2000]!.data as { value: number }).value = 44;
    const cached = [...renderChunks(families, false, {}, cache)].join('');
    for (const line of ['a_total{route="/r/0"} 42\n', 'a_total{route="/r/1"} 43\n', 'a_total{route="/r/2000"} 2000\n']) assert.ok(cached.includes(line), line);
    // With timestamps the cache is not used: the time changes without the data.
    assert.equal([...renderChunks(families, false, { appendTimestamp: true }, cache)].join(''), renderText(families, { appendTimestamp: true }));
  });

  it('a streaming source is served as a stream, gzipped on the way when accepted', async () => {
    const families = bigFamilies();
    const source: MetricsSource = {
      render: async () => readExposition(streamExposition(families, undefined, {})),
      renderStream: async (accept) => streamExposition(families, accept, {}),
      isReady: () => true,
    };
    const want = renderText(families);
    for (const gzip of [false, true]) {
      const response = await buildMetricsResponse(source, undefined, gzip ? 'gzip' : undefined);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-encoding'], gzip ? 'gzip' : undefined);
      const body = response.body;
      assert.ok(typeof body !== 'string' && !Buffer.isBuffer(body));
      const bytes: Buffer[] = [];
      for await (const chunk of body) bytes.push(Buffer.from(chunk as Buffer));
      const all = Buffer.concat(bytes);
      assert.equal((gzip ? gunzipSync(all) : all).toString('utf8'), want);
    }
  });

  it('a streaming source that cannot start answers 500 (503 when not ready) with the reason', async () => {
    const source: MetricsSource = {
      render: async () => ({ contentType: 'text/plain', body: '' }),
      renderStream: async () => {
        throw new Error('collection failed');
      },
      isReady: () => true,
    };
    const response = await buildMetricsResponse(source, undefined, 'gzip');
    assert.equal(response.statusCode, 500);
    assert.equal(response.body, 'failed to render metrics: collection failed\n');
  });
});
