import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Family } from '../model/family.ts';
import type { ChunkTextCache } from './chunkTextCache.ts';
import type { ExpositionChunk, ExpositionFormat, RenderOptions } from './expositionFormat.ts';
import { EXPOSITION_FORMATS } from './expositionFormats.ts';
import type { FormatRegistry, NegotiatedFormat } from './formatRegistry.ts';

/** An exposition as one string and its content type (from a text format). */
export interface RenderedExposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * Renders families in the text format an `Accept` header asks for, names escaped as it asks, with
 * the matching content type.
 */
export function renderExposition(families: Iterable<Family>, accept: string | undefined, options: RenderOptions, formats: FormatRegistry = EXPOSITION_FORMATS): RenderedExposition {
  const { format, escaping, contentType } = formats.negotiate(accept, true);
  return { contentType, body: joinText(format.write(families, { ...options, escaping }), format) };
}

/** An exposition being written: its content type, and its chunks (text or bytes) one by one. */
export interface ExpositionStream {
  readonly contentType: string;
  readonly chunks: AsyncIterable<ExpositionChunk>;
}

/**
 * `renderExposition` chunk by chunk, in any format the `Accept` header asks for (binary ones too):
 * see `streamFormat`.
 */
export function streamExposition(
  families: Iterable<Family>,
  accept: string | undefined,
  options: RenderOptions,
  cache?: ChunkTextCache,
  formats: FormatRegistry = EXPOSITION_FORMATS,
): ExpositionStream {
  return streamFormat(formats.negotiate(accept), families, options, cache);
}

/**
 * The families written in the negotiated format, names escaped as negotiated, chunk by chunk, letting the event loop run between chunks
 * (ingest, other requests, the socket draining) once `TURN_AFTER_MS` of work have gone since it last
 * did, so that a large exposition never holds it for much longer than that. Each series is written
 * whole, as it is when its chunk is written (see `writeFamilyChunks`). Writing starts when the
 * chunks are first asked for.
 */
export function streamFormat(negotiated: NegotiatedFormat, families: Iterable<Family>, options: RenderOptions, cache?: ChunkTextCache): ExpositionStream {
  const { format, escaping, contentType } = negotiated;
  return { contentType, chunks: yieldBetween(format.write(families, { ...options, escaping }, cache)) };
}

/**
 * Work between two turns of the event loop: short enough for others' requests not to wait long,
 * long enough not to spend a scrape on turns (a turn after each of a W40k scrape's 420 chunks
 * made the exporter's HTTP scrape 7–15 ms slower, of about 150).
 */
const TURN_AFTER_MS = 10;

async function* yieldBetween(chunks: Iterable<ExpositionChunk>): AsyncGenerator<ExpositionChunk> {
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
 * All of a text stream as one string: its chunks appended (a string of pieces, copied once, when it
 * is written out, rather than once more here). Rejects on a chunk of bytes: a binary format has no
 * string form.
 */
export async function readExposition(stream: ExpositionStream): Promise<RenderedExposition> {
  let body = '';
  for await (const chunk of stream.chunks) {
    if (typeof chunk !== 'string') throw new TypeError(`${stream.contentType} is a binary exposition: stream it, it has no string form.`);
    body += chunk;
  }
  return { contentType: stream.contentType, body };
}

function joinText(chunks: Iterable<ExpositionChunk>, format: ExpositionFormat): string {
  let body = '';
  for (const chunk of chunks) {
    if (typeof chunk !== 'string') throw new TypeError(`${format.name} wrote bytes: only text formats render to a string.`);
    body += chunk;
  }
  return body;
}
