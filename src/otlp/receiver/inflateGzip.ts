import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** A gzip body that inflates to more than the limit; inflating stopped there. */
export class InflatedTooLargeError extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`the gzip body inflates to more than the limit of ${limit} bytes`);
    this.name = 'InflatedTooLargeError';
    this.limit = limit;
  }
}

/** A body that is not valid gzip. */
export class InvalidGzipError extends Error {
  constructor(reason: string) {
    super(`the body is not valid gzip: ${reason}`);
    this.name = 'InvalidGzipError';
  }
}

/**
 * Inflates a gzip body, at most `limit` bytes of output: zlib stops as soon as the output passes it
 * (`maxOutputLength`), so a small "gzip bomb" costs at most `limit` bytes and the time to make them.
 */
export async function inflateGzip(body: Uint8Array, limit: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new InflatedTooLargeError(limit);
    throw new InvalidGzipError(error instanceof Error ? error.message : String(error));
  }
}
