/**
 * A real Prometheus for end-to-end tests: writes a scrape config into a fresh temp dir, runs the
 * `prometheus` binary on a free loopback port, waits until it is ready, and answers PromQL through
 * its HTTP API. Every wait is bounded in both iterations and time; every address is loopback.
 *
 * When `prometheus` (or `promtool`) is not on PATH the tests are skipped with a message, except
 * under CI (`CI` set), where they run and fail with a message saying what is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One scrape job with one target. */
export interface ScrapeTarget {
  /** `job_name`; unique among the targets. */
  readonly job: string;
  /** Either a URL (`http://127.0.0.1:9464/metrics`) or `host:port`; the host must be loopback. */
  readonly target: string;
  /** The metrics path; default: the URL's path, else `/metrics`. */
  readonly metricsPath?: string;
  /** Scrape over https, trusting this CA file (`tls_config.ca_file`); the URL may then be https:. */
  readonly caFile?: string;
  /** Send `Authorization: Bearer` with the token in this file (`authorization.credentials_file`). */
  readonly bearerTokenFile?: string;
}

export interface PrometheusOptions {
  readonly targets: readonly ScrapeTarget[];
  /** `scrape_interval` (and `scrape_timeout`) in seconds. Default 1. */
  readonly scrapeIntervalSeconds?: number;
  /** How long to wait for `/-/ready`. Default 30 000 ms. */
  readonly readyTimeoutMs?: number;
  /** `--enable-feature=` values (`native-histograms`: Prometheus then asks for protobuf first). Default none. */
  readonly features?: readonly string[];
  /** `--web.enable-remote-write-receiver`: it takes remote write at `/api/v1/write` (then it may have no targets). */
  readonly remoteWriteReceiver?: boolean;
}

export type Labels = Readonly<Record<string, string>>;
export interface VectorSample {
  readonly metric: Labels;
  readonly value: readonly [timestamp: number, value: string];
}
export interface MatrixSeries {
  readonly metric: Labels;
  readonly values: readonly (readonly [timestamp: number, value: string])[];
}
/** The `data` of a successful `/api/v1/query` answer. */
export type QueryData =
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'scalar' | 'string'; readonly result: readonly [timestamp: number, value: string] };

export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The directory holding `prometheus.yml` and the TSDB (removed by `stop()`). */
  readonly dir: string;
  /** Runs an instant query (`GET /api/v1/query`) and returns its `data`; rejects on an API error. */
  query(promql: string): Promise<QueryData>;
  /** `query()` for an expression whose result must be an instant vector. */
  queryVector(promql: string): Promise<readonly VectorSample[]>;
  /** `GET /api/v1/<path>` with query parameters; returns `data`; rejects on an API error. */
  api<T>(path: string, params?: Readonly<Record<string, string>>): Promise<T>;
  /**
   * Waits until every configured target has been seen scraped successfully (`health: "up"`) at `n`
   * distinct `lastScrape` times. With `n >= 2` the first of those scrapes is committed and
   * queryable. Rejects with the targets' last errors on timeout or after repeated failed scrapes.
   */
  waitForScrapes(n: number, timeoutMs?: number): Promise<void>;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the process (SIGTERM) but keeps its storage and port for `resume()`: a receiver that is down. */
  pause(): Promise<void>;
  /** Starts it again on the same storage, port and flags; resolves once it is ready. */
  resume(): Promise<void>;
}

const POLL_INTERVAL_MS = 100;
const REQUEST_TIMEOUT_MS = 2_000;
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const DEFAULT_SCRAPES_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3;
const STDERR_TAIL_CHARS = 8_000;
const LOOPBACK_HOSTS = new Map([
  ['127.0.0.1', '127.0.0.1'],
  ['localhost', '127.0.0.1'],
  ['[::1]', '[::1]'],
  ['::1', '[::1]'],
]);

/** Whether `CI` is set (to anything but '', '0' or 'false'). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** The absolute path of an executable found on PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs.slice(0, 200)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * For node:test's `skip` option: a message when one of `executables` is missing and CI is not set;
 * `false` otherwise (under CI the tests run, and `requireExecutable` fails them with a message).
 */
export function skipUnlessInstalled(executables: readonly string[] = ['prometheus']): string | false {
  const missing = executables.filter((name) => findExecutable(name) === undefined);
  if (missing.length === 0 || isCi()) return false;
  return `${missing.join(' and ')} not found on PATH: install the Debian package "prometheus" to run the end-to-end tests (with CI set they fail instead of being skipped)`;
}

