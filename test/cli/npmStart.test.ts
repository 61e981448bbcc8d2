/**
 * `npm start` on a fresh clone serves on the default ports: OTLP/HTTP 4318, OTLP/gRPC 4317 and
 * /metrics on 9464, with no configuration. Runs the real `npm` from PATH in the repository root, as
 * a user would, in its own process group. Needs `npm run build` first (`npm test` does it).
 *
 * The default ports are fixed, so when one of them is taken on 127.0.0.1 the test is skipped with a
 * message: it never stops whatever holds them.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isListening } from '../helpers/isListening.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { jsonRequest } from '../helpers/otlpRequests.ts';
import { get, TIMEOUT_MS } from '../sidecar/sidecarHarness.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const DEFAULT_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, metrics: 9464 } as const;
/** npm itself takes a moment to start before the CLI does. */
const START_TIMEOUT_MS = 30_000;

/** Whether this process can listen on 127.0.0.1:`port` right now (the listener is closed again). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function takenDefaultPorts(): Promise<string | false> {
  const taken: string[] = [];
  for (const [name, port] of Object.entries(DEFAULT_PORTS)) if (!(await canListen(port))) taken.push(`${port} (${name})`);
  if (taken.length === 0) return false;
  return `default port ${taken.join(', ')} already in use on 127.0.0.1; free it to run this test (the test never stops what holds it)`;
}

const skip = await takenDefaultPorts();

let child: ChildProcess | undefined;
after(() => {
  // Whatever happened, leave nothing of the group behind.
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('`npm start` on a fresh clone serves on the default ports', { skip, timeout: START_TIMEOUT_MS + 4 * TIMEOUT_MS }, () => {
  it('serves /-/healthy and /metrics on 9464, takes OTLP/HTTP on 4318 and gRPC connections on 4317, and stops on SIGTERM to its group', async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first (\`npm test\` builds before testing)`);
    let output = '';
    // A drain period (shorter than the default 5 s) for the SIGTERM at the end: npm forwards it to the
    // CLI, which gets it twice within a millisecond and must take the two as one (exit 0, not 1).
    const started = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      detached: true,
      env: { ...process.env, OTEL_PROM_BRIDGE_DRAIN_PERIOD: '1s' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const pid = started.pid;
    assert.ok(pid !== undefined, 'npm could be started (is it on PATH?)');
    started.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    started.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      started.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await pollUntil(
      'http://127.0.0.1:9464/-/healthy to answer 200',
      async () => {
        if (started.exitCode !== null || started.signalCode !== null) assert.fail(`npm start exited early (${started.exitCode ?? started.signalCode}):\n${output}`);
        try {
          const response = await fetch(`http://127.0.0.1:${DEFAULT_PORTS.metrics}/-/healthy`, { signal: AbortSignal.timeout(1_000) });
          await response.arrayBuffer();
          return response.status === 200 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      START_TIMEOUT_MS,
      100,
    );
    // npm's own lines come first on stdout; the CLI's log lines are the JSON ones. The metrics
    // listener answers before the OTLP listeners are up and the `listening` line is written: wait for it.
    const listening = await pollUntil(
      'the log line saying the sidecar listens',
      () =>
        output
          .split('\n')
          .filter((line) => line.startsWith('{') && line.endsWith('}'))
          .map((line) => JSON.parse(line) as { msg: string; endpoints?: Record<string, { url?: string }> })
          .find((line) => line.msg.endsWith(' listening')),
      START_TIMEOUT_MS,
      50,
    );
    assert.deepEqual(
      Object.values(listening?.endpoints ?? {}).map((endpoint) => endpoint.url),
      ['http://0.0.0.0:4318/v1/metrics', 'http://0.0.0.0:4317', 'http://0.0.0.0:9464/metrics'],
      output,
    );

    const pushed = await fetch(`http://127.0.0.1:${DEFAULT_PORTS.otlpHttp}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonRequest('npm-start-test', [{ name: 'npm_start_pushed', value: 7 }]),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(pushed.status, 200, await pushed.text());
    const metrics = await get(`http://127.0.0.1:${DEFAULT_PORTS.metrics}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^npm_start_pushed_total\{.*job="npm-start-test".*\} 7$/m);

    assert.equal(await isListening(DEFAULT_PORTS.otlpGrpc), true, 'a TCP connection to 127.0.0.1:4317 (OTLP/gRPC) is accepted');

    process.kill(-pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`npm start did not exit within ${TIMEOUT_MS} ms of SIGTERM to its process group:\n${output}`)), TIMEOUT_MS);
    });
    try {
      assert.deepEqual(await Promise.race([exited, timeout]), { code: 0, signal: null }, output);
    } finally {
      clearTimeout(timer);
    }
    assert.match(output, /SIGTERM received, stopping/);
    // Nothing of the group is left serving.
    for (const port of Object.values(DEFAULT_PORTS)) assert.equal(await isListening(port, 500), false, `port ${port} is closed after the stop`);
  });
});
