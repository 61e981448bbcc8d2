import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointWithDefaults } from '../../src/outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import { ConfigError } from '../../src/config/configError.ts';
import { loadConfig, type CliCommand, type LoadedConfig } from '../../src/config/loadConfig.ts';
import { SETTING_NAMES, SETTINGS, type ConfigValues, type SettingName } from '../../src/config/schema.ts';
import { toSidecarSettings } from '../../src/sidecar/toSidecarSettings.ts';

const FILE = 'bridge.yaml';

function load(argv: string[] = [], env: Record<string, string> = {}, yaml?: string): CliCommand {
  const args = yaml === undefined ? argv : ['--config', FILE, ...argv];
  return loadConfig({
    argv: args,
    env,
    readFile: (path) => {
      assert.equal(path, FILE);
      return yaml ?? '';
    },
  });
}

function config(argv: string[] = [], env: Record<string, string> = {}, yaml?: string): LoadedConfig {
  const command = load(argv, env, yaml);
  assert.equal(command.kind, 'run');
  return (command as { config: LoadedConfig }).config;
}

function failure(argv: string[] = [], env: Record<string, string> = {}, yaml?: string): string {
  try {
    load(argv, env, yaml);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error.message;
  }
  return assert.fail('expected a ConfigError');
}

/** One value per setting, as a flag or variable writes it and as the loader reads it. */
const GOOD: { [K in SettingName]: [text: string, value: ConfigValues[K]] } = {
  metricsListen: ['127.0.0.1:9000', { host: '127.0.0.1', port: 9000 }],
  metricsPath: ['/prom', '/prom'],
  otlpHttpListen: ['off', 'off'],
  otlpGrpcListen: ['[::1]:0', { host: '::1', port: 0 }],
  namespace: ['acme', 'acme'],
  translationStrategy: ['NoTranslation', 'NoTranslation'],
  labelNamePreserveMultipleUnderscores: ['off', false],
  labelNameUnderscoreSanitization: ['false', false],
  promoteResourceAttributes: ['service.name, k8s.pod.name', ['service.name', 'k8s.pod.name']],
  scopeLabels: ['off', false],
  targetInfo: ['false', false],
  openMetricsCreatedLines: ['on', true],
  metricExpirationMs: ['90s', 90_000],
  maxSeries: ['1000', 1000],
  maxRequestBytes: ['4MiB', 4 * 2 ** 20],
  maxInFlightRequests: ['8', 8],
  maxEventLoopDelayMs: ['250ms', 250],
  selfMetrics: ['off', false],
  drainPeriodMs: ['1s500ms', 1_500],
  stateDir: [' /var/lib/otel-prom-bridge ', '/var/lib/otel-prom-bridge'],
  stateSnapshotIntervalMs: ['1m', 60_000],
  remoteWrite: [' https://mimir.example:8080/api/v1/push ', [{ url: 'https://mimir.example:8080/api/v1/push' }]],
  remoteWriteIntervalMs: ['30s', 30_000],
  externalLabels: ['cluster=eu-1, replica=a', { cluster: 'eu-1', replica: 'a' }],
  logLevel: ['debug', 'debug'],
  metricsTlsCertFile: ['/etc/tls/metrics.crt', '/etc/tls/metrics.crt'],
  metricsTlsKeyFile: [' /etc/tls/metrics.key ', '/etc/tls/metrics.key'],
  otlpHttpTlsCertFile: ['otlp.crt', 'otlp.crt'],
  otlpHttpTlsKeyFile: ['otlp.key', 'otlp.key'],
  otlpGrpcTlsCertFile: ['grpc.crt', 'grpc.crt'],
  otlpGrpcTlsKeyFile: ['grpc.key', 'grpc.key'],
  metricsBearerToken: [' a token ', ' a token '],
  metricsBearerTokenFile: ['/run/secrets/metrics-token', '/run/secrets/metrics-token'],
  metricsBasicAuthUsername: ['prometheus', 'prometheus'],
  metricsBasicAuthPassword: ['pa55:word', 'pa55:word'],
  metricsBasicAuthPasswordFile: ['/run/secrets/metrics-password', '/run/secrets/metrics-password'],
  otlpBearerToken: ['t0ken', 't0ken'],
  otlpBearerTokenFile: ['/run/secrets/otlp-token', '/run/secrets/otlp-token'],
  otlpBasicAuthUsername: ['pusher', 'pusher'],
  otlpBasicAuthPassword: ['secret', 'secret'],
  otlpBasicAuthPasswordFile: ['/run/secrets/otlp-password', '/run/secrets/otlp-password'],
};

