import { ConfigError } from '../config/configError.ts';
import type { RemoteWriteEntry } from '../config/remoteWriteSetting.ts';
import {
  DEFAULT_QUEUE_CONFIG,
  DEFAULT_REMOTE_WRITE_INTERVAL_MS,
  endpointWithDefaults,
  REMOTE_WRITE_MESSAGES,
  type RemoteWriteEndpoint,
  type RemoteWriteQueueConfig,
  type RemoteWriteTlsConfig,
} from '../outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import type { LabelPairs } from '../translate/labelPairs.ts';

/** A remote-write endpoint as the Sidecar's options give it: a URL, anything else optional. */
export type RemoteWriteEndpointOptions = { readonly url: string | URL } & Partial<Omit<RemoteWriteEndpoint, 'url' | 'queue' | 'tls'>> & {
  readonly queue?: Partial<RemoteWriteQueueConfig>;
  readonly tls?: Partial<RemoteWriteTlsConfig>;
};

/** The Sidecar's `remoteWrite` option. */
export interface RemoteWriteOptions {
  readonly endpoints: readonly RemoteWriteEndpointOptions[];
  /** How often what changed is sent, ms. @default 15_000 */
  readonly intervalMs?: number;
  /** Labels every series sent gets unless it has one of that name (Prometheus' `external_labels`). @default none */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/** Remote write resolved: no endpoints means none is sent. */
export interface RemoteWriteSettings {
  readonly endpoints: readonly RemoteWriteEndpoint[];
  readonly intervalMs: number;
  readonly externalLabels: LabelPairs;
}

export const NO_REMOTE_WRITE: RemoteWriteSettings = { endpoints: [], intervalMs: DEFAULT_REMOTE_WRITE_INTERVAL_MS, externalLabels: [] };

/** The option checked and filled in; a wrong value throws naming it. */
export function resolveRemoteWrite(options: RemoteWriteOptions | undefined): RemoteWriteSettings {
  if (options === undefined) return NO_REMOTE_WRITE;
  const endpoints = options.endpoints.map((endpoint, index) => {
    const where = `Sidecar option remoteWrite.endpoints[${index}]`;
    let url: URL;
    try {
      url = new URL(String(endpoint.url));
    } catch {
      throw new TypeError(`${where}.url must be an http:// or https:// URL; got ${JSON.stringify(String(endpoint.url))}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${where}.url must be an http:// or https:// URL; got ${JSON.stringify(url.href)}.`);
    if (endpoint.protobufMessage !== undefined && !REMOTE_WRITE_MESSAGES.includes(endpoint.protobufMessage)) {
      throw new TypeError(`${where}.protobufMessage must be ${REMOTE_WRITE_MESSAGES.join(' or ')}; got ${JSON.stringify(endpoint.protobufMessage)}.`);
    }
    const queue = { ...DEFAULT_QUEUE_CONFIG, ...endpoint.queue };
    for (const [field, value] of Object.entries(queue)) {
      if (typeof value === 'number' && !(Number.isInteger(value) && value >= (field.endsWith('Ms') ? 0 : 1))) throw new RangeError(`${where}.queue.${field} must be a whole number${field.endsWith('Ms') ? ' of ms' : ' of at least 1'}; got ${String(value)}.`);
    }
    if (queue.minShards > queue.maxShards) throw new RangeError(`${where}.queue.minShards (${queue.minShards}) is above maxShards (${queue.maxShards}).`);
    return endpointWithDefaults(url, { ...endpoint, url, queue, tls: { insecureSkipVerify: false, ...endpoint.tls } } as Partial<RemoteWriteEndpoint>);
  });
  uniqueNames(endpoints, (message) => new TypeError(`Sidecar option remoteWrite: ${message}`));
  const intervalMs = options.intervalMs ?? DEFAULT_REMOTE_WRITE_INTERVAL_MS;
  if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`Sidecar option remoteWrite.intervalMs must be a whole number of ms of at least 1; got ${String(intervalMs)}.`);
  return { endpoints, intervalMs, externalLabels: sortedPairs(options.externalLabels ?? {}) };
}

/**
 * The command line's entries as endpoints: secrets and TLS files read now (a missing or empty one
 * is a ConfigError naming it), `Authorization` made, defaults filled in.
 */
export function toRemoteWriteEndpoints(entries: readonly RemoteWriteEntry[], readFile: (path: string) => string): RemoteWriteEndpoint[] {
  const endpoints = entries.map((entry, index) => {
    const where = `remote_write[${index}]`;
    const read = (field: string, path: string): string => {
      let text: string;
      try {
        text = readFile(path);
      } catch (error) {
        throw new ConfigError(`${where}.${field} ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
      }
      return text;
    };
    const secret = (field: string, path: string): string => {
      const text = read(field, path).replace(/\r?\n$/, '');
      if (text === '') throw new ConfigError(`${where}.${field} ${path} is empty.`);
      return text;
    };
    let authorization: string | undefined;
    if (entry.basicAuth !== undefined) {
      const password = entry.basicAuth.passwordFile === undefined ? (entry.basicAuth.password ?? '') : secret('basic_auth.password_file', entry.basicAuth.passwordFile);
      authorization = `Basic ${Buffer.from(`${entry.basicAuth.username}:${password}`).toString('base64')}`;
    } else if (entry.authorization !== undefined) {
      const credentials = entry.authorization.credentialsFile === undefined ? (entry.authorization.credentials ?? '') : secret('authorization.credentials_file', entry.authorization.credentialsFile);
      authorization = `${entry.authorization.type ?? 'Bearer'} ${credentials}`;
    }
    const tlsConfig = entry.tlsConfig;
    const tls: RemoteWriteTlsConfig = {
      insecureSkipVerify: tlsConfig?.insecureSkipVerify ?? false,
      ...(tlsConfig?.caFile === undefined ? {} : { ca: read('tls_config.ca_file', tlsConfig.caFile) }),
      ...(tlsConfig?.certFile === undefined ? {} : { cert: read('tls_config.cert_file', tlsConfig.certFile) }),
      ...(tlsConfig?.keyFile === undefined ? {} : { key: read('tls_config.key_file', tlsConfig.keyFile) }),
      ...(tlsConfig?.serverName === undefined ? {} : { serverName: tlsConfig.serverName }),
    };
    const url = new URL(entry.url);
    return endpointWithDefaults(url, {
      ...(entry.name === undefined ? {} : { name: entry.name }),
      ...(entry.headers === undefined ? {} : { headers: entry.headers }),
      ...(entry.remoteTimeoutMs === undefined ? {} : { remoteTimeoutMs: entry.remoteTimeoutMs }),
      authorization,
      tls,
      queue: checkedQueue({ ...DEFAULT_QUEUE_CONFIG, ...entry.queueConfig }, where),
      ...(entry.protobufMessage === undefined ? {} : { protobufMessage: entry.protobufMessage }),
      ...(entry.sendNativeHistograms === undefined ? {} : { sendNativeHistograms: entry.sendNativeHistograms }),
    });
  });
  uniqueNames(endpoints, (message) => new ConfigError(`remote_write: ${message}`));
  return endpoints;
}

/** The queue with defaults filled in: `min_shards` ≤ `max_shards` and `min_backoff` ≤ `max_backoff` hold for the defaults too. */
function checkedQueue(queue: RemoteWriteQueueConfig, where: string): RemoteWriteQueueConfig {
  if (queue.minShards > queue.maxShards) throw new ConfigError(`${where}.queue_config.min_shards (${queue.minShards}) is above max_shards (${queue.maxShards}${queue.maxShards === DEFAULT_QUEUE_CONFIG.maxShards ? ', the default' : ''}).`);
  if (queue.minBackoffMs > queue.maxBackoffMs) throw new ConfigError(`${where}.queue_config.min_backoff (${queue.minBackoffMs} ms) is above max_backoff (${queue.maxBackoffMs} ms).`);
  return queue;
}

/** Endpoint names label their metrics: two alike would share them, so Prometheus refuses it too. */
function uniqueNames(endpoints: readonly RemoteWriteEndpoint[], error: (message: string) => Error): void {
  const seen = new Set<string>();
  for (const { name } of endpoints) {
    if (seen.has(name)) throw error(`two endpoints are named ${JSON.stringify(name)}; give each its own name.`);
    seen.add(name);
  }
}

export function sortedPairs(labels: Readonly<Record<string, string>>): LabelPairs {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
