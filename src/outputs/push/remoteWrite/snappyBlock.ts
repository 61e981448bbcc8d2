import snappyjs from 'snappyjs';

/**
 * Snappy's block format (not its framed stream), as remote write requires, with snappyjs (pure
 * JavaScript). On our write requests it compresses as fast as the `snappy` package (Rust's snap
 * through N-API), about 290 MB/s here, and it needs no native binary per platform (Alpine, ARM).
 * Both are measured in `npm run bench -- --only=remote-write`.
 */
export function compressSnappy(bytes: Uint8Array): Uint8Array {
  return snappyjs.compress(bytes);
}
