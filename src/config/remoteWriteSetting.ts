/**
 * The `remote_write` setting: a list of endpoints in Prometheus' own `remote_write` shape in the
 * YAML file, or one URL with every default from `--remote-write-url` and its variable; and
 * `external_labels`, a map in YAML or `name=value,...` in a flag. Files named in an entry (secrets,
 * TLS) are read later, when the sidecar's settings are made (`toSidecarSettings`).
 */
import { z } from 'zod';
import { RESERVED_HEADERS } from '../outputs/push/remoteWrite/postWriteRequest.ts';
import { REMOTE_WRITE_MESSAGES, type RemoteWriteMessage } from '../outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import { formatDuration, parseDuration } from './duration.ts';
import type { SettingType } from './settingTypes.ts';

/** One `remote_write` entry as the file gives it (durations in ms, files not read yet). */
export interface RemoteWriteEntry {
  readonly url: string;
  readonly name?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly remoteTimeoutMs?: number;
  readonly basicAuth?: { readonly username: string; readonly password?: string; readonly passwordFile?: string };
  readonly authorization?: { readonly type?: string; readonly credentials?: string; readonly credentialsFile?: string };
  readonly tlsConfig?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string; readonly serverName?: string; readonly insecureSkipVerify?: boolean };
  readonly queueConfig?: {
    readonly capacity?: number;
    readonly maxShards?: number;
    readonly minShards?: number;
    readonly maxSamplesPerSend?: number;
    readonly batchSendDeadlineMs?: number;
    readonly minBackoffMs?: number;
    readonly maxBackoffMs?: number;
    readonly retryOnHttp429?: boolean;
  };
  readonly protobufMessage?: RemoteWriteMessage;
  readonly sendNativeHistograms?: boolean;
}

const MASK = '***';

const url = z.string({ error: 'url is not text' }).refine(
  (text) => {
    try {
      const parsed = new URL(text.trim());
      return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: 'url is not an http:// or https:// URL' },
);
const duration = (what: string) =>
  z.string({ error: `${what} is not a duration with a unit` }).transform((text, context) => parseDuration(text) ?? (context.addIssue({ code: 'custom', message: `${what} is not a duration (e.g. 30s, 5m)` }), z.NEVER));
const count = (what: string, min: number) => z.number({ error: `${what} is not a number` }).int({ error: `${what} is not a whole number` }).min(min, { error: `${what} is below ${min}` });
const text = (what: string) => z.string({ error: `${what} is not text` });
const yesNo = (what: string) => z.boolean({ error: `${what} is not true or false` });

const entrySchema = z
  .strictObject({
    url,
    name: text('name').regex(/^\S+$/, { error: 'name has spaces or is empty' }).optional(),
    headers: z
      .record(z.string(), text('a header value'), { error: 'headers is not a map of names to texts' })
      .refine((headers) => !Object.keys(headers).some((name) => RESERVED_HEADERS.includes(name.toLowerCase())), { error: `headers may not set ${RESERVED_HEADERS.join(', ')} (the protocol and the auth settings set them)` })
      .optional(),
    remote_timeout: duration('remote_timeout').optional(),
    basic_auth: z.strictObject({ username: text('basic_auth.username'), password: text('basic_auth.password').optional(), password_file: text('basic_auth.password_file').optional() }).optional(),
    authorization: z.strictObject({ type: text('authorization.type').optional(), credentials: text('authorization.credentials').optional(), credentials_file: text('authorization.credentials_file').optional() }).optional(),
    tls_config: z
      .strictObject({
        ca_file: text('tls_config.ca_file').optional(),
        cert_file: text('tls_config.cert_file').optional(),
        key_file: text('tls_config.key_file').optional(),
        server_name: text('tls_config.server_name').optional(),
        insecure_skip_verify: yesNo('tls_config.insecure_skip_verify').optional(),
      })
      .optional(),
    queue_config: z
      .strictObject({
        capacity: count('queue_config.capacity', 1).optional(),
        max_shards: count('queue_config.max_shards', 1).optional(),
        min_shards: count('queue_config.min_shards', 1).optional(),
        max_samples_per_send: count('queue_config.max_samples_per_send', 1).optional(),
        batch_send_deadline: duration('queue_config.batch_send_deadline').optional(),
        min_backoff: duration('queue_config.min_backoff').optional(),
        max_backoff: duration('queue_config.max_backoff').optional(),
        retry_on_http_429: yesNo('queue_config.retry_on_http_429').optional(),
      })
      .optional(),
    protobuf_message: z.enum(REMOTE_WRITE_MESSAGES, { error: `protobuf_message is not ${REMOTE_WRITE_MESSAGES.join(' or ')}` }).optional(),
    send_native_histograms: yesNo('send_native_histograms').optional(),
  })
  .refine((entry) => entry.basic_auth === undefined || entry.authorization === undefined, { error: 'basic_auth and authorization cannot both be set' })
  .refine((entry) => entry.basic_auth === undefined || (entry.basic_auth.password === undefined) !== (entry.basic_auth.password_file === undefined), { error: 'basic_auth needs one of password and password_file' })
  .refine((entry) => entry.authorization === undefined || (entry.authorization.credentials === undefined) !== (entry.authorization.credentials_file === undefined), { error: 'authorization needs one of credentials and credentials_file' })
  .refine((entry) => (entry.tls_config?.cert_file === undefined) === (entry.tls_config?.key_file === undefined), { error: 'tls_config needs both cert_file and key_file, or neither' })
  .refine((entry) => (entry.queue_config?.min_shards ?? 1) <= (entry.queue_config?.max_shards ?? Number.MAX_SAFE_INTEGER), { error: 'queue_config.min_shards is above max_shards' })
  .transform((entry): RemoteWriteEntry => {
    const q = entry.queue_config;
    const tls = entry.tls_config;
    return {
      url: entry.url.trim(),
      ...(entry.name === undefined ? {} : { name: entry.name }),
      ...(entry.headers === undefined ? {} : { headers: entry.headers }),
      ...(entry.remote_timeout === undefined ? {} : { remoteTimeoutMs: entry.remote_timeout }),
      ...(entry.basic_auth === undefined ? {} : { basicAuth: dropUndefined({ username: entry.basic_auth.username, password: entry.basic_auth.password, passwordFile: entry.basic_auth.password_file }) }),
      ...(entry.authorization === undefined ? {} : { authorization: dropUndefined({ type: entry.authorization.type, credentials: entry.authorization.credentials, credentialsFile: entry.authorization.credentials_file }) }),
      ...(tls === undefined ? {} : { tlsConfig: dropUndefined({ caFile: tls.ca_file, certFile: tls.cert_file, keyFile: tls.key_file, serverName: tls.server_name, insecureSkipVerify: tls.insecure_skip_verify }) }),
      ...(q === undefined
        ? {}
        : {
            queueConfig: dropUndefined({
              capacity: q.capacity,
              maxShards: q.max_shards,
              minShards: q.min_shards,
              maxSamplesPerSend: q.max_samples_per_send,
              batchSendDeadlineMs: q.batch_send_deadline,
              minBackoffMs: q.min_backoff,
              maxBackoffMs: q.max_backoff,
              retryOnHttp429: q.retry_on_http_429,
            }),
          }),
      ...(entry.protobuf_message === undefined ? {} : { protobufMessage: entry.protobuf_message }),
      ...(entry.send_native_histograms === undefined ? {} : { sendNativeHistograms: entry.send_native_histograms }),
    };
  });

function dropUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as never;
}

