/**
 * The Dockerfile: what it declares (stages, base images, user, ports, health check, stop signal,
 * labels) checked against the bridge's own defaults, and its runtime stage repeated without Docker
 * (no engine runs here): the production-only install into a temporary directory, the built CLI
 * started from there the way ENTRYPOINT does, its health check command run, an OTLP push scraped
 * back, and the STOPSIGNAL stopping it with exit code 0. Needs `npm run build` first and the npm
 * registry (`npm ci --omit=dev` with a cache of its own).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DRAIN_PERIOD_MS, DEFAULT_METRICS_PATH, DEFAULT_METRICS_PORT, DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT } from '../../src/config/defaults.ts';
import { DEFAULT_OTLP_HTTP_PATH } from '../../src/config/defaults.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { isInContext, parseDockerfile, parsePairs, type Instruction, type Stage } from './dockerfile.ts';
import { run, startChild, stopChild, waitForExit, type Child } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const stages = parseDockerfile(DOCKERFILE);
const runtime = stages.at(-1)!;
const build = stages[0]!;

function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

function one(stage: Stage, keyword: string): Instruction {
  const found = all(stage, keyword);
  assert.equal(found.length, 1, `one ${keyword} in the stage FROM ${stage.from}; found ${found.length}`);
  return found[0]!;
}

describe('the Dockerfile declares', () => {
  it('a build stage with the full toolchain and a runtime stage on a small Node 24 base', () => {
    assert.equal(stages.length, 2, stages.map((stage) => stage.from).join(', '));
    assert.equal(build.name, 'build');
    assert.match(build.from, /^node:24(\.\d+)*-bookworm$/);
    assert.match(runtime.from, /^node:24(\.\d+)*-alpine$/);
    // The build stage installs everything (dev dependencies: TypeScript) and runs the package's build script.
    const buildRuns = all(build, 'RUN').map((instruction) => instruction.rest);
    assert.ok(buildRuns.some((command) => /^npm ci\b/.test(command) && !command.includes('--omit=dev')), buildRuns.join('\n'));
    assert.ok(buildRuns.includes('npm run build'), buildRuns.join('\n'));
    assert.equal(PACKAGE.scripts.build, 'tsc -p tsconfig.build.json');
  });

  it('only production dependencies and the built dist/ in the runtime stage', () => {
    const runs = all(runtime, 'RUN').map((instruction) => instruction.rest);
    assert.deepEqual(runs.filter((command) => command.includes('npm ci')).length, 1);
    assert.match(runs.join('\n'), /npm ci --omit=dev --ignore-scripts\b/);
    const copies = all(runtime, 'COPY');
    const fromBuild = copies.filter((copy) => copy.flags.from !== undefined);
    assert.deepEqual(
      fromBuild.map((copy) => [copy.flags.from, copy.rest]),
      [['build', `${one(build, 'WORKDIR').rest}/dist ./dist`]],
    );
    // What the runtime stage copies from the context is in the context.
    for (const copy of [...copies.filter((c) => c.flags.from === undefined), ...all(build, 'COPY')]) {
      for (const source of copy.rest.split(/\s+/).slice(0, -1)) {
        assert.ok(isInContext(DOCKERIGNORE, source.replace(/^\.\//, '').replace(/\/$/, '')), `${source} (line ${copy.line}) is left out by .dockerignore`);
      }
    }
    assert.ok(!isInContext(DOCKERIGNORE, 'node_modules/typescript/package.json'), '.dockerignore keeps node_modules out');
    assert.ok(!isInContext(DOCKERIGNORE, 'dist/cli.js'), '.dockerignore keeps a local dist/ out: the image builds its own');
  });

  it('a non-root user, by number', () => {
    const user = one(runtime, 'USER').rest;
    const [uid] = user.split(':');
    assert.match(uid ?? '', /^\d+$/, `USER ${user}: numeric, so that Kubernetes' runAsNonRoot can check it`);
    assert.notEqual(Number(uid), 0);
  });

  it('a VOLUME for the state directory, the variable pointing at it, made and owned by the user before USER', () => {
    const stateDir = Object.assign({}, ...all(runtime, 'ENV').map((instruction) => parsePairs(instruction.rest))).OTEL_PROM_BRIDGE_STATE_DIR as string | undefined;
    assert.ok(stateDir?.startsWith('/'), 'ENV OTEL_PROM_BRIDGE_STATE_DIR, an absolute path');
    assert.deepEqual(one(runtime, 'VOLUME').exec, [stateDir]);
    const user = one(runtime, 'USER');
    const made = all(runtime, 'RUN').find((instruction) => instruction.rest.includes('OTEL_PROM_BRIDGE_STATE_DIR'));
    assert.ok(made && made.line < user.line, 'the directory is made before USER');
    assert.match(made.rest, new RegExp(`chown ${user.rest} "\\$OTEL_PROM_BRIDGE_STATE_DIR"`), 'owned by the user the bridge runs as');
  });

  it('EXPOSE for the three default ports', () => {
    const ports = all(runtime, 'EXPOSE').flatMap((instruction) => instruction.rest.split(/\s+/)).map(Number).sort();
    assert.deepEqual(ports, [DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT, DEFAULT_METRICS_PORT].sort());
  });

  it('a HEALTHCHECK against /-/healthy on the default metrics port', () => {
    const healthcheck = one(runtime, 'HEALTHCHECK');
    assert.ok(healthcheck.rest.startsWith('CMD '), healthcheck.rest);
    assert.ok(healthcheck.rest.includes(`http://127.0.0.1:${DEFAULT_METRICS_PORT}/-/healthy`), healthcheck.rest);
    for (const flag of ['interval', 'timeout', 'start-period', 'retries']) assert.ok(healthcheck.flags[flag] !== undefined, `HEALTHCHECK --${flag}`);
  });

  it('STOPSIGNAL SIGTERM, and an ENTRYPOINT that runs node itself (so that the signal reaches the CLI)', () => {
    assert.equal(one(runtime, 'STOPSIGNAL').rest, 'SIGTERM');
    assert.deepEqual(one(runtime, 'ENTRYPOINT').exec, ['node', PACKAGE.bin['otel-prom-bridge']]);
  });

  it('OCI labels, the version and licence those of package.json', () => {
    const labels = Object.assign({}, ...all(runtime, 'LABEL').map((label) => parsePairs(label.rest))) as Record<string, string>;
    const version = parsePairs(one(runtime, 'ARG').rest).VERSION;
    assert.equal(version, PACKAGE.version, 'ARG VERSION defaults to package.json version');
    assert.equal(labels['org.opencontainers.image.version'], '${VERSION}');
    assert.equal(labels['org.opencontainers.image.title'], 'otel-prom-bridge');
    assert.equal(labels['org.opencontainers.image.licenses'], PACKAGE.license);
    assert.notEqual(labels['org.opencontainers.image.description'] ?? '', '');
  });
});

/** The runtime stage's steps, repeated in a temporary directory standing for the image's root. */
describe('the runtime stage, repeated without Docker', { timeout: 240_000 }, () => {
  let root = '';
  let workdir = '';
  let env: Record<string, string> = {};
  let entrypoint: readonly string[] = [];
  let bridge: Child | undefined;
  let bridgeMetricsPort = 0;

  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    root = await mkdtemp(join(tmpdir(), 'otel-prom-bridge-image-'));
  });

  after(async () => {
    if (bridge !== undefined) await stopChild(bridge);
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  /** An image path (absolute, or relative to the current WORKDIR) inside the temporary root. */
  function inImage(path: string): string {
    return isAbsolute(path) ? join(root, path) : join(workdir, path);
  }

  it('installs the production dependencies and copies dist/ as the Dockerfile does', async () => {
    const buildWorkdir = one(build, 'WORKDIR').rest;
    for (const instruction of runtime.instructions) {
      switch (instruction.keyword) {
        case 'WORKDIR':
          workdir = inImage(instruction.rest);
          mkdirSync(workdir, { recursive: true });
          break;
        case 'ENV': {
          const pairs = parsePairs(instruction.rest);
          // The state directory, an absolute path in the image: inside the temporary root here.
          if (pairs.OTEL_PROM_BRIDGE_STATE_DIR !== undefined) pairs.OTEL_PROM_BRIDGE_STATE_DIR = inImage(pairs.OTEL_PROM_BRIDGE_STATE_DIR);
          env = { ...env, ...pairs };
          break;
        }
        case 'COPY': {
          const parts = instruction.rest.split(/\s+/);
          const destination = inImage(parts.at(-1)!);
          for (const source of parts.slice(0, -1)) {
            // From the build stage: what `npm run build` made there is this checkout's dist/.
            const from = instruction.flags.from === undefined ? join(ROOT, source) : join(ROOT, relative(buildWorkdir, source));
            const target = parts.at(-1)!.endsWith('/') ? join(destination, source.split('/').at(-1)!) : destination;
            mkdirSync(dirname(target), { recursive: true });
            cpSync(from, target, { recursive: true });
          }
          break;
        }
        case 'RUN': {
          // A cache of its own: the Dockerfile cleans npm's cache after installing.
          // Not root here: the directory is given to this test's own user instead of the image's.
          const command = process.getuid?.() === 0 ? instruction.rest : instruction.rest.replaceAll(/chown \d+:\d+/g, `chown ${process.getuid?.()}:${process.getgid?.()}`);
          const result = await run('sh', ['-c', command], {
            cwd: workdir,
            env: { ...process.env, ...env, npm_config_cache: join(root, '.npm-cache'), npm_config_update_notifier: 'false' },
            timeoutMs: 180_000,
          });
          assert.equal(result.code, 0, `RUN ${instruction.rest} (line ${instruction.line}) failed:\n${result.output}`);
          break;
        }
        case 'ENTRYPOINT':
          entrypoint = instruction.exec ?? [];
          break;
        default:
          break; // ARG, LABEL, USER, EXPOSE, HEALTHCHECK, STOPSIGNAL: checked above
      }
    }
    assert.ok(existsSync(join(workdir, 'dist/cli.js')));
    for (const name of Object.keys(PACKAGE.dependencies)) assert.ok(existsSync(join(workdir, 'node_modules', name, 'package.json')), `dependency ${name} installed`);
    // What the lock file marks dev-only (TypeScript, ESLint, the 120 MB `node` package, ...) is left out.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => entry.dev === true && path.startsWith('node_modules/'));
    assert.ok(devOnly.length > 0);
    for (const [path] of devOnly) assert.ok(!existsSync(join(workdir, path)), `dev-only ${path} left out`);
    for (const name of Object.keys(PACKAGE.devDependencies)) {
      if (lock.packages[`node_modules/${name}`]?.dev === true) assert.ok(!existsSync(join(workdir, 'node_modules', name)), `devDependency ${name} left out`);
    }
  });

  it('starts as ENTRYPOINT does, passes its HEALTHCHECK, takes a push and is scraped', async () => {
    assert.deepEqual(entrypoint.slice(0, 1), ['node'], 'the previous step read the ENTRYPOINT');
    const [metricsPort, httpPort, grpcPort] = (await freePorts(3)) as [number, number, number];
    bridgeMetricsPort = metricsPort;
    bridge = startChild(process.execPath, entrypoint.slice(1), {
      cwd: workdir,
      env: {
        ...process.env,
        ...env,
        OTEL_PROM_BRIDGE_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
        OTEL_PROM_BRIDGE_OTLP_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
        OTEL_PROM_BRIDGE_OTLP_GRPC_LISTEN: `127.0.0.1:${grpcPort}`,
        OTEL_PROM_BRIDGE_DRAIN_PERIOD: '1s',
      },
    });
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    await pollUntil(
      'the bridge to answer /-/healthy',
      async () => {
        if (bridge?.process.exitCode !== null) assert.fail(`the bridge exited: ${bridge?.output()}`);
        const response = await fetch(`${metricsUrl}/-/healthy`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      30_000,
      100,
    );

    assert.equal(await healthcheck(metricsPort), 0, 'HEALTHCHECK passes while the bridge runs');

    const pushed = await fetch(`http://127.0.0.1:${httpPort}${DEFAULT_OTLP_HTTP_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'image-test' } }] },
            scopeMetrics: [{ scope: { name: 'image-test' }, metrics: [{ name: 'image.pushes', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asInt: '7' }] } }] }],
          },
        ],
      }),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(pushed.status, 200, await pushed.text());
    const scraped = await fetch(`${metricsUrl}${DEFAULT_METRICS_PATH}`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /^image_pushes_total\{.*job="image-test".*\} 7$/m);
  });

  it('stops on its STOPSIGNAL with exit code 0, after which the HEALTHCHECK fails', async () => {
    assert.ok(bridge, 'the previous step started the bridge');
    const signal = one(runtime, 'STOPSIGNAL').rest as NodeJS.Signals;
    bridge.process.kill(signal);
    // The drain period (1s here; 5s by default) and closing.
    const code = await waitForExit(bridge, DEFAULT_DRAIN_PERIOD_MS + 10_000);
    assert.equal(code, 0, bridge.output());
    assert.equal(await healthcheck(bridgeMetricsPort), 1);
    // It kept its state in the VOLUME's directory on the way out, and released it.
    assert.ok(existsSync(join(env.OTEL_PROM_BRIDGE_STATE_DIR!, 'store.snapshot')), `a snapshot in ${env.OTEL_PROM_BRIDGE_STATE_DIR}`);
    assert.equal(existsSync(join(env.OTEL_PROM_BRIDGE_STATE_DIR!, 'sidecar.lock')), false);
  });
});

/** Runs the HEALTHCHECK's exec form, the default metrics port replaced by `port`. */
async function healthcheck(port: number): Promise<number | string> {
  const command = one(runtime, 'HEALTHCHECK').rest.replace(/^CMD\s+/, '');
  const exec = JSON.parse(command) as string[];
  assert.equal(exec[0], 'node');
  const args = exec.slice(1).map((arg) => arg.replaceAll(`:${DEFAULT_METRICS_PORT}/`, `:${port}/`));
  return (await run(process.execPath, args, { timeoutMs: 10_000 })).code;
}
