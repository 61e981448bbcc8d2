import type { Logger } from '../../src/index.ts';

/** A logger that keeps what it was told, so that tests stay quiet and can check warnings. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (message) => warnings.push(message), debug: () => undefined };
}