/** The entry as YAML writes it back (`--check-config`), secrets as `***`. */
function formatEntry(entry: RemoteWriteEntry): Record<string, unknown> {
  const q = entry.queueConfig;
  const tls = entry.tlsConfig;
  return dropUndefined({
    url: entry.url,
    name: entry.name,
    headers: entry.headers,
    remote_timeout: entry.remoteTimeoutMs === undefined ? undefined : formatDuration(entry.remoteTimeoutMs),
    basic_auth:
      entry.basicAuth === undefined
        ? undefined
        : dropUndefined({ username: entry.basicAuth.username, password: entry.basicAuth.password === undefined ? undefined : MASK, password_file: entry.basicAuth.passwordFile }),
    authorization:
      entry.authorization === undefined
        ? undefined
        : dropUndefined({ type: entry.authorization.type, credentials: entry.authorization.credentials === undefined ? undefined : MASK, credentials_file: entry.authorization.credentialsFile }),
    tls_config:
      tls === undefined ? undefined : dropUndefined({ ca_file: tls.caFile, cert_file: tls.certFile, key_file: tls.keyFile, server_name: tls.serverName, insecure_skip_verify: tls.insecureSkipVerify }),
    queue_config:
      q === undefined
        ? undefined
        : dropUndefined({
            capacity: q.capacity,
            max_shards: q.maxShards,
            min_shards: q.minShards,
            max_samples_per_send: q.maxSamplesPerSend,
            batch_send_deadline: q.batchSendDeadlineMs === undefined ? undefined : formatDuration(q.batchSendDeadlineMs),
            min_backoff: q.minBackoffMs === undefined ? undefined : formatDuration(q.minBackoffMs),
            max_backoff: q.maxBackoffMs === undefined ? undefined : formatDuration(q.maxBackoffMs),
            retry_on_http_429: q.retryOnHttp429,
          }),
    protobuf_message: entry.protobufMessage,
    send_native_histograms: entry.sendNativeHistograms,
  });
}

export const remoteWriteListType: SettingType<readonly RemoteWriteEntry[]> = {
  placeholder: '<url>',
  allowed: "a URL (flag, variable), or in the file a list of endpoints as Prometheus' remote_write (url, name, headers, remote_timeout, basic_auth, authorization, tls_config, queue_config, protobuf_message, send_native_histograms)",
  // A text (flag, variable, or a string in YAML) is one URL; the issue of a list names the entry and field.
  schema: z.preprocess(
    (raw) => (typeof raw === 'string' ? (raw.trim() === '' ? [] : [{ url: raw.trim() }]) : raw),
    z.array(entrySchema, { error: 'not a URL or a list of endpoints' }),
  ) as unknown as z.ZodType<readonly RemoteWriteEntry[], unknown>,
  format: (entries) => entries.map(formatEntry),
  structured: true,
};

/** Prometheus' label-name rule for external labels (names Prometheus itself reserves start with `__`). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const externalLabelsType: SettingType<Readonly<Record<string, string>>> = {
  placeholder: '<name=value,...>',
  allowed: 'label name=value pairs, comma-separated (a map in YAML); names as Prometheus allows, not starting with __',
  schema: z
    .preprocess(
      (raw) => (typeof raw === 'string' ? parseLabelList(raw) : raw),
      z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String), { error: 'not name=value pairs or a map of label names to values' }),
    )
    .refine((labels) => Object.keys(labels).every((name) => LABEL_NAME.test(name) && !name.startsWith('__')), { error: 'a label name is not valid (letters, digits and _, not starting with a digit or __)' }),
  format: (labels) => ({ ...labels }),
  structured: true,
};

/** `a=b, c=d` as a map; a part without `=` leaves the text as it is, for the schema to refuse. */
function parseLabelList(list: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const part of list.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) return list;
    labels[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return labels;
}
