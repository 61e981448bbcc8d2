/**
 * The sidecar's log: JSON lines (pino) on stderr, one object per event with `level` as a word,
 * `time` in ISO 8601 and `msg`. Written synchronously, so that the line before a `process.exit`
 * is not lost.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config/schema.ts';
import type { Logger } from '../model/dropCounter.ts';

export type JsonLogger = PinoLogger;

/** A logger at `level` (`silent`: nothing) writing to `destination`. @default stderr */
export function createJsonLogger(level: LogLevel, destination: DestinationStream = pino.destination({ dest: 2, sync: true })): JsonLogger {
  return pino(
    {
      level,
      // No pid or hostname: a container's are of no use, and the orchestrator adds its own.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** The warn/debug `Logger` the sidecar and its store take, writing to `log`. */
export function asBridgeLogger(log: JsonLogger): Logger {
  return { warn: (message) => log.warn(message), debug: (message) => log.debug(message) };
}
