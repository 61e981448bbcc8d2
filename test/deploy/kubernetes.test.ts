/**
 * deploy/kubernetes: every manifest parsed, and the bridge's sidecar container checked against its
 * own defaults (ports, the health and readiness paths, the metrics path, the image), the app
 * pointed at it, the Service and the PodMonitor selecting the pod and scraping the right port.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { exitOf, runCli } from '../helpers/cliChild.ts';
import { findExecutable } from '../helpers/prometheus.ts';
import { run } from './processes.ts';
import { DEFAULT_DRAIN_PERIOD_MS, DEFAULT_METRICS_PATH, DEFAULT_METRICS_PORT, DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT } from '../../src/config/defaults.ts';
import { DEFAULT_OTLP_HTTP_PATH } from '../../src/config/defaults.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'deploy/kubernetes');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] }; runAsNonRoot?: boolean };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; emptyDir?: { sizeLimit?: string } }[];
}

const files = readdirSync(DIR).filter((name) => /\.ya?ml$/.test(name)).sort();
const manifests: Manifest[] = files.flatMap((file) => {
  const documents = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
  return documents.map((document) => {
    assert.deepEqual(document.errors, [], `${file}: ${document.errors.join('; ')}`);
    return document.toJS() as Manifest;
  });
});

function byKind(kind: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
}

const deployment = byKind('Deployment');
const template = deployment.spec.template as { metadata: { labels: Record<string, string> }; spec: PodSpec };
const pod = template.spec;
const bridge = pod.containers.find((container) => container.image.startsWith('otel-prom-bridge:'));
const app = pod.containers.find((container) => container !== bridge);

function env(container: Container | undefined, name: string): string | undefined {
  return container?.env?.find((variable) => variable.name === name)?.value;
}

/** A container port by name or number → number. */
function portNumber(container: Container, port: string | number): number {
  if (typeof port === 'number') return port;
  const found = container.ports?.find((p) => p.name === port);
  assert.ok(found, `${container.name} has no port named ${port}`);
  return found.containerPort;
}

/** Whether every label of `selector` is on the pod template. */
function selects(selector: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => template.metadata.labels[key] === value);
}

