// The drop-in contract: a program written against @opentelemetry/exporter-prometheus runs unchanged
// after its import specifier is swapped for 'otel-prom-bridge'. The same fixture runs twice as a
// child process, as written and as a swapped copy, and both are scraped over real sockets.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../helpers/freePorts.ts';
import { isListening } from '../helpers/isListening.ts';
import { findSamples, parseSamples, sampleValue, type Sample } from '../helpers/parseSamples.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/dropInProgram.mjs', import.meta.url));
const DIST_ENTRY = join(REPO_ROOT, 'dist', 'index.js');
const OFFICIAL_SPECIFIER = "'@opentelemetry/exporter-prometheus'";
const OUR_SPECIFIER = "'otel-prom-bridge'";

const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 10_000;
const FETCH_TIMEOUT_MS = 5_000;

interface Ports {
  readonly port: number;
  readonly handlerPort: number;
  readonly manualPort: number;
}

/** The fixture running as a child process, with what it printed so far. */
class RunningProgram {
  readonly #child: ChildProcess;
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout = '';
  stderr = '';

  constructor(file: string, ports: Ports) {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(ports.port), HANDLER_PORT: String(ports.handlerPort), MANUAL_PORT: String(ports.manualPort) };
    delete env.NODE_TEST_CONTEXT;
    delete env.OTEL_EXPORTER_PROMETHEUS_HOST;
    delete env.OTEL_EXPORTER_PROMETHEUS_PORT;
    this.#child = spawn(process.execPath, [file], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.#exited = once(this.#child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Resolves once stdout has the line; rejects if the program exits first or the time runs out. */
  async waitForLine(line: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stdout.split('\n').includes(line)) {
      if (!this.running) throw new Error(`the program exited before printing ${line}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`the program did not print ${line} within ${timeoutMs} ms.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** The exit, or a rejection after `timeoutMs`. */
  async exit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the program did not exit within ${timeoutMs} ms.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.#exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the program if it still runs and waits (boundedly) for it to go. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.#child.kill('SIGKILL');
    await this.exit(EXIT_TIMEOUT_MS).catch(() => undefined);
  }
}

async function scrape(url: string): Promise<{ status: number; contentType: string | null; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** A copy of the fixture whose only change is the import specifier, in a temp dir inside the repo. */
async function writeSwappedCopy(dir: string): Promise<string> {
  const source = await readFile(FIXTURE, 'utf8');
  assert.equal(source.split(OFFICIAL_SPECIFIER).length - 1, 1, `the fixture must name ${OFFICIAL_SPECIFIER} exactly once`);
  const swapped = source.replace(OFFICIAL_SPECIFIER, OUR_SPECIFIER);
  const file = join(dir, 'dropInProgram.mjs');
  await writeFile(file, swapped);
  return file;
}

interface Variant {
  readonly title: string;
  readonly ours: boolean;
  /** The program to run (may prepare a file); cleaned up by `cleanUp`. */
  prepare(): Promise<string>;
  cleanUp(): Promise<void>;
}

let tempDir: string | undefined;
const variants: Variant[] = [
  {
    title: 'as written, with @opentelemetry/exporter-prometheus',
    ours: false,
    prepare: async () => FIXTURE,
    cleanUp: async () => undefined,
  },
  {
    title: "with the import swapped for 'otel-prom-bridge'",
    ours: true,
    async prepare() {
      if (!existsSync(DIST_ENTRY)) {
        throw new Error(
          `${DIST_ENTRY} is missing: 'otel-prom-bridge' resolves to the built package (package.json "exports" → dist/index.js). Run \`npm run build\` first (\`npm test\` builds before testing).`,
        );
      }
      await mkdir(join(REPO_ROOT, '.tmp'), { recursive: true });
      tempDir = await mkdtemp(join(REPO_ROOT, '.tmp', 'dropIn-'));
      return writeSwappedCopy(tempDir);
    },
    async cleanUp() {
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
      tempDir = undefined;
    },
  },
];

for (const variant of variants) {
  describe(`the drop-in program ${variant.title}`, () => {
    let program: RunningProgram | undefined;
    let ports: Ports;

    before(async () => {
      const file = await variant.prepare();
      const [port, handlerPort, manualPort] = await freePorts(3);
      ports = { port: port!, handlerPort: handlerPort!, manualPort: manualPort! };
      program = new RunningProgram(file, ports);
      await program.waitForLine('READY', READY_TIMEOUT_MS);
    });

    after(async () => {
      await program?.kill();
      await variant.cleanUp();
    });

    it('prints READY once the constructor callbacks fired, after starting and stopping a server by hand', () => {
      const lines = program!.stdout.split('\n');
      assert.ok(lines.includes('MANUAL status=200 requests=true'), `startServer() then a scrape should have worked:\n${program!.stdout}`);
      assert.ok(lines.indexOf('MANUAL stopped') < lines.indexOf('READY'));
    });

    it('serves /metrics with status 200 and every recorded value', async () => {
      const { status, body } = await scrape(`http://127.0.0.1:${ports.port}/metrics`);
      assert.equal(status, 200, body);
      const samples = parseSamples(body);
      const common = { service_name: 'drop-in-demo', otel_scope_name: 'drop-in-meter' };
      assert.equal(sampleValue(samples, /^app_requests.*_total$/, { ...common, route: '/a' }), 5);
      assert.equal(sampleValue(samples, /^app_latency.*_count$/, { ...common, route: '/a' }), 2);
      assert.equal(sampleValue(samples, /^app_latency.*_sum$/, { ...common, route: '/a' }), 1.5);
      assert.equal(sampleValue(samples, /^app_latency.*_bucket$/, { ...common, route: '/a', le: '+Inf' }), 2);
      assert.equal(sampleValue(samples, /^app_queue_depth/, common), 5);
      assert.equal(sampleValue(samples, /^app_temperature/, { ...common, room: 'lab' }), 21.5);
      assert.equal(sampleValue(samples, 'target_info', { service_name: 'drop-in-demo', host_name: 'fixture-host' }), 1);
    });

    it('prefixes every metric of the program with app_', async () => {
      const { body } = await scrape(`http://127.0.0.1:${ports.port}/metrics`);
      const unprefixed = parseSamples(body).filter(
        (sample) => !sample.name.startsWith('app_') && sample.name !== 'target_info' && !sample.name.startsWith('otel_prom_bridge_'),
      );
      assert.deepEqual(unprefixed, []);
    });

    it('serves the preventServerStart exporter through getMetricsRequestHandler on the app server', async () => {
      const { status, body } = await scrape(`http://127.0.0.1:${ports.handlerPort}/any/path`);
      assert.equal(status, 200, body);
      const samples = parseSamples(body);
      assert.equal(sampleValue(samples, /^app_requests.*_total$/, { route: '/a' }), 5);
      assert.equal(sampleValue(samples, /^app_queue_depth/), 5);
    });

    it('stopServer() closed the server startServer() opened', async () => {
      assert.equal(await isListening(ports.manualPort), false);
    });

    it('answers 404 outside the metrics endpoint', async () => {
      const { status } = await scrape(`http://127.0.0.1:${ports.port}/not-metrics`);
      assert.equal(status, 404);
    });

    if (variant.ours) {
      it('names the metrics by the mapping rules: app_ prefix, unit suffixes, _total', async () => {
        const { status, contentType, body } = await scrape(`http://127.0.0.1:${ports.port}/metrics`);
        assert.equal(status, 200);
        assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
        const samples = parseSamples(body);
        const names = new Set(samples.map((sample: Sample) => sample.name));
        for (const name of [
          'app_requests_total',
          'app_latency_seconds_bucket',
          'app_latency_seconds_sum',
          'app_latency_seconds_count',
          'app_queue_depth',
          'app_temperature_celsius',
          'target_info',
        ]) {
          assert.ok(names.has(name), `${name} missing; got ${[...names].join(', ')}`);
        }
        assert.equal(findSamples(samples, 'app_latency_seconds_bucket', { le: '5' })[0]?.value, 2);
        assert.match(body, /^# TYPE app_requests_total counter$/m);
        assert.match(body, /^# TYPE app_latency_seconds histogram$/m);
        assert.match(body, /^# TYPE app_queue_depth gauge$/m);
        assert.match(body, /^# TYPE app_temperature_celsius gauge$/m);
      });
    }

    it('shuts every exporter down on SIGTERM and exits by itself with code 0', async () => {
      program!.signal('SIGTERM');
      const { code, signal } = await program!.exit(EXIT_TIMEOUT_MS);
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, program!.stderr);
      assert.ok(program!.stdout.split('\n').includes('SHUTDOWN'));
      assert.equal(await isListening(ports.port), false);
      assert.equal(await isListening(ports.handlerPort), false);
    });
  });
}