/** A bad value per setting and the reason the error line gives; null for a setting that takes any text. */
const BAD: { [K in SettingName]: [text: string, problem: string] | null } = {
  metricsListen: ['9464', 'must be an address with a port'],
  metricsPath: ['metrics', 'not a path starting with / (without spaces, ? or #)'],
  otlpHttpListen: ['host:65536', 'has a port outside 0-65535'],
  otlpGrpcListen: ['[]:4317', 'has empty brackets for a host'],
  namespace: ['9lives', 'not a metric name prefix'],
  translationStrategy: ['Underscores', 'not one of the allowed values'],
  labelNamePreserveMultipleUnderscores: ['collapse', 'not on or off'],
  labelNameUnderscoreSanitization: ['key', 'not on or off'],
  promoteResourceAttributes: ['', ''],
  scopeLabels: ['maybe', 'not on or off'],
  targetInfo: ['yes', 'not on or off'],
  openMetricsCreatedLines: ['always', 'not on or off'],
  metricExpirationMs: ['300', 'not a duration'],
  maxSeries: ['0', 'too small'],
  maxRequestBytes: ['2GiB', 'too large'],
  maxInFlightRequests: ['many', 'not a whole number'],
  maxEventLoopDelayMs: ['1ms', 'too short'],
  selfMetrics: ['none', 'not on or off'],
  drainPeriodMs: ['2h', 'too long'],
  stateDir: null,
  stateSnapshotIntervalMs: ['500ms', 'too short'],
  remoteWrite: null, // a list: its errors name the place in it (test/config/remoteWriteSetting.test.ts)
  remoteWriteIntervalMs: ['50ms', 'too short'],
  externalLabels: null, // a map, as remote_write
  logLevel: ['loud', 'not one of the allowed values'],
  metricsTlsCertFile: null,
  metricsTlsKeyFile: null,
  otlpHttpTlsCertFile: null,
  otlpHttpTlsKeyFile: null,
  otlpGrpcTlsCertFile: null,
  otlpGrpcTlsKeyFile: null,
  metricsBearerToken: null,
  metricsBearerTokenFile: null,
  metricsBasicAuthUsername: ['prom:etheus', 'contains ":"'],
  metricsBasicAuthPassword: null,
  metricsBasicAuthPasswordFile: null,
  otlpBearerToken: null,
  otlpBearerTokenFile: null,
  otlpBasicAuthUsername: ['a:b', 'contains ":"'],
  otlpBasicAuthPassword: null,
  otlpBasicAuthPasswordFile: null,
};