/** The executable's path; throws a message naming what is missing (the CI case). */
export function requireExecutable(name: string): string {
  const found = findExecutable(name);
  if (found !== undefined) return found;
  throw new Error(
    `${name} not found on PATH (${process.env.PATH ?? ''}). The end-to-end tests need a real Prometheus: install the Debian package "prometheus" (it provides prometheus and promtool)${isCi() ? '; CI is set, so this fails instead of skipping' : ''}.`,
  );
}

/** A port free on 127.0.0.1 at the time of the call (listen on port 0, read it, close). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ResolvedTarget {
  readonly job: string;
  readonly address: string;
  readonly metricsPath: string;
  readonly caFile?: string | undefined;
  readonly bearerTokenFile?: string | undefined;
}

/** Validates a target and splits it into `host:port` (loopback) and path. */
export function resolveTarget(target: ScrapeTarget): ResolvedTarget {
  let host: string;
  let port: string;
  let path: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target.target)) {
    const url = new URL(target.target);
    const expected = target.caFile === undefined ? 'http:' : 'https:';
    if (url.protocol !== expected) throw new Error(`scrape target ${target.target} must use ${expected}${target.caFile === undefined ? ' (https: with caFile)' : ' (it has a caFile)'}, not ${url.protocol}`);
    if (url.search !== '' || url.hash !== '') throw new Error(`scrape target ${target.target} must not have a query string or fragment`);
    host = url.hostname;
    port = url.port;
    path = url.pathname;
  } else {
    const match = /^(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(target.target);
    if (match === null) throw new Error(`scrape target ${JSON.stringify(target.target)} must be a URL or host:port`);
    host = match[1] ?? '';
    port = match[2] ?? '';
  }
  const loopback = LOOPBACK_HOSTS.get(host);
  if (loopback === undefined) throw new Error(`scrape target ${target.target} must be on a loopback address (127.0.0.1, localhost, [::1]), not ${host}`);
  const portNumber = Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw new Error(`scrape target ${target.target} needs a port from 1 to 65535`);
  }
  const metricsPath = target.metricsPath ?? path ?? '/metrics';
  if (!metricsPath.startsWith('/')) throw new Error(`metricsPath ${JSON.stringify(metricsPath)} must start with /`);
  return { job: target.job, address: `${loopback}:${portNumber}`, metricsPath, caFile: target.caFile, bearerTokenFile: target.bearerTokenFile };
}

