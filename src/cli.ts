#!/usr/bin/env node
/**
 * `otel-prom-bridge`: the sidecar from the command line. argv, environment, --config file → config
 * → start; signals → a graceful stop. Exit codes: 0 after a clean stop (SIGTERM, SIGINT), --help,
 * --version or --check-config; 1 when it cannot start or stop, or on a second signal while
 * stopping; 2 for a wrong setting (flag, variable or file).
 *
 * The first SIGTERM or SIGINT drains: `/-/ready` answers 503, new OTLP exports are refused (HTTP 503
 * with `Retry-After: 1`, gRPC UNAVAILABLE; the listeners stay open), those in flight finish, and
 * the metrics path answers for `drain_period` so that a last scrape sees the last data; then the
 * listeners close and the process exits 0. Another signal after that exits 1 at once. Signals
 * within 100 ms of the first count as the same one: `npm start` delivers each twice (to the
 * process group, and forwarded by npm).
 */
import { performance } from 'node:perf_hooks';
import { ConfigError } from './config/configError.ts';
import { formatDuration } from './config/duration.ts';
import { loadConfig, type CliCommand } from './config/loadConfig.ts';
import { renderEffectiveConfig, renderHelp } from './config/renderConfigDocs.ts';
import type { LogLevel } from './config/schema.ts';
import { toSidecarConfig } from './config/toSidecarConfig.ts';
import type { Logger } from './model/dropCounter.ts';
import { formatHostPort } from './sidecar/listenAddress.ts';
import { Sidecar, type SidecarAddresses, type SidecarEndpoint } from './sidecar/Sidecar.ts';
import { VERSION } from './version.ts';

/** How long closing the listeners may take, after the drain period, before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

/** A signal this soon after the first is the same one delivered twice (npm forwards its group's signals). */
const SAME_SIGNAL_MS = 100;

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** Writes to stderr the messages at `level` or above. */
function buildLogger(level: LogLevel): Logger {
  const write = (at: LogLevel, message: string) => {
    if (SEVERITY[at] >= SEVERITY[level]) process.stderr.write(`otel-prom-bridge: ${at}: ${message}\n`);
  };
  return { warn: (message) => write('warn', message), debug: (message) => write('debug', message) };
}

function fail(message: string, code: number): never {
  process.stderr.write(`otel-prom-bridge: ${message}\n`);
  process.exit(code);
}

function describe(name: string, endpoint: SidecarEndpoint, withPath: boolean): string {
  const path = withPath ? new URL(endpoint.url).pathname : '';
  return `${name} ${withPath ? 'http://' : ''}${formatHostPort(endpoint.host, endpoint.port)}${path}`;
}

function describeEndpoint(name: string, endpoint: SidecarEndpoint, withPath: boolean): string {
  return endpoint.enabled ? describe(name, endpoint, withPath) : `${name} off`;
}

function describeAll(addresses: SidecarAddresses): string {
  return [
    describeEndpoint('OTLP/HTTP', addresses.otlpHttp, true),
    describeEndpoint('OTLP/gRPC', addresses.otlpGrpc, false),
    describeEndpoint('metrics', addresses.metrics, true),
  ].join(', ');
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(renderHelp());
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`otel-prom-bridge ${VERSION}\n`);
    return;
  }

  let sidecar: Sidecar;
  try {
    sidecar = new Sidecar({ ...toSidecarConfig(command.config.values), logger: buildLogger(command.config.values.logLevel) });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
  if (command.kind === 'check') {
    // Constructed and not started: the sidecar's own checks ran too.
    process.stdout.write(renderEffectiveConfig(command.config));
    return;
  }
  // Before listening: a signal right after the "listening" line must find its handler.
  const drainMs = command.config.values.drainPeriod;
  let firstSignalAt: number | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    const now = performance.now();
    if (firstSignalAt !== undefined) {
      if (now - firstSignalAt < SAME_SIGNAL_MS) return;
      fail(`${signal} again while stopping; exiting now`, 1);
    }
    firstSignalAt = now;
    process.stdout.write(
      `otel-prom-bridge: ${signal} received, stopping: /-/ready answers 503 and new OTLP exports are refused; the metrics path answers for the drain period of ${formatDuration(drainMs)}\n`,
    );
    const timer = setTimeout(() => fail(`the listeners did not close within ${STOP_TIMEOUT_MS} ms of the drain period's end; exiting anyway`, 1), drainMs + STOP_TIMEOUT_MS);
    timer.unref();
    sidecar.shutdown().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (error: unknown) => fail(`stopping failed: ${error instanceof Error ? error.message : String(error)}`, 1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let addresses: SidecarAddresses;
  try {
    addresses = await sidecar.start();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 1);
  }
  process.stdout.write(`otel-prom-bridge ${VERSION} listening: ${describeAll(addresses)}\n`);
}

main().catch((error: unknown) => fail(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1));
