/**
 * The built CLI (`node dist/cli.js`, what `npm start` and the `otel-prom-bridge` bin run) as a
 * child process on free loopback ports. Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { exitOf as exitWithin, runCli, type CliChild, type CliExit } from '../helpers/cliChild.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { findLogLine, parseLogLines } from '../helpers/logLines.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { jsonRequest, protobufRequest } from '../helpers/otlpRequests.ts';
import { grpcExportError } from '../helpers/sendExport.ts';
import { get, TIMEOUT_MS } from '../sidecar/sidecarHarness.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** As the CLI's: a repeat of a signal within this counts as the same one. */
const SAME_SIGNAL_MS = 100;

/** The exit, or a failure after `TIMEOUT_MS` (the child is killed then). */
function exitOf(cli: CliChild): Promise<CliExit> {
  return exitWithin(cli, TIMEOUT_MS);
}

function pushJson(url: string, service: string, name: string, value: number): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonRequest(service, [{ name, value }]), signal: AbortSignal.timeout(TIMEOUT_MS) });
}

/** Waits for the JSON log line saying the CLI listens; fails with its stderr if it exits first. */
function untilListening(cli: CliChild): Promise<true> {
  return pollUntil('the CLI to log that it listens', () => (findLogLine(cli.stderr, /listening$/) ? true : cli.child.exitCode !== null ? assert.fail(cli.stderr) : undefined), TIMEOUT_MS);
}

