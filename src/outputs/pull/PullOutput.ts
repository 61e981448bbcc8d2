import type { ChunkTextCache } from '../../exposition/chunkTextCache.ts';
import type { EscapingScheme } from '../../exposition/escaping/nameEscaping.ts';
import type { ExpositionFormat, RenderOptions } from '../../exposition/expositionFormat.ts';
import { EXPOSITION_FORMATS } from '../../exposition/expositionFormats.ts';
import type { FormatRegistry } from '../../exposition/formatRegistry.ts';
import { readExposition, streamFormat, type ExpositionStream, type RenderedExposition } from '../../exposition/renderExposition.ts';
import type { DropCounter } from '../../model/dropCounter.ts';
import type { Family } from '../../model/family.ts';
import { mergeFamilies } from '../../model/mergeFamilies.ts';

/** Where some of a scrape's families come from: the store, prom-client registries, the bridge's own metrics. */
export type FamilySource = () => readonly Family[] | Promise<readonly Family[]>;

export interface PullOutputOptions {
  /**
   * The scrape's families, asked for in this order when a scrape starts, each merged into those
   * before it: a family or series of an earlier source wins a conflict with a later one, which is
   * dropped and counted. At least one.
   */
  readonly sources: readonly FamilySource[];
  /** Where conflicts between sources are counted. */
  readonly drops: DropCounter;
  readonly renderOptions: RenderOptions;
  /** The formats served. @default EXPOSITION_FORMATS */
  readonly formats?: FormatRegistry;
}

/** A scrape being written: the format and escaping negotiated, the content type naming both, and its chunks. */
export interface PullScrape extends ExpositionStream {
  readonly format: ExpositionFormat;
  readonly escaping: EscapingScheme;
}

/**
 * The pull output (HTTP exposition): one scrape composed from its sources and written in the format
 * the scraper asks for, chunk by chunk. The sidecar and the in-process readers serve their scrapes
 * through it, and the server streams what it gives.
 */
export class PullOutput {
  readonly #sources: readonly FamilySource[];
  readonly #drops: DropCounter;
  readonly #renderOptions: RenderOptions;
  readonly #formats: FormatRegistry;

  constructor(options: PullOutputOptions) {
    if (options.sources.length === 0) throw new Error('A PullOutput needs at least one source of families.');
    this.#sources = options.sources;
    this.#drops = options.drops;
    this.#renderOptions = options.renderOptions;
    this.#formats = options.formats ?? EXPOSITION_FORMATS;
  }

  /**
   * A scrape for an `Accept` header, chunk by chunk, the event loop free between chunks. Asks its
   * sources first; rejects when one does. `cache`: chunks kept from earlier scrapes, for a source
   * whose series' data objects never change once built (see `ChunkTextCache`). `textOnly`: passes
   * binary formats over. Names are escaped as the header asks (`escaping=`), whatever the render
   * options say.
   */
  async stream(accept: string | undefined, cache?: ChunkTextCache, textOnly = false): Promise<PullScrape> {
    const negotiated = this.#formats.negotiate(accept, textOnly);
    const families = await this.families();
    return { format: negotiated.format, escaping: negotiated.escaping, ...streamFormat(negotiated, families, this.#renderOptions, cache) };
  }

  /** The same scrape as one string, in the text format the `Accept` header asks for. */
  async render(accept: string | undefined, cache?: ChunkTextCache): Promise<RenderedExposition> {
    return readExposition(await this.stream(accept, cache, true));
  }

  /** The families of a scrape now: each source's merged in turn into those before it. */
  async families(): Promise<readonly Family[]> {
    const [first, ...rest] = this.#sources;
    let families = await first!();
    for (const source of rest) families = mergeFamilies(families, await source(), this.#drops);
    return families;
  }
}
