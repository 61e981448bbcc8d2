#!/usr/bin/env node
/**
 * `otel-prom-bridge`: the sidecar from the command line. argv, environment, --config file → config
 * → start; signals → a graceful stop. Exit codes: 0 after a clean stop (SIGTERM, SIGINT), --help,
 * --version or --check-config; 1 when it cannot start or stop, or on a second signal while
 * stopping; 2 for a wrong setting (flag, variable or file), or a state directory that cannot be
 * written or is held by another running sidecar.
 *
 * The first SIGTERM or SIGINT drains: `/-/ready` answers 503, new OTLP exports are refused (HTTP 503
 * with `Retry-After: 1`, gRPC UNAVAILABLE; the listeners stay open), those in flight finish, and
 * the metrics path answers for `drain_period` so that a last scrape sees the last data; then the
 * listeners close and the process exits 0. Another signal after that exits 1 at once. Signals
 * within 100 ms of the first count as the same one: `npm start` delivers each twice (to the
 * process group, and forwarded by npm).
 *
 * Once the configuration is read, everything it says is a JSON line on stderr (pino, at
 * `log_level`): where each listener is with the effective settings (secrets masked), stopping,
 * failures. A wrong command line is one plain line instead, as `--help` and `--check-config` print
 * plain text.
 */
import { performance } from 'node:perf_hooks';
import { ConfigError } from './config/configError.ts';
import { formatDuration } from './config/duration.ts';
import { loadConfig, type CliCommand } from './config/loadConfig.ts';
import { maskedConfigValues, renderEffectiveConfig, renderHelp } from './config/renderConfigDocs.ts';
import { renderRulesHelp } from './config/rulesArgs.ts';
import { writeMigrationRules } from './migration/writeMigrationRules.ts';
import { toSidecarSettings } from './sidecar/toSidecarSettings.ts';
import { StateDirectoryError } from './outputs/state/StateDirectoryError.ts';
import type { ListenerAuth } from './net/auth/listenerAuth.ts';
import { asBridgeLogger, createJsonLogger, routeGrpcLogs, type JsonLogger } from './sidecar/jsonLogger.ts';
import { formatHostPort } from './config/listenAddress.ts';
import { Sidecar } from './sidecar/Sidecar.ts';
import type { SidecarAddresses, SidecarEndpoint } from './sidecar/sidecarAddresses.ts';
import type { ListenerName, SidecarSettings } from './sidecar/sidecarSettings.ts';
import { VERSION } from './version.ts';

/** How long closing the listeners may take, after the drain period, before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

/** A signal this soon after the first is the same one delivered twice (npm forwards its group's signals). */
const SAME_SIGNAL_MS = 100;

/** A wrong command line, variable or file: one plain line, exit 2 (no log exists yet, or it is a usage error). */
function failUsage(message: string): never {
  process.stderr.write(`otel-prom-bridge: ${message}\n`);
  process.exit(2);
}

function failLogged(log: JsonLogger, message: string): never {
  log.error(message);
  process.exit(1);
}

/** What the start line says of a listener: where (the address bound, as the OS reports it), TLS, auth. */
type EndpointDescription =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly url: string; readonly tls: boolean; readonly auth: ListenerAuth['kind'] | 'none' };

function describeEndpoint(endpoint: SidecarEndpoint, settings: SidecarSettings, listener: ListenerName, withPath: boolean): EndpointDescription {
  if (!endpoint.enabled) return { enabled: false };
  const tls = settings.tls[listener] !== undefined;
  const path = withPath ? new URL(endpoint.url).pathname : '';
  return { enabled: true, url: `${tls ? 'https' : 'http'}://${formatHostPort(endpoint.host, endpoint.port)}${path}`, tls, auth: settings.auth[listener]?.kind ?? 'none' };
}

function describeAll(addresses: SidecarAddresses, settings: SidecarSettings) {
  return {
    otlpHttp: describeEndpoint(addresses.otlpHttp, settings, 'otlpHttp', true),
    otlpGrpc: describeEndpoint(addresses.otlpGrpc, settings, 'otlpGrpc', false),
    metrics: describeEndpoint(addresses.metrics, settings, 'metrics', true),
  };
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) failUsage(error.message);
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
  if (command.kind === 'rules-help') {
    process.stdout.write(renderRulesHelp());
    return;
  }
  if (command.kind === 'rules') {
    // A scrape that cannot be read or says nothing: one plain line, exit 1.
    const written = await writeMigrationRules(command.args).catch((error: unknown) => {
      process.stderr.write(`otel-prom-bridge rules: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
    process.stdout.write(written.yaml);
    if (written.rules.length === 0) process.stderr.write(`otel-prom-bridge rules: no series of ${command.args.from} needs a rule (see the notes in the output).\n`);
    return;
  }

  const { values } = command.config;
  const log = createJsonLogger(values.logLevel);
  routeGrpcLogs(log);
  let settings: SidecarSettings;
  let sidecar: Sidecar;
  try {
    settings = toSidecarSettings(values, { logger: asBridgeLogger(log) });
    sidecar = new Sidecar(settings);
  } catch (error) {
    failUsage(error instanceof Error ? error.message : String(error));
  }
  if (command.kind === 'check') {
    // Constructed and not started: the secret and TLS files were read, and the store and listeners' options built.
    process.stdout.write(renderEffectiveConfig(command.config));
    return;
  }
  // Before listening: a signal right after the "listening" line must find its handler.
  const drainMs = settings.drainPeriodMs;
  let firstSignalAt: number | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    const now = performance.now();
    if (firstSignalAt !== undefined) {
      if (now - firstSignalAt < SAME_SIGNAL_MS) return;
      failLogged(log.child({ signal }), `${signal} again while stopping; exiting now`);
    }
    firstSignalAt = now;
    log.info(
      { signal, drainPeriod: formatDuration(drainMs) },
      `${signal} received, stopping: /-/ready answers 503 and new OTLP exports are refused; the metrics path answers for the drain period of ${formatDuration(drainMs)}`,
    );
    const timer = setTimeout(() => failLogged(log, `the listeners did not close within ${STOP_TIMEOUT_MS} ms of the drain period's end; exiting anyway`), drainMs + STOP_TIMEOUT_MS);
    timer.unref();
    sidecar.shutdown().then(
      () => {
        clearTimeout(timer);
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => failLogged(log, `stopping failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let addresses: SidecarAddresses;
  try {
    addresses = await sidecar.start();
  } catch (error) {
    // A state directory that cannot be used is a wrong setting: exit 2, as for any other.
    if (error instanceof StateDirectoryError) {
      log.error(error.message);
      process.exit(2);
    }
    failLogged(log, error instanceof Error ? error.message : String(error));
  }
  log.info({ version: VERSION, endpoints: describeAll(addresses, settings), config: maskedConfigValues(values) }, `otel-prom-bridge ${VERSION} listening`);
}

main().catch((error: unknown) => {
  process.stderr.write(`otel-prom-bridge: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
