/**
 * The compose stack: `docker-compose config` validates docker-compose.yml (Debian's docker-compose
 * 1.29; no Docker engine is needed), `promtool check config` the Prometheus configuration, and the
 * pieces are checked against each other and the bridge's defaults: the ports the bridge publishes,
 * where the demo services push, what Prometheus scrapes (with honor_labels), and what Grafana
 * provisions. The profile `remote-write` (a second sidecar remote-writing to a second Prometheus)
 * is validated too, and its sidecar's configuration file run through `--check-config`. Without
 * docker-compose or promtool those checks are skipped, except under CI.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEFAULT_DRAIN_PERIOD_MS, DEFAULT_METRICS_PATH, DEFAULT_METRICS_PORT, DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT } from '../../src/config/defaults.ts';
import { exitOf, runCli } from '../helpers/cliChild.ts';
import { findExecutable, isCi } from '../helpers/prometheus.ts';
import { run } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const PACKAGE = JSON.parse(read('package.json')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

interface ComposeService {
  build?: string | { context: string };
  image?: string;
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
  command?: string[];
  profiles?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

interface PrometheusConfig {
  rule_files?: string[];
  scrape_configs: { job_name: string; honor_labels?: boolean; metrics_path?: string; static_configs: { targets: string[] }[] }[];
}

function skipUnless(executable: string, packageName: string): string | false {
  if (findExecutable(executable) !== undefined || isCi()) return false;
  return `${executable} not found on PATH: install the Debian package "${packageName}" (with CI set this fails instead of being skipped)`;
}

function requireOnPath(executable: string): string {
  const path = findExecutable(executable);
  assert.ok(path, `${executable} not found on PATH; CI needs it`);
  return path;
}

/** `./dir:/in/container[:ro]` → [host, container]. */
function mount(volume: string): [string, string] {
  const [host = '', container = ''] = volume.split(':');
  return [host, container];
}

function volumeTarget(service: ComposeService, hostPath: string): string | undefined {
  return (service.volumes ?? []).map(mount).find(([host]) => host === hostPath)?.[1];
}

describe('docker-compose.yml', () => {
  it('is valid for docker-compose (`docker-compose config -q`)', { skip: skipUnless('docker-compose', 'docker-compose') }, async () => {
    const result = await run(requireOnPath('docker-compose'), ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.output);
  });

  it('builds the bridge from the Dockerfile, publishes its three default ports and gives it time to drain', () => {
    const bridge = services.bridge;
    assert.ok(bridge);
    assert.equal(bridge.build, '.');
    assert.ok(existsSync(join(ROOT, 'Dockerfile')));
    assert.equal(bridge.image, `otel-prom-bridge:${PACKAGE.version}`);
    const published = (bridge.ports ?? []).map((port) => port.split(':').map(Number));
    assert.deepEqual(published.sort(), [DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT, DEFAULT_METRICS_PORT].sort().map((port) => [port, port]));
    assert.ok(Number.parseInt(bridge.stop_grace_period ?? '0', 10) * 1000 > DEFAULT_DRAIN_PERIOD_MS, 'stop_grace_period is longer than the drain period');
  });

  it('has demo services that push to the bridge over OTLP/HTTP and OTLP/gRPC with the standard variables', () => {
    const demos = Object.entries(services).filter(([name]) => name.startsWith('demo-'));
    assert.ok(demos.length >= 2);
    const protocols = new Set<string>();
    for (const [name, demo] of demos) {
      assert.equal(typeof demo.build === 'string' ? demo.build : demo.build?.context, './examples/demo-service', name);
      const env = demo.environment ?? {};
      const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
      protocols.add(protocol);
      const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      assert.equal(endpoint.hostname, 'bridge', name);
      assert.equal(Number(endpoint.port), protocol === 'grpc' ? DEFAULT_OTLP_GRPC_PORT : DEFAULT_OTLP_HTTP_PORT, `${name} pushes to the bridge's ${protocol} port`);
      assert.ok((env.OTEL_SERVICE_NAME ?? '') !== '', name);
      assert.match(env.OTEL_RESOURCE_ATTRIBUTES ?? '', /service\.namespace=[^,]+/);
      assert.match(env.OTEL_RESOURCE_ATTRIBUTES ?? '', /service\.instance\.id=[^,]+/);
      assert.match(env.OTEL_METRIC_EXPORT_INTERVAL ?? '', /^\d+$/);
      assert.deepEqual(demo.depends_on, { bridge: { condition: 'service_healthy' } }, `${name} waits for the bridge's HEALTHCHECK`);
    }
    assert.deepEqual([...protocols].sort(), ['grpc', 'http/protobuf']);
  });

  it('builds the demo image from its own package.json, whose dependencies are the ones this repository tests with', () => {
    const dir = 'examples/demo-service';
    for (const file of ['Dockerfile', 'package.json', 'src/main.ts']) assert.ok(existsSync(join(ROOT, dir, file)), `${dir}/${file}`);
    const demo = JSON.parse(read(`${dir}/package.json`)) as { dependencies: Record<string, string>; type: string };
    assert.equal(demo.type, 'module');
    const root = { ...PACKAGE.devDependencies, ...PACKAGE.dependencies };
    for (const [name, range] of Object.entries(demo.dependencies)) assert.equal(range, root[name], `${name}: the demo asks for ${range}, the repository has ${root[name]}`);
  });

  it('mounts the Prometheus configuration and Grafana\'s provisioning and dashboards', () => {
    const prometheus = services.prometheus;
    const grafana = services.grafana;
    assert.ok(prometheus && grafana);
    assert.equal(volumeTarget(prometheus, './deploy/prometheus/prometheus.yml'), '/etc/prometheus/prometheus.yml');
    assert.ok(((prometheus as { command?: string[] }).command ?? []).includes('--config.file=/etc/prometheus/prometheus.yml'));
    assert.equal(volumeTarget(grafana, './deploy/grafana/provisioning'), '/etc/grafana/provisioning');
    const dashboards = volumeTarget(grafana, './dashboards');
    assert.equal(dashboards, '/var/lib/grafana/dashboards');
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    assert.ok(home.startsWith(`${dashboards}/`));
    assert.ok(existsSync(join(ROOT, 'dashboards', home.slice(dashboards.length + 1))), home);
  });
});

