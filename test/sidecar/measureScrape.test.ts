import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { measureScrape } from '../../src/sidecar/measureScrape.ts';
import type { ScrapeOutcome } from '../../src/sidecar/scrapeStats.ts';

async function* chunksOf(texts: readonly string[], failAfter = Infinity): AsyncGenerator<string> {
  for (const [i, text] of texts.entries()) {
    if (i >= failAfter) throw new Error('rendering failed');
    yield text;
  }
}

/** The chunks measured, and every end told. */
function measured(source: AsyncIterable<string>): { chunks: AsyncIterable<string>; ends: [ScrapeOutcome, number][] } {
  const ends: [ScrapeOutcome, number][] = [];
  return { chunks: measureScrape(source, (outcome, bytes) => ends.push([outcome, bytes])), ends };
}

describe('measureScrape: how a scrape ended, told once', () => {
  it('completed, with its UTF-8 bytes, once the chunks ran out', async () => {
    const { chunks, ends } = measured(chunksOf(['a 1\n', 'é 2\n']));
    const seen: string[] = [];
    for await (const chunk of chunks) seen.push(chunk);
    assert.deepEqual(seen, ['a 1\n', 'é 2\n']);
    assert.deepEqual(ends, [['completed', 9]]);
  });

  it('aborted when the consumer stops early, with nothing after', async () => {
    const { chunks, ends } = measured(chunksOf(['a', 'b', 'c']));
    for await (const chunk of chunks) if (chunk === 'a') break;
    assert.deepEqual(ends, [['aborted', 1]]);
  });

  it('aborted when rendering fails midway', async () => {
    const { chunks, ends } = measured(chunksOf(['a', 'b'], 1));
    await assert.rejects(async () => {
      for await (const _chunk of chunks);
    }, /rendering failed/);
    assert.deepEqual(ends, [['aborted', 1]]);
  });

  it('aborted when the response stream is destroyed, even before its first chunk', async () => {
    const { chunks, ends } = measured(chunksOf(['a', 'b']));
    const stream = Readable.from(chunks, { objectMode: false });
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    assert.deepEqual(ends, [['aborted', 0]]);
  });

  it('completed once the response stream read it whole, not aborted when the stream closes after', async () => {
    const { chunks, ends } = measured(chunksOf(['a', 'b']));
    const stream = Readable.from(chunks, { objectMode: false, encoding: 'utf8' });
    let body = '';
    for await (const chunk of stream) body += chunk as string;
    assert.equal(body, 'ab');
    assert.deepEqual(ends, [['completed', 2]]);
  });
});
