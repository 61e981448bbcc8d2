/**
 * The sidecar's CLI as a child process on free loopback ports, for the tests that need a process of
 * its own: SIGTERM under load, and the load tests (whose RSS is the sidecar's alone). Runs
 * `src/cli.ts` directly (Node strips the types), so no build is needed, or the built `dist/cli.js`
 * (what `npm start` runs, without the type stripper's memory). Readiness is polled on
 * `/-/healthy`, not read from the logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../helpers/freePorts.ts';
import { pollUntil } from '../helpers/pollUntil.ts';

const SOURCE_CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const STDERR_TAIL = 4000;

export interface CliSidecar {
  readonly child: ChildProcess;
  readonly otlpHttpUrl: string;
  readonly otlpGrpcPort: number;
  readonly metricsUrl: string;
  readonly healthyUrl: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few KB of its stderr, for failure messages. */
  stderrTail(): string;
  /** Its resident set size now, from /proc (undefined where there is no /proc, or once it exited). */
  rssBytes(): number | undefined;
  /** CPU time it used so far (user + system), in seconds, from /proc (undefined without /proc). */
  cpuSeconds(): number | undefined;
  /** SIGKILL if still running. */
  kill(): void;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `built`: run `dist/cli.js` (`npm run build` first) instead of `src/cli.ts`. */
export async function startCliSidecar(extraArgs: readonly string[] = [], nodeArgs: readonly string[] = [], cli: 'source' | 'built' = 'source'): Promise<CliSidecar> {
  if (cli === 'built' && !existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` first`);
  const [httpPort, grpcPort, metricsPort] = (await freePorts(3)) as [number, number, number];
  const args = [
    ...nodeArgs,
    cli === 'built' ? BUILT_CLI : SOURCE_CLI,
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
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const healthyUrl = `http://127.0.0.1:${metricsPort}/-/healthy`;
  const sidecar: CliSidecar = {
    child,
    otlpHttpUrl: `http://127.0.0.1:${httpPort}/v1/metrics`,
    otlpGrpcPort: grpcPort,
    metricsUrl,
    healthyUrl,
    exited,
    stderrTail: () => stderr,
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
        if (child.exitCode !== null) throw new Error(`the sidecar exited with ${child.exitCode}: ${stderr}`);
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

/** VmRSS of a process in bytes, from /proc/<pid>/status. */
export function readRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** utime + stime of a process in seconds, from /proc/<pid>/stat. */
export function readCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}