describe('docker-compose.yml, profile remote-write', () => {
  const PROFILE = 'remote-write';
  const inProfile = Object.entries(services).filter(([, service]) => service.profiles !== undefined);
  const bridge = services['remote-write-bridge'];
  const receiver = services['remote-write-receiver'];
  const demo = services['remote-write-demo'];

  it('is valid for docker-compose (`docker-compose --profile remote-write config -q`)', { skip: skipUnless('docker-compose', 'docker-compose') }, async () => {
    const result = await run(requireOnPath('docker-compose'), ['-f', 'docker-compose.yml', '--profile', PROFILE, 'config', '-q'], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.output);
  });

  it('adds a bridge, a demo service and a receiver, only with the profile (the default stack is unchanged)', () => {
    assert.deepEqual(inProfile.map(([name]) => name).sort(), ['remote-write-bridge', 'remote-write-demo', 'remote-write-receiver']);
    for (const [name, service] of inProfile) assert.deepEqual(service.profiles, [PROFILE], name);
  });

  it('runs the bridge image with --config pointing at deploy/remote-write/bridge.yaml, mounted, and time to drain', () => {
    assert.ok(bridge);
    assert.equal(bridge.build, '.');
    assert.equal(bridge.image, `otel-prom-bridge:${PACKAGE.version}`);
    const command = bridge.command ?? [];
    const configPath = command[command.indexOf('--config') + 1];
    assert.ok(command.includes('--config') && configPath !== undefined, `command ${JSON.stringify(command)}`);
    assert.equal(volumeTarget(bridge, './deploy/remote-write/bridge.yaml'), configPath);
    assert.ok(Number.parseInt(bridge.stop_grace_period ?? '0', 10) * 1000 > DEFAULT_DRAIN_PERIOD_MS, 'stop_grace_period is longer than the drain period');
  });

  it('publishes that bridge\'s metrics port (its status page) on a host port of its own, and no OTLP port', () => {
    const published = (bridge?.ports ?? []).map((port) => port.split(':').map(Number));
    assert.deepEqual(published, [[DEFAULT_METRICS_PORT + 1, DEFAULT_METRICS_PORT]]);
    const taken = Object.entries(services).filter(([name]) => name !== 'remote-write-bridge').flatMap(([, service]) => (service.ports ?? []).map((port) => Number(port.split(':')[0])));
    assert.ok(!taken.includes(DEFAULT_METRICS_PORT + 1), `host port ${DEFAULT_METRICS_PORT + 1} is free for it`);
  });

  it('remote-writes to the receiver, a Prometheus taking remote write at /api/v1/write', () => {
    const config = parse(read('deploy/remote-write/bridge.yaml')) as { remote_write: { url: string }[] };
    assert.equal(config.remote_write.length, 1);
    const url = new URL(config.remote_write[0]!.url);
    assert.equal(url.hostname, 'remote-write-receiver');
    assert.equal(url.pathname, '/api/v1/write');
    assert.ok(receiver);
    assert.match(receiver.image ?? '', /^prom\/prometheus:/);
    assert.ok((receiver.command ?? []).includes('--web.enable-remote-write-receiver'));
    // Prometheus listens on 9090 in its container; published on another host port beside the first one.
    assert.equal(url.port, '9090');
    assert.deepEqual(receiver.ports, ['9091:9090']);
    assert.deepEqual(bridge?.depends_on, ['remote-write-receiver']);
  });

  it('has its demo service push to that bridge once it is healthy', () => {
    assert.ok(demo);
    assert.equal(new URL(demo.environment?.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').host, `remote-write-bridge:${DEFAULT_OTLP_HTTP_PORT}`);
    assert.deepEqual(demo.depends_on, { 'remote-write-bridge': { condition: 'service_healthy' } });
    assert.match(demo.environment?.OTEL_RESOURCE_ATTRIBUTES ?? '', /service\.instance\.id=[^,]+/);
  });

  it("has a configuration the sidecar accepts (`otel-prom-bridge --config deploy/remote-write/bridge.yaml --check-config`)", async () => {
    const cli = runCli(['--config', join(ROOT, 'deploy/remote-write/bridge.yaml'), '--check-config'], {}, { cli: 'source' });
    const exit = await exitOf(cli, 30_000);
    assert.equal(exit.code, 0, cli.stderr);
    assert.match(cli.stdout, /^remote_write:\n {2}- url: http:\/\/remote-write-receiver:9090\/api\/v1\/write$/m);
    assert.match(cli.stdout, /^external_labels:$/m);
  });
});

describe('deploy/prometheus/prometheus.yml', () => {
  const config = parse(read('deploy/prometheus/prometheus.yml')) as PrometheusConfig;

  it('is valid for Prometheus (`promtool check config`)', { skip: skipUnless('promtool', 'prometheus') }, async () => {
    const result = await run(requireOnPath('promtool'), ['check', 'config', 'deploy/prometheus/prometheus.yml'], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.output);
  });

  it('loads the alerting rules, which compose mounts next to it (alertRules.test.ts tests them)', () => {
    assert.deepEqual(config.rule_files, ['otel-prom-bridge.rules.yml']);
    const prometheus = services.prometheus!;
    const configDir = volumeTarget(prometheus, './deploy/prometheus/prometheus.yml')!.replace(/\/[^/]+$/, '');
    // A relative rule file is read from the configuration file's directory, in the container as on the host.
    assert.equal(volumeTarget(prometheus, './deploy/prometheus/otel-prom-bridge.rules.yml'), `${configDir}/otel-prom-bridge.rules.yml`);
    assert.ok(existsSync(join(ROOT, 'deploy/prometheus/otel-prom-bridge.rules.yml')));
  });

  it('scrapes the bridge\'s metrics path and port with honor_labels', () => {
    assert.equal(config.scrape_configs.length, 1);
    const [job] = config.scrape_configs;
    assert.equal(job?.honor_labels, true, 'honor_labels keeps each pushing service\'s job and instance');
    assert.equal(job?.metrics_path ?? '/metrics', DEFAULT_METRICS_PATH);
    assert.deepEqual(job?.static_configs.flatMap((c) => c.targets), [`bridge:${DEFAULT_METRICS_PORT}`]);
    assert.ok(services.bridge, 'the target is the compose service "bridge"');
  });
});

describe('Grafana provisioning (deploy/grafana/provisioning)', () => {
  it('has Prometheus as the default datasource at the compose service\'s address', () => {
    const { datasources } = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { type: string; url: string; isDefault: boolean; uid: string }[] };
    assert.equal(datasources.length, 1);
    assert.equal(datasources[0]?.type, 'prometheus');
    assert.equal(datasources[0]?.isDefault, true);
    const url = new URL(datasources[0]?.url ?? '');
    assert.ok(services[url.hostname], `${url.hostname} is a compose service`);
    assert.deepEqual(services[url.hostname]?.ports, [`${url.port}:${url.port}`]);
  });

  it('loads the dashboards from where compose mounts dashboards/', () => {
    const { providers } = parse(read('deploy/grafana/provisioning/dashboards/otel-prom-bridge.yml')) as { providers: { type: string; options: { path: string } }[] };
    assert.equal(providers.length, 1);
    assert.equal(providers[0]?.type, 'file');
    assert.equal(providers[0]?.options.path, volumeTarget(services.grafana!, './dashboards'));
  });
});