describe('loadConfig', () => {
  it('gives every default with no flags, variables or file', () => {
    const { values, sources } = config();
    for (const name of SETTING_NAMES) {
      assert.deepEqual(values[name], SETTINGS[name].default, name);
      assert.deepEqual(sources[name], { kind: 'default' }, name);
    }
  });

  for (const name of SETTING_NAMES) {
    const setting = SETTINGS[name];
    const [text, value] = GOOD[name];
    describe(setting.yamlKey, () => {
      it(`reads ${setting.flag} ${text}`, () => {
        const loaded = config([setting.flag, text]);
        assert.deepEqual(loaded.values[name], value);
        assert.deepEqual(loaded.sources[name], { kind: 'flag', flag: setting.flag });
        assert.deepEqual(config([`${setting.flag}=${text}`]).values[name], value);
      });
      it(`reads ${setting.env}=${text}`, () => {
        const loaded = config([], { [setting.env]: text });
        assert.deepEqual(loaded.values[name], value);
        assert.deepEqual(loaded.sources[name], { kind: 'env', variable: setting.env });
      });
      it(`reads ${setting.yamlKey}: ${JSON.stringify(text)} from the file`, () => {
        const loaded = config([], {}, `${setting.yamlKey}: ${JSON.stringify(text)}\n`);
        assert.deepEqual(loaded.values[name], value);
        assert.deepEqual(loaded.sources[name], { kind: 'file', file: FILE, key: setting.yamlKey });
      });

      const badCase = BAD[name];
      if (badCase === null) return; // every text is a value (a path, a secret)
      const [bad, problem] = badCase;
      if (name === 'promoteResourceAttributes') return; // every text is a list of keys
      const line = (source: string) => `${setting.yamlKey} ${JSON.stringify(bad)} from ${source} is not valid (${problem}); allowed: ${setting.type.allowed}.`;
      it(`refuses ${setting.flag} ${bad}, naming the flag`, () => assert.equal(failure([setting.flag, bad]), line(setting.flag)));
      it(`refuses ${setting.env}=${bad}, naming the variable`, () => assert.equal(failure([], { [setting.env]: bad }), line(setting.env)));
      it(`refuses ${setting.yamlKey}: ${JSON.stringify(bad)}, naming the file and key`, () =>
        assert.equal(failure([], {}, `${setting.yamlKey}: ${JSON.stringify(bad)}\n`), line(`${FILE}:${setting.yamlKey}`)));
    });
  }

  describe('precedence: flag, then environment, then file, then default', () => {
    const env = { OTEL_PROM_BRIDGE_MAX_SERIES: '20', OTEL_PROM_BRIDGE_NAMESPACE: 'from_env' };
    const yaml = 'max_series: 30\nnamespace: from_file\nlog_level: warn\n';
    it('a flag beats the variable and the file', () => {
      const loaded = config(['--max-series', '10'], env, yaml);
      assert.equal(loaded.values.maxSeries, 10);
      assert.deepEqual(loaded.sources.maxSeries, { kind: 'flag', flag: '--max-series' });
    });
    it('a variable beats the file', () => {
      const loaded = config(['--max-series', '10'], env, yaml);
      assert.equal(loaded.values.namespace, 'from_env');
      assert.deepEqual(loaded.sources.namespace, { kind: 'env', variable: 'OTEL_PROM_BRIDGE_NAMESPACE' });
    });
    it('the file beats the default', () => {
      const loaded = config([], env, yaml);
      assert.equal(loaded.values.logLevel, 'warn');
      assert.deepEqual(loaded.sources.metricExpirationMs, { kind: 'default' });
    });
    it('an empty variable counts as unset', () => assert.equal(config([], { OTEL_PROM_BRIDGE_MAX_SERIES: '' }, yaml).values.maxSeries, 30));
    it('a good flag hides a bad variable; the last of a repeated flag wins', () => {
      assert.equal(config(['--max-series', '10'], { OTEL_PROM_BRIDGE_MAX_SERIES: 'bad' }).values.maxSeries, 10);
      assert.equal(config(['--max-series', '10', '--max-series', '11']).values.maxSeries, 11);
    });
  });

  describe('YAML values take their own types', () => {
    const good: [yaml: string, name: SettingName, value: unknown][] = [
      ['promote_resource_attributes: [service.name, host.name]', 'promoteResourceAttributes', ['service.name', 'host.name']],
      ['promote_resource_attributes:\n  - a\n  - b', 'promoteResourceAttributes', ['a', 'b']],
      ['scope_labels: false', 'scopeLabels', false],
      ['target_info: off', 'targetInfo', false],
      ['max_series: 5000', 'maxSeries', 5000],
      ['max_request_body: 1048576', 'maxRequestBytes', 2 ** 20],
      ['metrics_listen: :9999', 'metricsListen', { host: '0.0.0.0', port: 9999 }],
      ['otlp_grpc_listen: off', 'otlpGrpcListen', 'off'],
      ['namespace: ""', 'namespace', ''],
      ['self_metrics: false', 'selfMetrics', false],
      ['drain_period: 0s', 'drainPeriodMs', 0],
    ];
    for (const [yaml, name, value] of good) it(JSON.stringify(yaml), () => assert.deepEqual(config([], {}, yaml).values[name], value));

    const bad: [yaml: string, line: string][] = [
      ['max_series: 1.5', 'max_series 1.5 from bridge.yaml:max_series is not valid (not a whole number); allowed: a whole number from 1 to 100000000.'],
      ['metric_expiration: 300', 'metric_expiration 300 from bridge.yaml:metric_expiration is not valid (not a duration with a unit); allowed: a duration of at least 1s, e.g. 30s, 5m, 1h30m (units ms, s, m, h, d).'],
      ['promote_resource_attributes: [a, 1]', 'promote_resource_attributes ["a",1] from bridge.yaml:promote_resource_attributes is not valid (not text or a list of texts); allowed: attribute keys, comma-separated (a list in YAML).'],
      [
        'metrics_listen: 9464',
        'metrics_listen 9464 from bridge.yaml:metrics_listen is not valid (a bare number: for port 9464 on the default host write ":9464" (quoted in YAML), or quote a host:port); allowed: host:port, [ipv6]:port, :port (host 0.0.0.0) or off; port 0 picks a free port.',
      ],
      ['metrics_path: {a: 1}', 'metrics_path {"a":1} from bridge.yaml:metrics_path is not valid (not text); allowed: a URL path starting with /.'],
      ['drain_period: 5', 'drain_period 5 from bridge.yaml:drain_period is not valid (not a duration with a unit); allowed: a duration from 0s to 1h, e.g. 30s, 5m, 1h30m (units ms, s, m, h, d).'],
    ];
    for (const [yaml, line] of bad) it(`refuses ${JSON.stringify(yaml)}`, () => assert.equal(failure([], {}, yaml), line));
  });

  describe('the file', () => {
    it('an empty file or one of comments sets nothing', () => {
      assert.deepEqual(config([], {}, '').values, config().values);
      assert.deepEqual(config([], {}, '# nothing yet\n').values, config().values);
    });
    it('an unknown key is an error naming the key, the file and the line', () =>
      assert.equal(
        failure([], {}, 'max_series: 10\nmetrics_lisen: ":9464"\n'),
        `bridge.yaml:2 has an unknown key "metrics_lisen" (did you mean "metrics_listen"?); the keys are ${SETTING_NAMES.map((name) => SETTINGS[name].yamlKey).join(', ')}.`,
      ));
    it('a flag name is not a key', () => assert.match(failure([], {}, 'metrics-listen: ":1"'), /^bridge\.yaml:1 has an unknown key "metrics-listen" \(did you mean "metrics_listen"\?\); /));
    it('a key far from every known one gets no guess', () => assert.match(failure([], {}, 'colour: blue'), /^bridge\.yaml:1 has an unknown key "colour"; the keys are /));
    it('a quote left open is reported where it opens, not at the end of the file', () => {
      assert.match(failure([], {}, 'metrics_listen: ":9464\nnamespace: acme\nlog_level: info\n'), /^bridge\.yaml:1:17 is not valid YAML: Missing closing "quote/);
      assert.match(failure([], {}, "namespace: acme\nlog_level: 'info\n\n"), /^bridge\.yaml:2:12 is not valid YAML: Missing closing 'quote/);
    });
    it('must be a mapping', () => assert.equal(failure([], {}, '- a\n- b\n'), 'bridge.yaml must be a YAML mapping of setting keys to values (e.g. metrics_listen: ":9464").'));
    it('malformed YAML names the line', () => assert.match(failure([], {}, 'max_series: 1\n  bad: [\n'), /^bridge\.yaml:1:\d+ is not valid YAML: /));
    it('a key given twice is an error', () => assert.match(failure([], {}, 'max_series: 1\nmax_series: 2\n'), /^bridge\.yaml:2:\d+ is not valid YAML: Map keys must be unique/));
    it('an unreadable file is an error naming it', () =>
      assert.throws(() => loadConfig({ argv: ['--config', '/nonexistent/bridge.yaml'], env: {} }), {
        name: 'ConfigError',
        message: /^cannot read the --config file \/nonexistent\/bridge\.yaml: ENOENT/,
      }));
  });

  describe('the command line', () => {
    it('--help and --version (and -h, -v) win, reading no file and no variable', () => {
      const env = { OTEL_PROM_BRIDGE_MAX_SERIES: 'bad' };
      assert.deepEqual(loadConfig({ argv: ['--config', 'missing.yaml', '--help'], env }), { kind: 'help' });
      assert.deepEqual(loadConfig({ argv: ['-h'], env }), { kind: 'help' });
      assert.deepEqual(loadConfig({ argv: ['-v'], env }), { kind: 'version' });
      assert.deepEqual(loadConfig({ argv: ['--version'], env }), { kind: 'version' });
    });
    it('--check-config loads like a run', () => {
      const command = load(['--check-config', '--max-series', '7']);
      assert.equal(command.kind, 'check');
      assert.equal((command as { config: LoadedConfig }).config.values.maxSeries, 7);
      assert.match(failure(['--check-config', '--max-series', '0']), /^max_series "0" from --max-series/);
    });
    const bad: [args: string[], line: string][] = [
      [['--nope'], "unknown option '--nope'. See --help."],
      [['positional'], "too many arguments. Expected 0 arguments but got 1: positional. See --help."],
      [['--metrics-listen'], "option '--metrics-listen <host:port|off>' argument missing. See --help."],
    ];
    for (const [args, line] of bad) it(`${args.join(' ')} → ${JSON.stringify(line)}`, () => assert.equal(failure(args), line));
  });
});

describe('toSidecarSettings', () => {
  it('hands every setting to the sidecar (the auth and TLS ones: test/config/listenerSecurity.test.ts)', () => {
    const security = (name: SettingName) => /Tls|Bearer|BasicAuth/.test(name);
    const values = Object.fromEntries(SETTING_NAMES.map((name) => [name, security(name) ? SETTINGS[name].default : GOOD[name][1]])) as unknown as ConfigValues;
    const { clock, ...settings } = toSidecarSettings(values);
    assert.equal(clock, Date.now);
    assert.deepEqual(settings, {
      metrics: { host: '127.0.0.1', port: 9000, path: '/prom' },
      otlpHttp: { host: '0.0.0.0', port: 4318, path: '/v1/metrics' },
      otlpGrpc: { host: '::1', port: 0 },
      enabled: { metrics: true, otlpHttp: false, otlpGrpc: true },
      auth: { metrics: undefined, otlpHttp: undefined, otlpGrpc: undefined },
      tls: { metrics: undefined, otlpHttp: undefined, otlpGrpc: undefined },
      namespace: 'acme',
      translationStrategy: 'NoTranslation',
      labelNamePreserveMultipleUnderscores: false,
      labelNameUnderscoreSanitization: false,
      promoteResourceAttributes: ['service.name', 'k8s.pod.name'],
      promoteResourceAttributesMatching: undefined,
      scopeLabels: false,
      targetInfo: false,
      jobAndInstance: true,
      metricExpirationMs: 90_000,
      maxSeries: 1000,
      maxRequestBytes: 4 * 2 ** 20,
      maxInFlightRequests: 8,
      maxEventLoopDelayMs: 250,
      eventLoopDelayProbe: undefined,
      maxExponentialBuckets: 40,
      openMetricsCreatedLines: true,
      selfMetrics: false,
      drainPeriodMs: 1_500,
      stateDir: '/var/lib/otel-prom-bridge',
      stateSnapshotIntervalMs: 60_000,
      remoteWrite: {
        endpoints: [endpointWithDefaults(new URL('https://mimir.example:8080/api/v1/push'), { authorization: undefined, tls: { insecureSkipVerify: false } })],
        intervalMs: 30_000,
        externalLabels: [
          ['cluster', 'eu-1'],
          ['replica', 'a'],
        ],
      },
      logger: undefined,
    });
  });
});
