/** Child processes for the deploy tests: output kept, exits awaited with a bound, killed on exit. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  readonly process: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name) once it exits. */
  readonly exited: Promise<number | string>;
}

const OUTPUT_TAIL_CHARS = 20_000;
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `command`; stdout and stderr are kept (their tail) for messages. */
export function startChild(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: string): void => {
    output = (output + chunk).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => {
      running.delete(child);
      resolve(`error: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { process: child, output: () => output, exited };
}

/** The exit code, or `timeout` after `timeoutMs` (the child is then killed). */
export async function waitForExit(child: Child, timeoutMs: number): Promise<number | string> {
  const controller = new AbortController();
  try {
    const result = await Promise.race([child.exited, sleep(timeoutMs, 'timeout' as const, { signal: controller.signal })]);
    if (result === 'timeout') child.process.kill('SIGKILL');
    return result;
  } finally {
    controller.abort();
  }
}

/** Runs a command to completion: its exit code and output; killed after `timeoutMs`. */
export async function run(command: string, args: readonly string[], options: SpawnOptions & { timeoutMs: number }): Promise<{ code: number | string; output: string }> {
  const child = startChild(command, args, options);
  const code = await waitForExit(child, options.timeoutMs);
  return { code, output: child.output() };
}

/** Stops a child: SIGTERM, then SIGKILL after `timeoutMs`. Returns how it exited. */
export async function stopChild(child: Child, timeoutMs = 10_000): Promise<number | string> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.exited;
  child.process.kill('SIGTERM');
  const code = await waitForExit(child, timeoutMs);
  return code === 'timeout' ? child.exited : code;
}
