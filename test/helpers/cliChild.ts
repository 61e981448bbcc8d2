/**
 * The built CLI (`node dist/cli.js`, what `npm start` and the `otel-prom-bridge` bin run) as a child
 * process whose output the test reads. Every child still running when the test file ends is killed.
 * Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

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

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Starts the CLI with `args`. With `env`, the child sees only those variables and PATH (none of this
 * process's `OTEL_PROM_BRIDGE_*`); without, it inherits this process's environment.
 */
export function runCli(args: readonly string[], env?: Record<string, string>): CliChild {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, ...args], {
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
