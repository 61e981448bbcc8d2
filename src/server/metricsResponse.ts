import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { constants, createGzip, gzip } from 'node:zlib';
import type { MetricsSource } from './metricsSource.ts';

const gzipAsync = promisify(gzip);

export interface MetricsResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** The whole body, or (from a source that streams) the body as it is written. */
  readonly body: string | Buffer | Readable;
}

/** Whether an `Accept-Encoding` header accepts gzip (q above 0, by name or `*`). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let gzipQ: number | undefined;
  let starQ: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (coding === 'gzip' || coding === 'x-gzip') gzipQ = q;
    else if (coding === '*') starQ = q;
  }
  const q = gzipQ ?? starQ ?? 0;
  return Number.isFinite(q) && q > 0;
}

/** Level 1: most of gzip's saving on repetitive exposition text for a fraction of the CPU. */
const GZIP_OPTIONS = { level: constants.Z_BEST_SPEED };

/** Chunks of a streamed exposition written ahead of the socket: some hundreds of KiB to a MiB of text. */
const CHUNKS_AHEAD = 16;

/**
 * A scrape's answer: the rendered body (gzipped when the scraper accepts it), or a 500 with a
 * message when rendering fails to start (503 when the source is not ready).
 *
 * From a source that streams (`renderStream`), the body is a stream written chunk by chunk as the
 * client takes it (through gzip when accepted), so that a large exposition neither holds the event
 * loop nor sits whole in memory. Should writing fail midway, the stream is destroyed and the
 * client sees a broken response, never a 200 with a complete-looking but wrong body.
 */
export async function buildMetricsResponse(
  source: MetricsSource,
  accept: string | undefined,
  acceptEncoding: string | undefined,
): Promise<MetricsResponse> {
  let rendered;
  try {
    rendered = source.renderStream === undefined ? await source.render(accept) : await source.renderStream(accept);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      statusCode: isNotReady(error) ? 503 : 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `failed to render metrics: ${message}\n`,
    };
  }
  const headers: Record<string, string> = { 'content-type': rendered.contentType, vary: 'Accept, Accept-Encoding' };
  const gzipped = acceptsGzip(acceptEncoding);
  if (gzipped) headers['content-encoding'] = 'gzip';
  if ('body' in rendered) {
    return { statusCode: 200, headers, body: gzipped ? await gzipAsync(rendered.body, GZIP_OPTIONS) : rendered.body };
  }
  // Chunks pass as they come, text or bytes, whatever the format: text stays a string on the way,
  // encoded once as the socket or gzip takes it (turned into Buffers by the stream, a W40k scrape of
  // kept text took 54 ms instead of 37), bytes stay bytes. A few chunks are written ahead while the
  // socket sends.
  const chunks = Readable.from(rendered.chunks, { objectMode: true, highWaterMark: CHUNKS_AHEAD });
  if (!gzipped) return { statusCode: 200, headers, body: chunks };
  // pipeline: an error on either side destroys both, and the response with them.
  const body = pipeline(chunks, createGzip(GZIP_OPTIONS), () => undefined);
  return { statusCode: 200, headers, body };
}

/** Raised by a source that has nothing to serve yet (answered 503, not 500). */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

function isNotReady(error: unknown): boolean {
  return error instanceof NotReadyError;
}
