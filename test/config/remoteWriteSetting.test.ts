import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/configError.ts';
import { loadConfig, type LoadedConfig } from '../../src/config/loadConfig.ts';
import { renderEffectiveConfig } from '../../src/config/renderConfigDocs.ts';
import { toSidecarSettings } from '../../src/sidecar/toSidecarSettings.ts';

const FILE = '/etc/otel-prom-bridge.yml';

function load(argv: string[], env: Record<string, string>, yaml?: string): LoadedConfig {
  const command = loadConfig({ argv: yaml === undefined ? argv : ['--config', FILE, ...argv], env, readFile: () => yaml ?? '' });
  assert.ok(command.kind === 'run' || command.kind === 'check');
  return command.config;
}

function failure(yaml: string): string {
  try {
    load([], {}, yaml);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  return assert.fail('expected a ConfigError');
}

const FULL = `
remote_write:
  - url: https://mimir.example/api/v1/push
    name: mimir
    headers:
      X-Scope-OrgID: team-a
    remote_timeout: 10s
    basic_auth:
      username: pusher
      password: s3cret
    tls_config:
      ca_file: /etc/ca.pem
      server_name: mimir.internal
    queue_config:
      capacity: 5000
      max_shards: 8
      min_shards: 2
      max_samples_per_send: 500
      batch_send_deadline: 2s
      min_backoff: 100ms
      max_backoff: 10s
      retry_on_http_429: false
    protobuf_message: io.prometheus.write.v2.Request
  - url: http://127.0.0.1:9090/api/v1/write
    authorization:
      credentials_file: /run/secrets/token
external_labels:
  cluster: eu-1
remote_write_interval: 5s
`;

describe('remote_write, as Prometheus writes it', () => {
  it('reads every field of an entry, durations in ms, and a second entry with defaults left out', () => {
    const { values } = load([], {}, FULL);
    assert.deepEqual(values.remoteWrite, [
      {
        url: 'https://mimir.example/api/v1/push',
        name: 'mimir',
        headers: { 'X-Scope-OrgID': 'team-a' },
        remoteTimeoutMs: 10_000,
        basicAuth: { username: 'pusher', password: 's3cret' },
        tlsConfig: { caFile: '/etc/ca.pem', serverName: 'mimir.internal' },
        queueConfig: { capacity: 5000, maxShards: 8, minShards: 2, maxSamplesPerSend: 500, batchSendDeadlineMs: 2000, minBackoffMs: 100, maxBackoffMs: 10_000, retryOnHttp429: false },
        protobufMessage: 'io.prometheus.write.v2.Request',
      },
      { url: 'http://127.0.0.1:9090/api/v1/write', authorization: { credentialsFile: '/run/secrets/token' } },
    ]);
    assert.deepEqual(values.externalLabels, { cluster: 'eu-1' });
    assert.equal(values.remoteWriteIntervalMs, 5000);
  });

  it('a flag replaces the file list with one URL, as every setting combines', () => {
    const { values, sources } = load(['--remote-write-url', 'http://127.0.0.1:9009/api/v1/push'], {}, FULL);
    assert.deepEqual(values.remoteWrite, [{ url: 'http://127.0.0.1:9009/api/v1/push' }]);
    assert.deepEqual(sources.remoteWrite, { kind: 'flag', flag: '--remote-write-url' });
  });

  it('--check-config shows the endpoints with secrets as ***', () => {
    const text = renderEffectiveConfig(load(['--check-config'], {}, FULL));
    assert.match(text, /password: "\*\*\*"|password: '\*\*\*'|password: \*\*\*/);
    assert.doesNotMatch(text, /s3cret/);
    assert.match(text, /X-Scope-OrgID: team-a/);
    assert.match(text, /batch_send_deadline: 2s/);
  });

  const bad: [string, string, RegExp][] = [
    ['an unknown key', 'remote_write:\n  - url: http://a/\n    queue_confg: {}\n', /remote_write\[0\] from \/etc\/otel-prom-bridge.yml:remote_write is not valid \(Unrecognized key: "queue_confg"\)/],
    ['an unknown queue key', 'remote_write:\n  - url: http://a/\n    queue_config:\n      max_shard: 3\n', /remote_write\[0\]\.queue_config .*Unrecognized key: "max_shard"/],
    ['a URL that is not http', 'remote_write:\n  - url: ftp://a/\n', /remote_write\[0\]\.url .*url is not an http:\/\/ or https:\/\/ URL/],
    ['a bad URL in the flag', '', /./],
    ['a bad duration', 'remote_write:\n  - url: http://a/\n    remote_timeout: soon\n', /remote_write\[0\]\.remote_timeout .*not a duration/],
    ['an unknown message', 'remote_write:\n  - url: http://a/\n    protobuf_message: v3\n', /protobuf_message is not prometheus.WriteRequest or io.prometheus.write.v2.Request/],
    ['both auths', 'remote_write:\n  - url: http://a/\n    basic_auth: {username: a, password: b}\n    authorization: {credentials: c}\n', /basic_auth and authorization cannot both be set/],
    ['a reserved header', 'remote_write:\n  - url: http://a/\n    headers: {Content-Encoding: gzip}\n', /headers may not set/],
    ['min above max shards', 'remote_write:\n  - url: http://a/\n    queue_config: {min_shards: 4, max_shards: 2}\n', /min_shards is above max_shards/],
    ['a bad external label', 'external_labels:\n  __name__: x\n', /external_labels .*a label name is not valid/],
  ];
  for (const [what, yaml, expected] of bad) {
    if (yaml === '') {
      it('refuses a flag that is not a URL, naming it', () => {
        assert.throws(() => load(['--remote-write-url', 'not a url'], {}), (error: Error) => error instanceof ConfigError && /remote_write\[0\]\.url from --remote-write-url is not valid/.test(error.message));
      });
      continue;
    }
    it(`refuses ${what}, naming where`, () => assert.match(failure(yaml), expected));
  }

  it('min_shards above the default max_shards is refused when the settings are made, naming it', () => {
    const { values } = load([], {}, 'remote_write:\n  - url: http://a/\n    queue_config: {min_shards: 60}\n');
    assert.throws(() => toSidecarSettings(values), (error: Error) => error instanceof ConfigError && error.message === 'remote_write[0].queue_config.min_shards (60) is above max_shards (50, the default).');
  });

  it('never quotes a secret in an error', () => {
    const message = failure('remote_write:\n  - url: http://a/\n    basic_auth: {username: a, password: hunter2, extra: 1}\n');
    assert.doesNotMatch(message, /hunter2/);
  });
});
