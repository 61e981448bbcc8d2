/**
 * The CLI as a child process whose output the test reads: the built `dist/cli.js` (what `npm start`
 * and the `otel-prom-bridge` bin run; needs `npm run build`, which `npm test` does), or `src/cli.ts`
 * run directly (Node strips the types), so that no build is needed. `startCliSidecar` runs it as a
 * sidecar on free loopback ports. Every child still running when the test file ends is killed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts } from './freePorts.ts';
import { pollUntil } from './pollUntil.ts';
import { readCpuSeconds, readRss } from './processStats.ts';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SOURCE_CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const STDERR_TAIL = 4000;

export interface CliExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface CliChild {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<CliExit>;
}

/** How the child is started, beyond the CLI's own arguments. */
export interface CliLaunch {
  /** Flags for Node itself, before the script (`--max-old-space-size=…`). Default: none. */
  readonly nodeArgs?: readonly string[];
  /** `built`: `dist/cli.js`; `source`: `src/cli.ts`, no build needed. Default: `built`. */
  readonly cli?: 'built' | 'source';
}

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Starts the CLI with `args`. With `env`, the child sees only those variables and PATH (none of this
 * process's `OTEL_PROM_BRIDGE_*`); without, it inherits this process's environment.
 */
export function runCli(args: readonly string[], env?: Record<string, string>, launch: CliLaunch = {}): CliChild {
  const script = launch.cli === 'source' ? SOURCE_CLI : CLI;
  if (script === CLI) assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [...(launch.nodeArgs ?? []), script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env === undefined ? {} : { env: { PATH: process.env.PATH ?? '', ...env } }),
  });
  children.push(child);
  const cli: CliChild = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (cli.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (cli.stderr += chunk));
  return cli;
}

/** The child's exit, or a failure after `timeoutMs` (the child is killed then). */
export async function exitOf(cli: CliChild, timeoutMs: number): Promise<CliExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within ${timeoutMs} ms; stdout: ${cli.stdout} stderr: ${cli.stderr}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([cli.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The CLI as a sidecar of its own process (SIGTERM under load; load tests, whose RSS is the sidecar's alone). */
export interface CliSidecar {
  readonly child: ChildProcess;
  readonly otlpHttpUrl: string;
  readonly otlpGrpcPort: number;
  readonly metricsUrl: string;
  readonly healthyUrl: string;
  readonly exited: Promise<CliExit>;
  /** The last few KB of its stderr, for failure messages. */
  stderrTail(): string;
  /** Its resident set size now, from /proc (undefined where there is no /proc, or once it exited). */
  rssBytes(): number | undefined;
  /** CPU time it used so far (user + system), in seconds, from /proc (undefined without /proc). */
  cpuSeconds(): number | undefined;
  /** SIGKILL if still running. */
  kill(): void;
}

/**
 * The sidecar on free loopback ports, logging errors only, with `extraArgs`. Readiness is polled on
 * `/-/healthy`, not read from the logs. `built`: run `dist/cli.js` (without the type stripper's
 * memory; `npm run build` first) instead of `src/cli.ts`.
 */
export async function startCliSidecar(extraArgs: readonly string[] = [], nodeArgs: readonly string[] = [], cli: 'source' | 'built' = 'source'): Promise<CliSidecar> {
  const [httpPort, grpcPort, metricsPort] = (await freePorts(3)) as [number, number, number];
  const args = [
    '--otlp-http-listen',
    `127.0.0.1:${httpPort}`,
    '--otlp-grpc-listen',
    `127.0.0.1:${grpcPort}`,
    '--metrics-listen',
    `127.0.0.1:${metricsPort}`,
    '--log-level',
    'error',
    ...extraArgs,
  ];
  const running = runCli(args, undefined, { nodeArgs, cli });
  const { child } = running;
  const healthyUrl = `http://127.0.0.1:${metricsPort}/-/healthy`;
  const sidecar: CliSidecar = {
    child,
    otlpHttpUrl: `http://127.0.0.1:${httpPort}/v1/metrics`,
    otlpGrpcPort: grpcPort,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    healthyUrl,
    exited: running.exited,
    stderrTail: () => running.stderr.slice(-STDERR_TAIL),
    rssBytes: () => readRss(child.pid),
    cpuSeconds: () => readCpuSeconds(child.pid),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  try {
    await pollUntil(
      'the sidecar to answer /-/healthy',
      async () => {
        if (child.exitCode !== null) throw new Error(`the sidecar exited with ${child.exitCode}: ${sidecar.stderrTail()}`);
        const response = await fetch(healthyUrl, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      30_000,
      100,
    );
  } catch (error) {
    sidecar.kill();
    throw error;
  }
  return sidecar;
}
