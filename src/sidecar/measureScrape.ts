import type { ExpositionChunk } from '../exposition/expositionFormat.ts';
import type { ScrapeOutcome } from './scrapeStats.ts';

/**
 * An exposition's chunks passed on as they are, and how the scrape ended told once, with the bytes
 * passed on (text as UTF-8; before gzip): `completed` when the chunks ran out, `aborted` when the consumer
 * stopped early (the response stream destroyed because the client closed the connection: `return`
 * or `throw`, even before the first chunk) or rendering failed midway.
 */
export function measureScrape<Chunk extends ExpositionChunk>(chunks: AsyncIterable<Chunk>, onEnd: (outcome: ScrapeOutcome, bytes: number) => void): AsyncIterable<Chunk> {
  return new MeasuredChunks(chunks[Symbol.asyncIterator](), onEnd);
}

// A class rather than an async generator: a generator's `finally` does not run when it is
// returned before it started, and a response closed that early would go uncounted.
class MeasuredChunks<Chunk extends ExpositionChunk> implements AsyncIterableIterator<Chunk> {
  readonly #source: AsyncIterator<Chunk>;
  readonly #onEnd: (outcome: ScrapeOutcome, bytes: number) => void;
  #bytes = 0;
  #ended = false;

  constructor(source: AsyncIterator<Chunk>, onEnd: (outcome: ScrapeOutcome, bytes: number) => void) {
    this.#source = source;
    this.#onEnd = onEnd;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Chunk>> {
    if (this.#ended) return { done: true, value: undefined };
    let result: IteratorResult<Chunk>;
    try {
      result = await this.#source.next();
    } catch (error) {
      this.#end('aborted');
      throw error;
    }
    if (result.done === true) this.#end('completed');
    else this.#bytes += typeof result.value === 'string' ? Buffer.byteLength(result.value, 'utf8') : result.value.byteLength;
    return result;
  }

  async return(): Promise<IteratorResult<Chunk>> {
    this.#end('aborted');
    await this.#source.return?.();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Chunk>> {
    this.#end('aborted');
    await this.#source.return?.();
    throw error;
  }

  #end(outcome: ScrapeOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd(outcome, this.#bytes);
  }
}
