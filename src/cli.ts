#!/usr/bin/env node
/**
 * `otel-prom-bridge`: the sidecar from the command line. argv → config → start; signals → stop.
 * Exit codes: 0 after a clean stop (SIGTERM, SIGINT) or --help/--version; 1 when it cannot start
 * or stop; 2 for a wrong command line.
 */
import type { Logger } from './model/dropCounter.ts';
import { CliUsageError, parseCliArgs, USAGE, type CliCommand } from './sidecar/cliArgs.ts';
import { formatHostPort } from './sidecar/listenAddress.ts';
import { Sidecar, type SidecarAddresses, type SidecarEndpoint } from './sidecar/Sidecar.ts';
import { VERSION } from './version.ts';

/** How long a stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

const logger: Logger = {
  warn: (message) => process.stderr.write(`otel-prom-bridge: warning: ${message}\n`),
  debug: () => undefined,
};

function fail(message: string, code: number): never {
  process.stderr.write(`otel-prom-bridge: ${message}\n`);
  process.exit(code);
}

function describe(name: string, endpoint: SidecarEndpoint, withPath: boolean): string {
  const path = withPath ? new URL(endpoint.url).pathname : '';
  return `${name} ${withPath ? 'http://' : ''}${formatHostPort(endpoint.host, endpoint.port)}${path}`;
}

function describeAll(addresses: SidecarAddresses): string {
  return [
    describe('OTLP/HTTP', addresses.otlpHttp, true),
    describe('OTLP/gRPC', addresses.otlpGrpc, false),
    describe('metrics', addresses.metrics, true),
  ].join(', ');
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliUsageError) fail(error.message, 2);
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`otel-prom-bridge ${VERSION}\n`);
    return;
  }

  let sidecar: Sidecar;
  try {
    sidecar = new Sidecar({ ...command.config, logger });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
  let addresses: SidecarAddresses;
  try {
    addresses = await sidecar.start();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 1);
  }
  process.stdout.write(`otel-prom-bridge ${VERSION} listening: ${describeAll(addresses)}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) fail(`${signal} again while stopping; exiting now`, 1);
    stopping = true;
    process.stdout.write(`otel-prom-bridge: ${signal} received, stopping\n`);
    const timer = setTimeout(() => fail(`the listeners did not close within ${STOP_TIMEOUT_MS} ms; exiting anyway`, 1), STOP_TIMEOUT_MS);
    timer.unref();
    sidecar.stop().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (error: unknown) => fail(`stopping failed: ${error instanceof Error ? error.message : String(error)}`, 1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => fail(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1));
