/** What a scrape gets: the exposition and its content type. */
export interface RenderedMetrics {
  readonly contentType: string;
  readonly body: string;
}

/** Anything the server can serve at its metrics path. */
export interface MetricsSource {
  /** Renders the exposition in the format the `Accept` header asks for. Rejects when it cannot. */
  render(accept?: string): Promise<RenderedMetrics>;
  /** Whether the source has data to serve (a reader bound to its MeterProvider, a first collection done). */
  isReady(): boolean;
}
