import type { ExpositionStream } from '../exposition/renderExposition.ts';

/** What a scrape gets: the exposition and its content type. */
export interface RenderedMetrics {
  readonly contentType: string;
  readonly body: string;
}

/** Anything the server can serve at its metrics path. */
export interface MetricsSource {
  /** Renders the exposition in the text format the `Accept` header asks for (binary ones are passed over). Rejects when it cannot. */
  render(accept?: string): Promise<RenderedMetrics>;
  /**
   * The same exposition chunk by chunk, text or bytes, for sources that can write it so (the server
   * then streams it, gzipped on the way, instead of holding it whole), in any format the source
   * negotiates. Rejects when it cannot start.
   */
  renderStream?(accept?: string): Promise<ExpositionStream>;
  /** Whether the source has data to serve (a reader bound to its MeterProvider, a first collection done). */
  isReady(): boolean;
}