describe('deploy/kubernetes', () => {
  it('parses: a Deployment, a Service, a PodMonitor, a PrometheusRule (alertRules.test.ts), and a kustomization listing every manifest', () => {
    assert.deepEqual(manifests.map((m) => m.kind).sort(), ['Deployment', 'Kustomization', 'PodMonitor', 'PrometheusRule', 'Service']);
    const kustomization = byKind('Kustomization') as unknown as { resources: string[] };
    assert.deepEqual([...kustomization.resources].sort(), files.filter((file) => file !== 'kustomization.yaml'));
    for (const manifest of manifests) {
      assert.ok(manifest.apiVersion, `${manifest.kind} has an apiVersion`);
      if (manifest.kind !== 'Kustomization') assert.ok(manifest.metadata.name, `${manifest.kind} has a name`);
    }
  });

  it('runs the bridge image of this version as a second container next to the app', () => {
    assert.ok(bridge, 'a container with the otel-prom-bridge image');
    assert.equal(bridge.image, `otel-prom-bridge:${VERSION}`);
    assert.ok(app, 'the app container');
    assert.equal(pod.containers.length, 2);
  });

  it('listens on the default ports, the metrics port named and exposed', () => {
    assert.ok(bridge);
    const listen = (name: string): number => Number(/:(\d+)$/.exec(env(bridge, name) ?? '')?.[1]);
    assert.equal(listen('OTEL_PROM_BRIDGE_OTLP_HTTP_LISTEN'), DEFAULT_OTLP_HTTP_PORT);
    assert.equal(listen('OTEL_PROM_BRIDGE_OTLP_GRPC_LISTEN'), DEFAULT_OTLP_GRPC_PORT);
    assert.equal(listen('OTEL_PROM_BRIDGE_METRICS_LISTEN'), DEFAULT_METRICS_PORT);
    assert.match(env(bridge, 'OTEL_PROM_BRIDGE_METRICS_LISTEN') ?? '', /^0\.0\.0\.0:/, 'metrics reachable from Prometheus');
    assert.equal(env(bridge, 'OTEL_PROM_BRIDGE_METRICS_PATH'), DEFAULT_METRICS_PATH);
    assert.equal(portNumber(bridge, 'metrics'), DEFAULT_METRICS_PORT);
  });

  it('probes /-/healthy (liveness) and /-/ready (readiness) on the metrics port', () => {
    assert.ok(bridge);
    assert.equal(bridge.livenessProbe?.httpGet?.path, '/-/healthy');
    assert.equal(bridge.readinessProbe?.httpGet?.path, '/-/ready');
    assert.equal(portNumber(bridge, bridge.livenessProbe?.httpGet?.port ?? ''), DEFAULT_METRICS_PORT);
    assert.equal(portNumber(bridge, bridge.readinessProbe?.httpGet?.port ?? ''), DEFAULT_METRICS_PORT);
  });

  it('keeps the bridge\'s state across container restarts in an emptyDir mounted at its state_dir, writable under the read-only root', () => {
    const stateDir = env(bridge, 'OTEL_PROM_BRIDGE_STATE_DIR');
    assert.ok(stateDir?.startsWith('/'), 'OTEL_PROM_BRIDGE_STATE_DIR set to an absolute path');
    const mount = bridge?.volumeMounts?.find((m) => m.mountPath === stateDir);
    assert.ok(mount, `a volume mounted at ${stateDir}`);
    assert.notEqual(mount.readOnly, true);
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    assert.ok(volume?.emptyDir, `${mount.name} is an emptyDir (it outlives the container, not the pod)`);
    assert.equal(bridge?.securityContext?.readOnlyRootFilesystem, true);
    // The same directory the image declares as its VOLUME and sets the variable to.
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, new RegExp(`^ENV OTEL_PROM_BRIDGE_STATE_DIR=${stateDir}$`, 'm'));
    assert.match(dockerfile, new RegExp(`^VOLUME \\["${stateDir}"\\]$`, 'm'));
  });

  it('gives the pod longer to stop than the bridge drains', () => {
    const drain = env(bridge, 'OTEL_PROM_BRIDGE_DRAIN_PERIOD') ?? `${DEFAULT_DRAIN_PERIOD_MS / 1000}s`;
    assert.match(drain, /^\d+s$/);
    assert.ok((pod.terminationGracePeriodSeconds ?? 30) > Number.parseInt(drain, 10));
  });

  it('sets resource requests, a memory limit and a restrictive security context on both containers', () => {
    assert.equal(pod.securityContext?.runAsNonRoot, true);
    assert.ok((pod.securityContext?.runAsUser ?? 0) > 0);
    for (const container of pod.containers) {
      assert.ok(container.resources?.requests?.cpu && container.resources.requests.memory, `${container.name} requests`);
      assert.ok(container.resources?.limits?.memory, `${container.name} memory limit`);
      assert.equal(container.securityContext?.allowPrivilegeEscalation, false, container.name);
      assert.equal(container.securityContext?.readOnlyRootFilesystem, true, container.name);
      assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL'], container.name);
    }
  });

  it('points the app\'s OTEL_EXPORTER_OTLP_ENDPOINT at the sidecar\'s OTLP/HTTP listener over loopback', () => {
    const endpoint = new URL(env(app, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? '');
    const listen = env(bridge, 'OTEL_PROM_BRIDGE_OTLP_HTTP_LISTEN') ?? '';
    assert.equal(`${endpoint.hostname}:${endpoint.port}`, listen);
    assert.equal(endpoint.hostname, '127.0.0.1');
    // The SDK appends /v1/metrics to OTEL_EXPORTER_OTLP_ENDPOINT: the receiver's path.
    assert.equal(endpoint.pathname, '/');
    assert.equal(DEFAULT_OTLP_HTTP_PATH, '/v1/metrics');
    assert.equal(env(app, 'OTEL_EXPORTER_OTLP_PROTOCOL'), 'http/protobuf');
    assert.match(env(app, 'OTEL_RESOURCE_ATTRIBUTES') ?? '', /service\.instance\.id=\$\(POD_NAME\)/);
  });

  it('has a Service selecting the pods and reaching the metrics port', () => {
    const service = byKind('Service');
    assert.ok(selects(service.spec.selector as Record<string, string>));
    const ports = service.spec.ports as { name: string; port: number; targetPort: string | number }[];
    const metrics = ports.find((port) => port.name === 'metrics');
    assert.ok(bridge && metrics);
    assert.equal(portNumber(bridge, metrics.targetPort), DEFAULT_METRICS_PORT);
    for (const port of ports) assert.ok(pod.containers.some((c) => c.ports?.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort)), `targetPort ${port.targetPort}`);
  });

  it('has a PodMonitor scraping the bridge\'s metrics port and path with honorLabels', () => {
    const monitor = byKind('PodMonitor');
    assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
    assert.ok(selects((monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels));
    const endpoints = monitor.spec.podMetricsEndpoints as { port: string; path: string; honorLabels: boolean }[];
    assert.equal(endpoints.length, 1);
    assert.ok(bridge);
    assert.equal(portNumber(bridge, endpoints[0]!.port), DEFAULT_METRICS_PORT);
    assert.equal(endpoints[0]!.path, DEFAULT_METRICS_PATH);
    assert.equal(endpoints[0]!.honorLabels, true);
  });
});

