/**
 * The sidecar's settings: the one place that names each setting's flag, environment variable, YAML
 * key, type, default and documentation. `--help`, the README's options table, the loader and
 * `--check-config` all read it. Precedence: flag, then environment variable, then the `--config`
 * file, then the default.
 */
import { TranslationStrategy } from '../translate/translationStrategy.ts';
import {
  DEFAULT_DRAIN_PERIOD_MS,
  DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES,
  DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION,
  DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
  DEFAULT_MAX_IN_FLIGHT_REQUESTS,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_METRIC_EXPIRATION_MS,
  DEFAULT_METRICS_PATH,
  DEFAULT_METRICS_PORT,
  DEFAULT_NAMESPACE,
  DEFAULT_OPENMETRICS_CREATED_LINES,
  DEFAULT_OTLP_GRPC_PORT,
  DEFAULT_OTLP_HTTP_PORT,
  DEFAULT_SCOPE_LABELS,
  DEFAULT_SELF_METRICS,
  DEFAULT_SIDECAR_HOST,
  DEFAULT_SIDECAR_MAX_SERIES,
  DEFAULT_STATE_SNAPSHOT_INTERVAL_MS,
  DEFAULT_TARGET_INFO,
  DEFAULT_TRANSLATION_STRATEGY,
} from './defaults.ts';
import { DEFAULT_REMOTE_WRITE_INTERVAL_MS } from '../outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import { externalLabelsType, remoteWriteListType, type RemoteWriteEntry } from './remoteWriteSetting.ts';
import {
  byteSizeType,
  directoryPathType,
  durationType,
  filePathType,
  keyListType,
  listenAddressType,
  namespaceType,
  onOffType,
  oneOfType,
  secretType,
  urlPathType,
  usernameType,
  wholeNumberType,
  type SettingType,
} from './settingTypes.ts';

export interface Setting<T> {
  /** `--metrics-listen` */
  readonly flag: `--${string}`;
  /** `OTEL_PROM_BRIDGE_METRICS_LISTEN`; an empty variable counts as unset, as OpenTelemetry's do. */
  readonly env: `OTEL_PROM_BRIDGE_${string}`;
  /** `metrics_listen`, a top-level key of the `--config` file; also the setting's name in messages. */
  readonly yamlKey: string;
  readonly type: SettingType<T>;
  readonly default: T;
  /** One line for `--help` and the README. */
  readonly doc: string;
}

