/**
 * The sidecar's log: JSON lines (pino) on stderr, one object per event with `level` as a word,
 * `time` in ISO 8601 and `msg`. Written synchronously, so that the line before a `process.exit`
 * is not lost.
 */
import * as grpc from '@grpc/grpc-js';
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
  return { warn: (message) => log.warn(message), debug: (message) => log.debug(message), info: (message) => log.info(message) };
}

/**
 * grpc-js logs on its own, to the console (`E No address added out of total 1 resolved` when its
 * port is taken): its lines go to `log` instead, as JSON like every other, marked `source: grpc-js`.
 */
export function routeGrpcLogs(log: JsonLogger): void {
  const grpcLog = log.child({ source: 'grpc-js' });
  const text = (message: unknown, params: unknown[]) => [message, ...params].map(String).join(' ');
  grpc.setLogger({
    error: (message?: unknown, ...params: unknown[]) => grpcLog.error(text(message, params)),
    info: (message?: unknown, ...params: unknown[]) => grpcLog.info(text(message, params)),
    debug: (message?: unknown, ...params: unknown[]) => grpcLog.debug(text(message, params)),
  });
}
