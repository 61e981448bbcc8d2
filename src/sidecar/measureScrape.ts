import type { ScrapeOutcome } from './scrapeStats.ts';

/**
 * An exposition's chunks passed on as they are, and how the scrape ended told once, with the bytes
 * passed on (UTF-8, before gzip): `completed` when the chunks ran out, `aborted` when the consumer
 * stopped early (the response stream destroyed because the client closed the connection: `return`
 * or `throw`, even before the first chunk) or rendering failed midway.
 */
export function measureScrape(chunks: AsyncIterable<string>, onEnd: (outcome: ScrapeOutcome, bytes: number) => void): AsyncIterable<string> {
  return new MeasuredChunks(chunks[Symbol.asyncIterator](), onEnd);
}

// A class rather than an async generator: a generator's `finally` does not run when it is
// returned before it started, and a response closed that early would go uncounted.
class MeasuredChunks implements AsyncIterableIterator<string> {
  readonly #source: AsyncIterator<string>;
  readonly #onEnd: (outcome: ScrapeOutcome, bytes: number) => void;
  #bytes = 0;
  #ended = false;

  constructor(source: AsyncIterator<string>, onEnd: (outcome: ScrapeOutcome, bytes: number) => void) {
    this.#source = source;
    this.#onEnd = onEnd;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<string>> {
    if (this.#ended) return { done: true, value: undefined };
    let result: IteratorResult<string>;
    try {
      result = await this.#source.next();
    } catch (error) {
      this.#end('aborted');
      throw error;
    }
    if (result.done === true) this.#end('completed');
    else this.#bytes += Buffer.byteLength(result.value, 'utf8');
    return result;
  }

  async return(): Promise<IteratorResult<string>> {
    this.#end('aborted');
    await this.#source.return?.();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<string>> {
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
