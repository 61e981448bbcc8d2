import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets are equal, in time that depends on neither: both are hashed with SHA-256
 * first, so that `timingSafeEqual` compares equal lengths and the secret's length does not leak.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
