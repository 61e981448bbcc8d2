import type { EscapingScheme } from './escaping/nameEscaping.ts';
import type { ChunkBytes } from './protobuf/chunkBytes.ts';
import type { ChunkTexts } from './textLines/writeFamily.ts';

/**
 * Chunks of the exposition kept once written, each by the data objects of its series, so that a
 * chunk whose series all hold the same data objects is served again without being written again:
 * text for the text formats, bytes for protobuf (runs of `Metric` messages, within a family whose
 * own fields and length are written anew each time, see `ChunkBytes`).
 * For a source whose series' data objects never change once built and stay with one series of
 * one family: the periodic reader's snapshots, which keep a series' data object while its numbers
 * stay the same. A scrape of an unchanged snapshot then costs about a copy of its bytes, and one
 * after a collection writes anew only the chunks (of 1,024 series; protobuf runs of 64) where
 * something changed.
 * Kept apart by format and by escaping (the same series are other text in each), each for one set
 * of render options, without `appendTimestamp` (the time changes without the data). Data objects
 * let go of take their chunks with them.
 */
export class ChunkTextCache {
  readonly #byFormat = new Map<string, ChunkTexts>();
  readonly #bytesByFormat = new Map<string, ChunkBytes>();

  /** The chunks kept for the format of that name, its names escaped by `escaping`. */
  forFormat(name: string, escaping: EscapingScheme): ChunkTexts {
    const key = `${name} ${escaping}`;
    let kept = this.#byFormat.get(key);
    if (kept === undefined) {
      kept = new WeakMap();
      this.#byFormat.set(key, kept);
    }
    return kept;
  }

  /** The runs of bytes kept for the binary format of that name, its names escaped by `escaping`. */
  bytesForFormat(name: string, escaping: EscapingScheme): ChunkBytes {
    const key = `${name} ${escaping}`;
    let kept = this.#bytesByFormat.get(key);
    if (kept === undefined) {
      kept = new WeakMap();
      this.#bytesByFormat.set(key, kept);
    }
    return kept;
  }
}
