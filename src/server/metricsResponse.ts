import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { MetricsSource } from './metricsSource.ts';

const gzipAsync = promisify(gzip);

export interface MetricsResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
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

/**
 * A scrape's answer: the rendered body (gzipped when the scraper accepts it), or a 500 with a
 * message when rendering fails; never a 200 with a broken body.
 */
export async function buildMetricsResponse(
  source: MetricsSource,
  accept: string | undefined,
  acceptEncoding: string | undefined,
): Promise<MetricsResponse> {
  let rendered;
  try {
    rendered = await source.render(accept);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      statusCode: isNotReady(error) ? 503 : 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `failed to render metrics: ${message}\n`,
    };
  }
  const headers: Record<string, string> = { 'content-type': rendered.contentType, vary: 'Accept, Accept-Encoding' };
  if (!acceptsGzip(acceptEncoding)) return { statusCode: 200, headers, body: rendered.body };
  // Level 1: most of gzip's saving on repetitive exposition text for a fraction of the CPU.
  const body = await gzipAsync(rendered.body, { level: constants.Z_BEST_SPEED });
  return { statusCode: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body };
}

/** Raised by a source that has nothing to serve yet (answered 503, not 500). */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

function isNotReady(error: unknown): boolean {
  return error instanceof NotReadyError;
}