describe('the otel-prom-bridge CLI', () => {
  it('serves /metrics and /-/healthy, takes OTLP, logs every endpoint, and exits 0 on SIGTERM', async () => {
    const [metricsPort, httpPort, grpcPort] = await freePorts(3);
    const cli = runCli([
      '--metrics-listen', `127.0.0.1:${metricsPort}`,
      '--otlp-http-listen', `127.0.0.1:${httpPort}`,
      '--otlp-grpc-listen', `127.0.0.1:${grpcPort}`,
      '--metrics-path', '/scrape',
      '--drain-period', '0s',
    ]);
    await untilListening(cli);
    const [started] = parseLogLines(cli.stderr);
    assert.equal(started?.level, 'info');
    assert.equal(started?.msg, `otel-prom-bridge ${VERSION} listening`);
    assert.equal(started?.version, VERSION);
    assert.deepEqual(started?.endpoints, {
      otlpHttp: { enabled: true, url: `http://127.0.0.1:${httpPort}/v1/metrics`, tls: false, auth: 'none' },
      otlpGrpc: { enabled: true, url: `http://127.0.0.1:${grpcPort}`, tls: false, auth: 'none' },
      metrics: { enabled: true, url: `http://127.0.0.1:${metricsPort}/scrape`, tls: false, auth: 'none' },
    });
    assert.equal(cli.stdout, '');

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
    assert.deepEqual(
      parseLogLines(cli.stderr).map((line) => [line.level, line.msg.replace(/:.*/, '')]),
      [['info', `otel-prom-bridge ${VERSION} listening`], ['info', 'SIGTERM received, stopping'], ['info', 'stopped']],
    );
    assert.equal(cli.stdout, '');
  });

  it('exits 0 on SIGINT too', async () => {
    const ports = await freePorts(3);
    const cli = runCli(['--metrics-listen', `127.0.0.1:${ports[0]}`, '--otlp-http-listen', `127.0.0.1:${ports[1]}`, '--otlp-grpc-listen', `127.0.0.1:${ports[2]}`, '--drain-period', '0s']);
    await untilListening(cli);
    cli.child.kill('SIGINT');
    assert.deepEqual(await exitOf(cli), { code: 0, signal: null });
  });

  describe('drains on SIGTERM before it exits', () => {
    const DRAIN_MS = 1_000;
    /** Time allowed past the drain period for closing the listeners and exiting. */
    const MARGIN_MS = 2_000;

    async function startListening(drainPeriod: string): Promise<{ cli: CliChild; metrics: string; otlpHttp: string; grpcPort: number }> {
      const [metricsPort, httpPort, grpcPort] = await freePorts(3);
      const cli = runCli([
        '--metrics-listen', `127.0.0.1:${metricsPort}`,
        '--otlp-http-listen', `127.0.0.1:${httpPort}`,
        '--otlp-grpc-listen', `127.0.0.1:${grpcPort}`,
        '--drain-period', drainPeriod,
      ]);
      await untilListening(cli);
      return { cli, metrics: `http://127.0.0.1:${metricsPort}`, otlpHttp: `http://127.0.0.1:${httpPort}/v1/metrics`, grpcPort: grpcPort! };
    }

    it('/-/ready 503, /metrics 200 with the data pushed before, OTLP refused; exit 0 within the drain period and a margin', async () => {
      const { cli, metrics, otlpHttp, grpcPort } = await startListening('1s');
      assert.equal((await pushJson(otlpHttp, 'draining-cli', 'before_stop', 11)).status, 200);

      const signalledAt = performance.now();
      cli.child.kill('SIGTERM');
      await pollUntil('/-/ready to answer 503', async () => ((await get(`${metrics}/-/ready`)).status === 503 ? true : undefined), TIMEOUT_MS);
      assert.equal((await get(`${metrics}/-/healthy`)).status, 200);
      const scraped = await get(`${metrics}/metrics`);
      assert.equal(scraped.status, 200);
      assert.match(await scraped.text(), /^before_stop_total\{.*job="draining-cli".*\} 11$/m);
      const refused = await pushJson(otlpHttp, 'draining-cli', 'after_stop', 1);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal((await grpcExportError(grpcPort, protobufRequest('draining-cli', [{ name: 'after_stop', value: 1 }]), TIMEOUT_MS))?.code, grpc.status.UNAVAILABLE);

      assert.deepEqual(await exitOf(cli), { code: 0, signal: null });
      const tookMs = performance.now() - signalledAt;
      assert.ok(tookMs >= DRAIN_MS - 50, `exited after ${Math.round(tookMs)} ms, before the drain period of ${DRAIN_MS} ms`);
      assert.ok(tookMs < DRAIN_MS + MARGIN_MS, `exited after ${Math.round(tookMs)} ms, more than the drain period of ${DRAIN_MS} ms + ${MARGIN_MS} ms`);
      const stopping = findLogLine(cli.stderr, /^SIGTERM received/);
      assert.equal(stopping?.msg, 'SIGTERM received, stopping: /-/ready answers 503 and new OTLP exports are refused; the metrics path answers for the drain period of 1s');
      assert.equal(stopping.signal, 'SIGTERM');
      assert.equal(stopping.drainPeriod, '1s');
      assert.deepEqual(parseLogLines(cli.stderr).filter((line) => line.level !== 'info'), []);
    });

    it('a second signal while draining exits 1 at once', async () => {
      const { cli } = await startListening('1h');
      cli.child.kill('SIGTERM');
      await pollUntil('the CLI to log that it is stopping', () => (findLogLine(cli.stderr, /^SIGTERM received, stopping/) ? true : undefined), TIMEOUT_MS);
      // Past the window in which a repeat counts as the same signal (npm delivers each twice).
      await delay(SAME_SIGNAL_MS + 50);
      const signalledAt = performance.now();
      cli.child.kill('SIGINT');
      assert.deepEqual(await exitOf(cli), { code: 1, signal: null });
      assert.ok(performance.now() - signalledAt < MARGIN_MS, 'at once, not after the drain period');
      const last = parseLogLines(cli.stderr).at(-1);
      assert.equal(last?.level, 'error');
      assert.equal(last.msg, 'SIGINT again while stopping; exiting now');
    });

    it('signals within 100 ms of the first are the same one (npm start forwards its group\'s): exit 0 after the drain', async () => {
      const { cli } = await startListening('1s');
      cli.child.kill('SIGINT');
      cli.child.kill('SIGINT');
      assert.deepEqual(await exitOf(cli), { code: 0, signal: null });
      assert.equal(parseLogLines(cli.stderr).filter((line) => / received, stopping/.test(line.msg)).length, 1);
      assert.deepEqual(parseLogLines(cli.stderr).filter((line) => line.level !== 'info'), []);
    });
  });

  it('exits 1 naming the address when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const ports = await freePorts(2);
      const cli = runCli(['--metrics-listen', `127.0.0.1:${ports[0]}`, '--otlp-http-listen', `127.0.0.1:${taken}`, '--otlp-grpc-listen', `127.0.0.1:${ports[1]}`]);
      assert.deepEqual(await exitOf(cli), { code: 1, signal: null });
      const [failure] = parseLogLines(cli.stderr);
      assert.equal(failure?.level, 'error');
      assert.match(failure.msg, new RegExp(`OTLP/HTTP receiver could not listen on 127\\.0\\.0\\.1:${taken}: .*EADDRINUSE`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('a taken gRPC port: exit 1, and grpc-js\'s own complaint is a JSON line like every other', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const ports = await freePorts(2);
      const cli = runCli(['--metrics-listen', `127.0.0.1:${ports[0]}`, '--otlp-http-listen', `127.0.0.1:${ports[1]}`, '--otlp-grpc-listen', `127.0.0.1:${taken}`]);
      assert.deepEqual(await exitOf(cli), { code: 1, signal: null });
      const lines = parseLogLines(cli.stderr); // fails on a line that is not JSON
      const failure = lines.find((line) => line.level === 'error' && /OTLP\/gRPC receiver could not listen/.test(line.msg));
      assert.ok(failure, cli.stderr);
      assert.match(failure.msg, new RegExp(`127\\.0\\.0\\.1:${taken}`));
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