/**
 * deploy/kubernetes-remote-write: a kustomize overlay of deploy/kubernetes whose bridge reads a
 * configuration file (a ConfigMap) that remote-writes to Mimir, with the basic-auth password from
 * a Secret. Its configuration is run through `--check-config` with the ConfigMap's and Secret's
 * files where the pod would mount them (a temporary directory standing in for the mount paths).
 */
describe('deploy/kubernetes-remote-write', () => {
  const OVERLAY = join(ROOT, 'deploy/kubernetes-remote-write');
  const overlayFiles = readdirSync(OVERLAY).filter((name) => /\.ya?ml$/.test(name)).sort();
  const overlay = overlayFiles.flatMap((file) =>
    parseAllDocuments(readFileSync(join(OVERLAY, file), 'utf8')).map((document) => {
      assert.deepEqual(document.errors, [], `${file}: ${document.errors.join('; ')}`);
      return { file, manifest: document.toJS() as Manifest };
    }),
  );
  const find = (kind: string): Manifest => {
    const found = overlay.filter(({ manifest }) => manifest.kind === kind);
    assert.equal(found.length, 1, `one ${kind}`);
    return found[0]!.manifest;
  };
  const configMap = find('ConfigMap') as unknown as { metadata: { name: string }; data: Record<string, string> };
  const secret = find('Secret') as unknown as { metadata: { name: string }; stringData: Record<string, string> };
  const patch = find('Deployment');
  const patchPod = (patch.spec.template as { spec: { containers: Container[]; volumes: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[] } }).spec;
  const patched = patchPod.containers.find((container) => container.name === bridge?.name);
  const mountOf = (volume: { configMap?: { name: string }; secret?: { secretName: string } }) => {
    const name = patchPod.volumes.find((v) => (volume.configMap !== undefined ? v.configMap?.name === volume.configMap.name : v.secret?.secretName === volume.secret?.secretName))?.name;
    return patched?.volumeMounts?.find((m) => m.name === name) as { mountPath: string; subPath?: string } | undefined;
  };

  it('is a kustomization of deploy/kubernetes with a ConfigMap, a Secret and a patch of its Deployment\'s bridge container', () => {
    const kustomization = find('Kustomization') as unknown as { resources: string[]; patches: { path: string }[] };
    assert.deepEqual(kustomization.resources, ['../kubernetes', 'configmap.yaml', 'secret.yaml']);
    assert.deepEqual(kustomization.patches, [{ path: 'bridge-patch.yaml' }]);
    assert.deepEqual(overlayFiles, ['bridge-patch.yaml', 'configmap.yaml', 'kustomization.yaml', 'secret.yaml']);
    assert.equal(patch.metadata.name, deployment.metadata.name);
    assert.ok(patched, `the patch names the bridge container (${bridge?.name})`);
  });

  it('mounts the ConfigMap\'s bridge.yaml where --config reads it, and the Secret read-only', () => {
    const args = (patched as Container & { args?: string[] }).args ?? [];
    const config = mountOf({ configMap: { name: configMap.metadata.name } });
    assert.ok(config, 'the ConfigMap is mounted');
    assert.equal(args[args.indexOf('--config') + 1], config.mountPath);
    assert.equal(config.subPath, 'bridge.yaml');
    const secretMount = mountOf({ secret: { secretName: secret.metadata.name } });
    assert.ok(secretMount, 'the Secret is mounted');
    assert.equal((secretMount as { readOnly?: boolean }).readOnly, true);
    const drain = env(patched, 'OTEL_PROM_BRIDGE_DRAIN_PERIOD') ?? '5s';
    assert.ok((pod.terminationGracePeriodSeconds ?? 30) > Number.parseInt(drain, 10), 'the pod has longer to stop than the bridge drains');
  });

  it('remote-writes to Mimir with a tenant header and basic auth from the Secret\'s file', () => {
    const config = parse(configMap.data['bridge.yaml'] ?? '') as { remote_write: { url: string; headers?: Record<string, string>; basic_auth?: { password_file?: string } }[] };
    const [endpoint] = config.remote_write;
    assert.ok(endpoint);
    assert.equal(new URL(endpoint.url).pathname, '/api/v1/push');
    assert.ok(endpoint.headers?.['X-Scope-OrgID']);
    const secretMount = mountOf({ secret: { secretName: secret.metadata.name } });
    const file = endpoint.basic_auth?.password_file ?? '';
    assert.ok(secretMount && file.startsWith(`${secretMount.mountPath}/`), `password_file ${file} is in the Secret's mount`);
    assert.ok(Object.hasOwn(secret.stringData, file.slice(secretMount.mountPath.length + 1)), `the Secret has the key ${file}`);
  });

  it('has a configuration the sidecar accepts (`--check-config`), with the files where the pod mounts them', async () => {
    const secretMount = mountOf({ secret: { secretName: secret.metadata.name } });
    assert.ok(secretMount);
    const dir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-k8s-'));
    try {
      mkdirSync(join(dir, 'secrets'));
      for (const [key, value] of Object.entries(secret.stringData)) writeFileSync(join(dir, 'secrets', key), value);
      const configPath = join(dir, 'bridge.yaml');
      writeFileSync(configPath, (configMap.data['bridge.yaml'] ?? '').replaceAll(`${secretMount.mountPath}/`, `${join(dir, 'secrets')}/`));
      const cli = runCli(['--config', configPath, '--check-config'], {}, { cli: 'source' });
      const exit = await exitOf(cli, 30_000);
      assert.equal(exit.code, 0, cli.stderr);
      assert.match(cli.stdout, /^ {4}name: mimir$/m);
      assert.match(cli.stdout, /X-Scope-OrgID: shop/);
      assert.doesNotMatch(cli.stdout, /change-me/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds with kustomize (`kubectl kustomize`)', { skip: findExecutable('kubectl') === undefined ? 'kubectl not found on PATH' : false }, async () => {
    const result = await run(findExecutable('kubectl')!, ['kustomize', OVERLAY], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /--config/);
    assert.match(result.output, /secretName: otel-prom-bridge-remote-write/);
  });
});