function setting<T>(spec: Setting<T>): Setting<T> {
  return spec;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const address = listenAddressType(DEFAULT_SIDECAR_HOST);

export const SETTINGS = {
  metricsListen: setting({
    flag: '--metrics-listen',
    env: 'OTEL_PROM_BRIDGE_METRICS_LISTEN',
    yamlKey: 'metrics_listen',
    type: address,
    default: { host: DEFAULT_SIDECAR_HOST, port: DEFAULT_METRICS_PORT },
    doc: 'Where Prometheus scrapes (the metrics path, /-/healthy, /-/ready, /).',
  }),
  metricsPath: setting({
    flag: '--metrics-path',
    env: 'OTEL_PROM_BRIDGE_METRICS_PATH',
    yamlKey: 'metrics_path',
    type: urlPathType,
    default: DEFAULT_METRICS_PATH,
    doc: 'The scrape path.',
  }),
  otlpHttpListen: setting({
    flag: '--otlp-http-listen',
    env: 'OTEL_PROM_BRIDGE_OTLP_HTTP_LISTEN',
    yamlKey: 'otlp_http_listen',
    type: address,
    default: { host: DEFAULT_SIDECAR_HOST, port: DEFAULT_OTLP_HTTP_PORT },
    doc: 'The OTLP/HTTP receiver (POST /v1/metrics, protobuf or JSON).',
  }),
  otlpGrpcListen: setting({
    flag: '--otlp-grpc-listen',
    env: 'OTEL_PROM_BRIDGE_OTLP_GRPC_LISTEN',
    yamlKey: 'otlp_grpc_listen',
    type: address,
    default: { host: DEFAULT_SIDECAR_HOST, port: DEFAULT_OTLP_GRPC_PORT },
    doc: 'The OTLP/gRPC receiver.',
  }),
  namespace: setting({
    flag: '--namespace',
    env: 'OTEL_PROM_BRIDGE_NAMESPACE',
    yamlKey: 'namespace',
    type: namespaceType,
    default: DEFAULT_NAMESPACE,
    doc: 'Prefix for every metric name and an underscore: otel gives otel_http_server_requests_total.',
  }),
  translationStrategy: setting({
    flag: '--translation-strategy',
    env: 'OTEL_PROM_BRIDGE_TRANSLATION_STRATEGY',
    yamlKey: 'translation_strategy',
    type: oneOfType(Object.values(TranslationStrategy) as [TranslationStrategy, ...TranslationStrategy[]], '<strategy>'),
    default: DEFAULT_TRANSLATION_STRATEGY,
    doc: "How OpenTelemetry names become Prometheus names (as Prometheus' otlp.translation_strategy).",
  }),
  labelNamePreserveMultipleUnderscores: setting({
    flag: '--label-name-preserve-multiple-underscores',
    env: 'OTEL_PROM_BRIDGE_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES',
    yamlKey: 'label_name_preserve_multiple_underscores',
    type: onOffType,
    default: DEFAULT_LABEL_NAME_PRESERVE_MULTIPLE_UNDERSCORES,
    doc: "Keep runs of _ in label names made from attribute keys (label__x stays; off gives label_x), as Prometheus' otlp setting of that name.",
  }),
  labelNameUnderscoreSanitization: setting({
    flag: '--label-name-underscore-sanitization',
    env: 'OTEL_PROM_BRIDGE_LABEL_NAME_UNDERSCORE_SANITIZATION',
    yamlKey: 'label_name_underscore_sanitization',
    type: onOffType,
    default: DEFAULT_LABEL_NAME_UNDERSCORE_SANITIZATION,
    doc: "Put key before label names starting with a single _ (_foo becomes key_foo; off keeps _foo), as Prometheus' otlp setting of that name.",
  }),
  promoteResourceAttributes: setting<readonly string[]>({
    flag: '--promote-resource-attributes',
    env: 'OTEL_PROM_BRIDGE_PROMOTE_RESOURCE_ATTRIBUTES',
    yamlKey: 'promote_resource_attributes',
    type: keyListType,
    default: [],
    doc: 'Resource attributes copied onto every series, by exact key (service.name becomes service_name).',
  }),
  scopeLabels: setting({
    flag: '--scope-labels',
    env: 'OTEL_PROM_BRIDGE_SCOPE_LABELS',
    yamlKey: 'scope_labels',
    type: onOffType,
    default: DEFAULT_SCOPE_LABELS,
    doc: 'The otel_scope_name, otel_scope_version and otel_scope_schema_url labels.',
  }),
  targetInfo: setting({
    flag: '--target-info',
    env: 'OTEL_PROM_BRIDGE_TARGET_INFO',
    yamlKey: 'target_info',
    type: onOffType,
    default: DEFAULT_TARGET_INFO,
    doc: 'A target_info series per pushing resource, with its attributes.',
  }),
  openMetricsCreatedLines: setting({
    flag: '--openmetrics-created-lines',
    env: 'OTEL_PROM_BRIDGE_OPENMETRICS_CREATED_LINES',
    yamlKey: 'openmetrics_created_lines',
    type: onOffType,
    default: DEFAULT_OPENMETRICS_CREATED_LINES,
    doc: 'OpenMetrics scrapes get a _created line (the start time) for each counter, histogram and summary series that knows it. Prometheus 2 stores these as series of their own.',
  }),
  metricExpirationMs: setting({
    flag: '--metric-expiration',
    env: 'OTEL_PROM_BRIDGE_METRIC_EXPIRATION',
    yamlKey: 'metric_expiration',
    type: durationType(1_000),
    default: DEFAULT_METRIC_EXPIRATION_MS,
    doc: 'A series no point has updated for this long disappears.',
  }),
  maxSeries: setting({
    flag: '--max-series',
    env: 'OTEL_PROM_BRIDGE_MAX_SERIES',
    yamlKey: 'max_series',
    type: wholeNumberType(1, 100_000_000),
    default: DEFAULT_SIDECAR_MAX_SERIES,
    doc: 'The cardinality limit: points that would create more series are refused and reported.',
  }),
  maxRequestBytes: setting({
    flag: '--max-request-body',
    env: 'OTEL_PROM_BRIDGE_MAX_REQUEST_BODY',
    yamlKey: 'max_request_body',
    type: byteSizeType(1024, 2 ** 30),
    default: DEFAULT_MAX_REQUEST_BYTES,
    doc: 'Largest OTLP request, before and after inflating; larger HTTP bodies get 413.',
  }),
  maxInFlightRequests: setting({
    flag: '--max-in-flight-requests',
    env: 'OTEL_PROM_BRIDGE_MAX_IN_FLIGHT_REQUESTS',
    yamlKey: 'max_in_flight_requests',
    type: wholeNumberType(1, 1_000_000),
    default: DEFAULT_MAX_IN_FLIGHT_REQUESTS,
    doc: 'OTLP/HTTP exports in flight at once; the next gets 503 with Retry-After: 1.',
  }),
  maxEventLoopDelayMs: setting({
    flag: '--max-event-loop-delay',
    env: 'OTEL_PROM_BRIDGE_MAX_EVENT_LOOP_DELAY',
    yamlKey: 'max_event_loop_delay',
    type: durationType(10),
    default: DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
    doc: "New exports are refused while the event loop's mean delay over the last second is above this.",
  }),
  selfMetrics: setting({
    flag: '--self-metrics',
    env: 'OTEL_PROM_BRIDGE_SELF_METRICS',
    yamlKey: 'self_metrics',
    type: onOffType,
    default: DEFAULT_SELF_METRICS,
    doc: "The bridge's own metrics on the metrics path: otel_prom_bridge_* and prom-client's process_* and nodejs_*.",
  }),
  drainPeriodMs: setting({
    flag: '--drain-period',
    env: 'OTEL_PROM_BRIDGE_DRAIN_PERIOD',
    yamlKey: 'drain_period',
    type: durationType(0, 3_600_000),
    default: DEFAULT_DRAIN_PERIOD_MS,
    doc: 'On SIGTERM or SIGINT: how long the metrics path still answers (for a last scrape) while new OTLP exports get 503/UNAVAILABLE.',
  }),
  stateDir: setting({
    flag: '--state-dir',
    env: 'OTEL_PROM_BRIDGE_STATE_DIR',
    yamlKey: 'state_dir',
    type: directoryPathType,
    default: '',
    doc: 'Keep the series (sums, start times, delta windows) in this directory across restarts: restored at start, written every state_snapshot_interval and on SIGTERM; created if missing, one sidecar per directory. Empty: nothing kept.',
  }),
  stateSnapshotIntervalMs: setting({
    flag: '--state-snapshot-interval',
    env: 'OTEL_PROM_BRIDGE_STATE_SNAPSHOT_INTERVAL',
    yamlKey: 'state_snapshot_interval',
    type: durationType(1_000, 86_400_000),
    default: DEFAULT_STATE_SNAPSHOT_INTERVAL_MS,
    doc: 'With state_dir: how often the series are written to it; after a SIGKILL at most this much of the deltas is lost.',
  }),
  remoteWrite: setting<readonly RemoteWriteEntry[]>({
    flag: '--remote-write-url',
    env: 'OTEL_PROM_BRIDGE_REMOTE_WRITE_URL',
    yamlKey: 'remote_write',
    type: remoteWriteListType,
    default: [],
    doc: "Prometheus remote write: what is pushed is also sent to these endpoints (Mimir, Thanos Receive, Cortex, Prometheus with --web.enable-remote-write-receiver). A flag or variable gives one URL with every default; the file a list in Prometheus' remote_write shape.",
  }),
  remoteWriteIntervalMs: setting({
    flag: '--remote-write-interval',
    env: 'OTEL_PROM_BRIDGE_REMOTE_WRITE_INTERVAL',
    yamlKey: 'remote_write_interval',
    type: durationType(100, 3_600_000),
    default: DEFAULT_REMOTE_WRITE_INTERVAL_MS,
    doc: 'How often the series written since the last send go to the remote-write endpoints, each sample at the time of its OTLP point.',
  }),
  externalLabels: setting<Readonly<Record<string, string>>>({
    flag: '--external-labels',
    env: 'OTEL_PROM_BRIDGE_EXTERNAL_LABELS',
    yamlKey: 'external_labels',
    type: externalLabelsType,
    default: {},
    doc: "Labels added to every series sent by remote write (a series' own label of the same name wins), as Prometheus' global external_labels.",
  }),
  logLevel: setting<LogLevel>({
    flag: '--log-level',
    env: 'OTEL_PROM_BRIDGE_LOG_LEVEL',
    yamlKey: 'log_level',
    type: oneOfType(LOG_LEVELS, '<level>'),
    default: 'info',
    doc: 'Least severe log messages written to stderr as JSON lines (dropped data is logged at warn, refused requests at debug).',
  }),
  ...tlsSettings('metrics', 'METRICS', 'the metrics listener (the metrics path, /-/healthy, /-/ready, /)'),
  ...tlsSettings('otlpHttp', 'OTLP_HTTP', 'the OTLP/HTTP receiver'),
  ...tlsSettings('otlpGrpc', 'OTLP_GRPC', 'the OTLP/gRPC receiver'),
  ...authSettings('metrics', 'METRICS', 'the metrics path and / (the probes /-/healthy and /-/ready stay open)'),
  ...authSettings('otlp', 'OTLP', 'both OTLP receivers (HTTP and gRPC)'),
} as const;

/** `metricsTlsCertFile` and `metricsTlsKeyFile` (`--metrics-tls-cert-file`, `OTEL_PROM_BRIDGE_METRICS_TLS_CERT_FILE`, `metrics_tls_cert_file`) and the like. */
function tlsSettings<const L extends string, const E extends string>(listener: L, envPart: E, what: string) {
  const kebab = envPart.toLowerCase().replaceAll('_', '-');
  const snake = envPart.toLowerCase();
  return {
    [`${listener}TlsCertFile`]: setting({
      flag: `--${kebab}-tls-cert-file`,
      env: `OTEL_PROM_BRIDGE_${envPart}_TLS_CERT_FILE`,
      yamlKey: `${snake}_tls_cert_file`,
      type: filePathType,
      default: '',
      doc: `PEM certificate (chain) for ${what}: it serves TLS, with ${snake}_tls_key_file.`,
    }),
    [`${listener}TlsKeyFile`]: setting({
      flag: `--${kebab}-tls-key-file`,
      env: `OTEL_PROM_BRIDGE_${envPart}_TLS_KEY_FILE`,
      yamlKey: `${snake}_tls_key_file`,
      type: filePathType,
      default: '',
      doc: `PEM private key for ${what}, with ${snake}_tls_cert_file.`,
    }),
  } as Record<`${L}TlsCertFile` | `${L}TlsKeyFile`, Setting<string>>;
}

/** A listener's bearer token and basic auth, each secret as text or a file (`metricsBearerToken`, `metricsBearerTokenFile`...). */
function authSettings<const L extends string, const E extends string>(listener: L, envPart: E, what: string) {
  const kebab = envPart.toLowerCase().replaceAll('_', '-');
  const snake = envPart.toLowerCase();
  return {
    [`${listener}BearerToken`]: setting({
      flag: `--${kebab}-bearer-token`,
      env: `OTEL_PROM_BRIDGE_${envPart}_BEARER_TOKEN`,
      yamlKey: `${snake}_bearer_token`,
      type: secretType,
      default: '',
      doc: `Requests to ${what} must carry Authorization: Bearer with this token.`,
    }),
    [`${listener}BearerTokenFile`]: setting({
      flag: `--${kebab}-bearer-token-file`,
      env: `OTEL_PROM_BRIDGE_${envPart}_BEARER_TOKEN_FILE`,
      yamlKey: `${snake}_bearer_token_file`,
      type: filePathType,
      default: '',
      doc: `As ${snake}_bearer_token, read from this file at start (a trailing newline is left out).`,
    }),
    [`${listener}BasicAuthUsername`]: setting({
      flag: `--${kebab}-basic-auth-username`,
      env: `OTEL_PROM_BRIDGE_${envPart}_BASIC_AUTH_USERNAME`,
      yamlKey: `${snake}_basic_auth_username`,
      type: usernameType,
      default: '',
      doc: `Requests to ${what} must carry Authorization: Basic with this username and ${snake}_basic_auth_password.`,
    }),
    [`${listener}BasicAuthPassword`]: setting({
      flag: `--${kebab}-basic-auth-password`,
      env: `OTEL_PROM_BRIDGE_${envPart}_BASIC_AUTH_PASSWORD`,
      yamlKey: `${snake}_basic_auth_password`,
      type: secretType,
      default: '',
      doc: `The basic-auth password for ${what}.`,
    }),
    [`${listener}BasicAuthPasswordFile`]: setting({
      flag: `--${kebab}-basic-auth-password-file`,
      env: `OTEL_PROM_BRIDGE_${envPart}_BASIC_AUTH_PASSWORD_FILE`,
      yamlKey: `${snake}_basic_auth_password_file`,
      type: filePathType,
      default: '',
      doc: `As ${snake}_basic_auth_password, read from this file at start (a trailing newline is left out).`,
    }),
  } as Record<`${L}BearerToken` | `${L}BearerTokenFile` | `${L}BasicAuthUsername` | `${L}BasicAuthPassword` | `${L}BasicAuthPasswordFile`, Setting<string>>;
}

export type SettingName = keyof typeof SETTINGS;

/** Every setting's value, defaults filled in. */
export type ConfigValues = { readonly [K in SettingName]: SettingValue<K> };
export type SettingValue<K extends SettingName> = (typeof SETTINGS)[K] extends Setting<infer T> ? T : never;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
