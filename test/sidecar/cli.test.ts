/**
 * The built CLI (`node dist/cli.js`, what `npm start` and the `otel-prom-bridge` bin run) as a
 * child process on free loopback ports. Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../helpers/freePorts.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { jsonRequest } from './otlpRequests.ts';
import { get, TIMEOUT_MS } from './sidecarHarness.ts';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Cli {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function runCli(args: readonly string[]): Cli {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const cli: Cli = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (cli.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (cli.stderr += chunk));
  return cli;
}

/** The exit, or a failure after `TIMEOUT_MS` (the child is killed then). */
async function exitOf(cli: Cli): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within ${TIMEOUT_MS} ms; stdout: ${cli.stdout} stderr: ${cli.stderr}`));
    }, TIMEOUT_MS);
  });
  try {
    return await Promise.race([cli.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the otel-prom-bridge CLI', () => {
  it('serves /metrics and /-/healthy, takes OTLP, logs every endpoint, and exits 0 on SIGTERM', async () => {
    const [metricsPort, httpPort, grpcPort] = await freePorts(3);
    const cli = runCli([
      '--metrics-listen', `127.0.0.1:${metricsPort}`,
      '--otlp-http-listen', `127.0.0.1:${httpPort}`,
      '--otlp-grpc-listen', `127.0.0.1:${grpcPort}`,
      '--metrics-path', '/scrape',
    ]);
    await pollUntil('the CLI to say it listens', () => (cli.stdout.includes('listening') ? true : cli.child.exitCode !== null ? assert.fail(cli.stderr) : undefined), TIMEOUT_MS);
    assert.equal(
      cli.stdout.trim(),
      `otel-prom-bridge ${VERSION} listening: OTLP/HTTP http://127.0.0.1:${httpPort}/v1/metrics, OTLP/gRPC 127.0.0.1:${grpcPort}, metrics http://127.0.0.1:${metricsPort}/scrape`,
    );

    const pushed = await fetch(`http://127.0.0.1:${httpPort}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonRequest('cli-test', [{ name: 'pushed', value: 3 }]),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(pushed.status, 200);
    const metrics = await get(`http://127.0.0.1:${metricsPort}/scrape`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^pushed_total\{.*job="cli-test".*\} 3$/m);
    const healthy = await get(`http://127.0.0.1:${metricsPort}/-/healthy`);
    assert.equal(healthy.status, 200);
    assert.equal(await healthy.text(), 'OK\n');

    cli.child.kill('SIGTERM');
    assert.deepEqual(await exitOf(cli), { code: 0, signal: null });
    assert.match(cli.stdout, /SIGTERM received, stopping/);
    assert.equal(cli.stderr, '');
  });

  it('exits 0 on SIGINT too', async () => {
    const ports = await freePorts(3);
    const cli = runCli(['--metrics-listen', `127.0.0.1:${ports[0]}`, '--otlp-http-listen', `127.0.0.1:${ports[1]}`, '--otlp-grpc-listen', `127.0.0.1:${ports[2]}`]);
    await pollUntil('the CLI to say it listens', () => (cli.stdout.includes('listening') ? true : cli.child.exitCode !== null ? assert.fail(cli.stderr) : undefined), TIMEOUT_MS);
    cli.child.kill('SIGINT');
    assert.deepEqual(await exitOf(cli), { code: 0, signal: null });
  });

  it('exits 1 naming the address when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const ports = await freePorts(2);
      const cli = runCli(['--metrics-listen', `127.0.0.1:${ports[0]}`, '--otlp-http-listen', `127.0.0.1:${taken}`, '--otlp-grpc-listen', `127.0.0.1:${ports[1]}`]);
      assert.deepEqual(await exitOf(cli), { code: 1, signal: null });
      assert.match(cli.stderr, new RegExp(`OTLP/HTTP receiver could not listen on 127\\.0\\.0\\.1:${taken}: .*EADDRINUSE`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  const usage: [args: string[], code: number, stream: 'stdout' | 'stderr', text: RegExp][] = [
    [['--help'], 0, 'stdout', /^Usage: otel-prom-bridge \[options\]/],
    [['--version'], 0, 'stdout', new RegExp(`^otel-prom-bridge ${VERSION.replaceAll('.', '\\.')}\\n$`)],
    [['--bogus'], 2, 'stderr', /^otel-prom-bridge: unknown option '--bogus'\. See --help\.\n$/],
    [['--metrics-listen', '9464'], 2, 'stderr', /^otel-prom-bridge: metrics_listen "9464" from --metrics-listen is not valid \(must be an address with a port\); allowed: host:port/],
    [['--otlp-grpc-listen', '0.0.0.0:70000'], 2, 'stderr', /^otel-prom-bridge: otlp_grpc_listen "0\.0\.0\.0:70000" from --otlp-grpc-listen is not valid \(has a port outside 0-65535\)/],
    [['--metrics-path', 'metrics'], 2, 'stderr', /^otel-prom-bridge: metrics_path "metrics" from --metrics-path is not valid/],
  ];
  for (const [args, code, stream, text] of usage) {
    it(`${args.join(' ')} → exit ${code}`, async () => {
      const cli = runCli(args);
      assert.deepEqual(await exitOf(cli), { code, signal: null });
      assert.match(cli[stream], text);
    });
  }
});
