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
 * requests, the socket draining) once `TURN_AFTER_MS` of work have gone since it last did, so that
 * a large exposition never holds it for much longer than that. Each series is written whole, as it
 * is when its chunk is written (see `writeFamilyChunks`). Rendering starts when the chunks are
 * first asked for.
 */
export function streamExposition(families: Iterable<Family>, accept: string | undefined, options: RenderOptions, cache?: ChunkTextCache): ExpositionStream {
  const format = negotiateFormat(accept);
  return { contentType: contentTypeOf(format), chunks: yieldBetween(renderChunks(families, format === 'openmetrics', options, cache)) };
}

/**
 * Work between two turns of the event loop: short enough for others' requests not to wait long,
 * long enough not to spend a scrape on turns (a turn after each of a W40k scrape's 420 chunks
 * made the exporter's HTTP scrape 7–15 ms slower, of about 150).
 */
const TURN_AFTER_MS = 10;

async function* yieldBetween(chunks: Iterable<string>): AsyncGenerator<string> {
  let lastTurn = performance.now();
  for (const chunk of chunks) {
    yield chunk;
    if (performance.now() - lastTurn >= TURN_AFTER_MS) {
      await nextTurn();
      lastTurn = performance.now();
    }
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
