import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Family } from '../model/family.ts';
import { renderChunks, renderOpenMetrics, renderText, type ChunkTextCache, type RenderOptions } from './exposition.ts';
import { contentTypeOf, negotiateFormat } from './negotiate.ts';

/** Renders families in the format an `Accept` header asks for, with the matching content type. */
export function renderExposition(families: Iterable<Family>, accept: string | undefined, options: RenderOptions): { contentType: string; body: string } {
  const format = negotiateFormat(accept);
  const body = format === 'openmetrics' ? renderOpenMetrics(families, options) : renderText(families, options);
  return { contentType: contentTypeOf(format), body };
}

/** An exposition being written: its content type, and its text chunk by chunk. */
export interface ExpositionStream {
  readonly contentType: string;
  readonly chunks: AsyncIterable<string>;
}

/**
 * `renderExposition` chunk by chunk, letting the event loop run between chunks (ingest, other
 * requests, the socket draining), so that a large exposition never holds it for more than a chunk's
 * work. Each series is written whole, as it is when its chunk is written (see `writeFamilyChunks`).
 * Rendering starts when the chunks are first asked for.
 */
export function streamExposition(families: Iterable<Family>, accept: string | undefined, options: RenderOptions, cache?: ChunkTextCache): ExpositionStream {
  const format = negotiateFormat(accept);
  return { contentType: contentTypeOf(format), chunks: yieldBetween(renderChunks(families, format === 'openmetrics', options, cache)) };
}

async function* yieldBetween(chunks: Iterable<string>): AsyncGenerator<string> {
  for (const chunk of chunks) {
    yield chunk;
    await nextTurn();
  }
}

/**
 * All of a stream's text as one string: its chunks appended (a string of pieces, copied once,
 * when it is written out, rather than once more here).
 */
export async function readExposition(stream: ExpositionStream): Promise<{ contentType: string; body: string }> {
  let body = '';
  for await (const chunk of stream.chunks) body += chunk;
  return { contentType: stream.contentType, body };
}