/** The prometheus.yml for the targets (YAML whose strings are JSON-quoted). */
export function renderPrometheusConfig(targets: readonly ResolvedTarget[], scrapeIntervalSeconds: number): string {
  const interval = `${Math.round(scrapeIntervalSeconds * 1000)}ms`;
  const lines = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
    targets.length === 0 ? 'scrape_configs: []' : 'scrape_configs:',
  ];
  for (const target of targets) {
    lines.push(
      `  - job_name: ${JSON.stringify(target.job)}`,
      '    honor_labels: true',
      `    scheme: ${target.caFile === undefined ? 'http' : 'https'}`,
      `    metrics_path: ${JSON.stringify(target.metricsPath)}`,
      ...(target.caFile === undefined ? [] : ['    tls_config:', `      ca_file: ${JSON.stringify(target.caFile)}`]),
      ...(target.bearerTokenFile === undefined ? [] : ['    authorization:', `      credentials_file: ${JSON.stringify(target.bearerTokenFile)}`]),
      '    static_configs:',
      `      - targets: [${JSON.stringify(target.address)}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Starts Prometheus scraping the targets; stop it with `stop()` in an `after` hook. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = requireExecutable('prometheus');
  const scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 1;
  if (!(scrapeIntervalSeconds > 0 && scrapeIntervalSeconds <= 60)) {
    throw new RangeError(`scrapeIntervalSeconds must be above 0 and at most 60; got ${scrapeIntervalSeconds}`);
  }
  if (options.targets.length === 0 && options.remoteWriteReceiver !== true) throw new Error('startPrometheus needs at least one target (or remoteWriteReceiver)');
  const targets = options.targets.map(resolveTarget);
  const jobs = new Set(targets.map((target) => target.job));
  if (jobs.size !== targets.length) throw new Error('startPrometheus: job names must be unique');

  const dir = await mkdtemp(join(tmpdir(), 'otel-prom-bridge-e2e-'));
  try {
    const configFile = join(dir, 'prometheus.yml');
    await writeFile(configFile, renderPrometheusConfig(targets, scrapeIntervalSeconds));
    const failures: string[] = [];
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await findFreePort();
      const args = [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
        ...(options.features ?? []).map((feature) => `--enable-feature=${feature}`),
        ...(options.remoteWriteReceiver === true ? ['--web.enable-remote-write-receiver'] : []),
      ];
      const child = new PrometheusProcess(binary, args);
      const url = `http://127.0.0.1:${port}`;
      const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
      const outcome = await child.waitUntilReady(url, readyTimeoutMs);
      if (outcome === 'ready') return new PrometheusHandle(url, dir, child, targets, () => new PrometheusProcess(binary, args), readyTimeoutMs);
      await child.stop();
      failures.push(`attempt ${attempt} on port ${port}: ${outcome}`);
      // Only a port taken between findFreePort() and prometheus' bind is worth another try.
      if (!/address already in use/i.test(outcome)) break;
    }
    throw new Error(`prometheus did not become ready:\n${failures.join('\n')}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The child process, its exit, and the tail of its stderr. */
class PrometheusProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #exitStatus: string | undefined;
  #stderr = '';
  readonly #killOnExit = (): void => {
    this.#child.kill('SIGKILL');
  };

  constructor(binary: string, args: readonly string[]) {
    this.#child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.#exited = new Promise<void>((resolve) => {
      this.#child.once('error', (error) => {
        this.#exitStatus ??= `could not run: ${error.message}`;
        resolve();
      });
      this.#child.once('exit', (code, signal) => {
        this.#exitStatus ??= signal === null ? `exited with code ${code}` : `killed by ${signal}`;
        resolve();
      });
    });
    // If the test process exits without stop(), do not leave prometheus behind.
    process.once('exit', this.#killOnExit);
  }

  get stderr(): string {
    return this.#stderr;
  }

  get exitStatus(): string | undefined {
    return this.#exitStatus;
  }

  /** 'ready', or why not (exited, or timed out), with prometheus' stderr. */
  async waitUntilReady(url: string, timeoutMs: number): Promise<'ready' | string> {
    const deadline = Date.now() + timeoutMs;
    const maxPolls = Math.ceil(timeoutMs / POLL_INTERVAL_MS) + 1;
    let lastProblem = 'no answer yet';
    for (let poll = 0; poll < maxPolls && Date.now() < deadline; poll++) {
      if (this.#exitStatus !== undefined) return `prometheus ${this.#exitStatus}; stderr:\n${this.#stderr}`;
      try {
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await response.arrayBuffer();
        if (response.status === 200) return 'ready';
        lastProblem = `/-/ready answered ${response.status}`;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      await sleep(POLL_INTERVAL_MS);
    }
    return `not ready after ${timeoutMs} ms (${lastProblem}); stderr:\n${this.#stderr}`;
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    if (this.#exitStatus !== undefined) return;
    this.#child.kill('SIGTERM');
    if (await settlesWithin(this.#exited, STOP_TIMEOUT_MS)) return;
    this.#child.kill('SIGKILL');
    if (!(await settlesWithin(this.#exited, STOP_TIMEOUT_MS))) {
      throw new Error(`prometheus (pid ${this.#child.pid}) did not exit after SIGTERM and SIGKILL`);
    }
  }
}

async function settlesWithin(promise: Promise<void>, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  try {
    return await Promise.race([
      promise.then(() => true),
      sleep(timeoutMs, false, { signal: controller.signal }),
    ]);
  } finally {
    controller.abort();
  }
}

interface ApiResponse<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly errorType?: string;
  readonly error?: string;
}

interface ActiveTarget {
  readonly labels: Labels;
  readonly scrapeUrl: string;
  readonly lastScrape: string;
  readonly lastError: string;
  readonly health: 'up' | 'down' | 'unknown';
}

const NEVER_SCRAPED = '0001-01-01T00:00:00Z';
const FAILED_SCRAPES_BEFORE_GIVING_UP = 3;

class PrometheusHandle implements RunningPrometheus {
  readonly url: string;
  readonly dir: string;
  #process: PrometheusProcess;
  readonly #targets: readonly ResolvedTarget[];
  readonly #spawnAgain: () => PrometheusProcess;
  readonly #readyTimeoutMs: number;
  #stopping: Promise<void> | undefined;

  constructor(url: string, dir: string, child: PrometheusProcess, targets: readonly ResolvedTarget[], spawnAgain: () => PrometheusProcess, readyTimeoutMs: number) {
    this.url = url;
    this.dir = dir;
    this.#process = child;
    this.#targets = targets;
    this.#spawnAgain = spawnAgain;
    this.#readyTimeoutMs = readyTimeoutMs;
  }

  pause(): Promise<void> {
    return this.#process.stop();
  }

  async resume(): Promise<void> {
    if (this.#process.exitStatus === undefined) throw new Error('resume() is for a paused prometheus; this one is running');
    this.#process = this.#spawnAgain();
    const outcome = await this.#process.waitUntilReady(this.url, this.#readyTimeoutMs);
    if (outcome !== 'ready') throw new Error(`prometheus did not come back: ${outcome}`);
  }

  async api<T>(path: string, params: Readonly<Record<string, string>> = {}): Promise<T> {
    const query = new URLSearchParams(params).toString();
    const url = `${this.url}/api/v1/${path}${query === '' ? '' : `?${query}`}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 2) });
    const text = await response.text();
    let parsed: ApiResponse<T>;
    try {
      parsed = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new Error(`GET ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 500)}`);
    }
    if (parsed.status !== 'success' || parsed.data === undefined) {
      throw new Error(`GET ${url} failed (${response.status}): ${parsed.errorType ?? ''} ${parsed.error ?? text.slice(0, 500)}`);
    }
    return parsed.data;
  }

  query(promql: string): Promise<QueryData> {
    return this.api<QueryData>('query', { query: promql });
  }

  async queryVector(promql: string): Promise<readonly VectorSample[]> {
    const data = await this.query(promql);
    if (data.resultType !== 'vector') throw new Error(`${promql} gave a ${data.resultType}, not an instant vector`);
    return data.result;
  }

  async waitForScrapes(n: number, timeoutMs: number = DEFAULT_SCRAPES_TIMEOUT_MS): Promise<void> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`waitForScrapes needs a whole number of scrapes of at least 1; got ${n}`);
    const ok = new Map(this.#targets.map((target) => [target.job, new Set<string>()]));
    const failed = new Map(this.#targets.map((target) => [target.job, new Set<string>()]));
    const lastSeen = new Map<string, string>();
    const deadline = Date.now() + timeoutMs;
    const maxPolls = Math.ceil(timeoutMs / POLL_INTERVAL_MS) + 1;
    for (let poll = 0; poll < maxPolls && Date.now() < deadline; poll++) {
      if (this.#process.exitStatus !== undefined) {
        throw new Error(`prometheus ${this.#process.exitStatus} while waiting for scrapes; stderr:\n${this.#process.stderr}`);
      }
      const { activeTargets } = await this.api<{ activeTargets: readonly ActiveTarget[] }>('targets', { state: 'active' });
      for (const target of activeTargets) {
        const job = target.labels.job ?? '';
        lastSeen.set(job, `${target.scrapeUrl}: health ${target.health}${target.lastError === '' ? '' : `, last error: ${target.lastError}`}`);
        if (target.lastScrape === NEVER_SCRAPED || target.lastScrape === '') continue;
        if (target.health === 'up') ok.get(job)?.add(target.lastScrape);
        else if (target.health === 'down') failed.get(job)?.add(target.lastScrape);
      }
      const summary = (): string =>
        this.#targets.map(({ job }) => `  ${job}: ${ok.get(job)?.size ?? 0} good scrapes seen; ${lastSeen.get(job) ?? 'not among the active targets'}`).join('\n');
      if ([...ok.values()].every((scrapes) => scrapes.size >= n)) return;
      if ([...failed.values()].some((scrapes) => scrapes.size >= FAILED_SCRAPES_BEFORE_GIVING_UP)) {
        throw new Error(`scrapes keep failing:\n${summary()}`);
      }
      if (poll + 1 >= maxPolls || Date.now() + POLL_INTERVAL_MS >= deadline) {
        throw new Error(`fewer than ${n} good scrapes of every target within ${timeoutMs} ms:\n${summary()}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
    throw new Error(`fewer than ${n} good scrapes of every target within ${timeoutMs} ms`);
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      try {
        await this.#process.stop();
      } finally {
        await rm(this.dir, { recursive: true, force: true });
      }
    })();
    return this.#stopping;
  }
}

export interface PromtoolResult {
  /** Exit code (0: no problems; promtool exits 3 when it finds some). */
  readonly exitCode: number | null;
  /** What promtool printed (stdout and stderr), one problem a line. */
  readonly output: string;
}

/** Runs `promtool check metrics` on an exposition in text format, given on stdin (bounded to 20 s). */
export async function checkMetricsWithPromtool(body: string, timeoutMs = 20_000): Promise<PromtoolResult> {
  const binary = requireExecutable('promtool');
  const child = spawn(binary, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  child.stdin.on('error', () => undefined); // an early exit closes stdin; the exit code tells
  child.stdin.end(body);
  const controller = new AbortController();
  try {
    const exitCode = await Promise.race([
      exited,
      sleep(timeoutMs, 'timeout' as const, { signal: controller.signal }),
    ]);
    if (exitCode === 'timeout') {
      child.kill('SIGKILL');
      throw new Error(`promtool check metrics did not finish within ${timeoutMs} ms; output so far:\n${output}`);
    }
    return { exitCode, output };
  } finally {
    controller.abort();
  }
}
