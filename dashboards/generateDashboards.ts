/**
 * The Grafana dashboards in this directory, as code: `node dashboards/generateDashboards.ts`
 * rewrites service-overview.json, runtime.json and otel-prom-bridge.json. A test checks that the
 * JSON files are what this writes, so edit here and regenerate.
 *
 * Every panel reads the `${datasource}` variable, has a unit, and filters by the `job` and
 * `instance` variables; the layout packs panels left to right in rows of 24 columns.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const SCHEMA_VERSION = 39;
const GRID_WIDTH = 24;

/** Grafana's unit ids used here. */
type Unit = 'reqps' | 'percentunit' | 's' | 'bytes' | 'short' | 'cps' | 'none';

/**
 * The alerts' thresholds (deploy/prometheus/otel-prom-bridge.rules.yml), drawn on the panels that
 * show the same quantity; test/deploy/alertRules.test.ts checks the rules use these numbers.
 */
export const ALERT_THRESHOLDS = {
  /** OtelPromBridgeSeriesLimitNear (warning) and OtelPromBridgeSeriesLimitReached (critical): series held over the limit. */
  seriesLimitNear: 0.8,
  seriesLimitReached: 1,
  /** OtelPromBridgePointsRefused: points left out for one reason over the points received. */
  pointsRefusedRatio: 0.01,
  /** OtelPromBridgeOtlpExportsFailing: exports answered with a failing outcome over all exports, per protocol. */
  exportsFailingRatio: 0.05,
  /** OtelPromBridgeScrapeSlow: p99 of the scrape duration, in seconds. */
  scrapeP99Seconds: 8,
  /** OtelPromBridgeResourceSilent: seconds since a job's last push. */
  silentSeconds: 180,
  /** OtelPromBridgeRemoteWriteDropping: samples dropped for one reason over the samples sent and dropped, per endpoint. */
  remoteWriteDroppedRatio: 0.01,
  /** OtelPromBridgeRemoteWriteBehind: seconds the newest sample an endpoint accepted is behind now (while samples wait in its queue). */
  remoteWriteLagSeconds: 300,
} as const;

/** A step where the panel turns `color`: orange for a warning alert's threshold, red for a critical one's. */
interface Threshold {
  readonly value: number;
  readonly color: 'orange' | 'red';
}

interface Target {
  readonly expr: string;
  readonly legend: string;
}

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly type: 'timeseries' | 'stat';
  readonly unit: Unit;
  readonly targets: readonly Target[];
  /** Columns, of 24. */
  readonly w: number;
  readonly h: number;
  readonly stack?: boolean;
  readonly max?: number;
  /** Shown instead of "No data" (a counter that has not moved yet). */
  readonly noValue?: string;
  /** Colours of a stat's value; dashed lines on a time series. Green below the first. */
  readonly thresholds?: readonly Threshold[];
}

/** A row header across the grid (Grafana's `row` panel, open): it titles the panels after it, up to the next row. */
interface RowSpec {
  readonly type: 'row';
  readonly title: string;
}

interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly file: string;
  /** The metric whose `job` and `instance` label values fill the variables. */
  readonly variableMetric: string;
  readonly panels: readonly (PanelSpec | RowSpec)[];
}

const SELECTOR = 'job=~"$job", instance=~"$instance"';
const sel = (extra = ''): string => `{${SELECTOR}${extra === '' ? '' : `, ${extra}`}}`;
const rate = (metric: string, extra = ''): string => `rate(${metric}${sel(extra)}[$__rate_interval])`;

// Service overview: the HTTP server semantic conventions.
const REQUESTS = 'http_server_request_duration_seconds_count';
const BUCKETS = 'http_server_request_duration_seconds_bucket';
const quantile = (q: number, by: string): string => `histogram_quantile(${q}, sum by (${by}) (${rate(BUCKETS)}))`;
/** Share of requests whose status matches, per `by`; 0 (not absent) where none matched. */
const statusRatio = (status: string, by: string): string => {
  const all = `sum by (${by}) (${rate(REQUESTS)})`;
  return `(sum by (${by}) (${rate(REQUESTS, `http_response_status_code=~"${status}"`)}) or ${all} * 0) / ${all}`;
};

const serviceOverview: DashboardSpec = {
  uid: 'otel-prom-bridge-services',
  title: 'Service overview (OpenTelemetry HTTP)',
  description: 'Request rate, errors and latency of HTTP services from the OpenTelemetry HTTP semantic conventions (http.server.request.duration, http.server.active_requests), as pushed through otel-prom-bridge.',
  file: 'service-overview.json',
  variableMetric: REQUESTS,
  panels: [
    { title: 'Request rate', description: 'Requests per second answered, all routes.', type: 'stat', unit: 'reqps', w: 6, h: 4, targets: [{ expr: `sum(${rate(REQUESTS)})`, legend: 'requests/s' }] },
    {
      title: 'Error ratio (5xx)',
      description: 'Share of requests answered with a 5xx status.',
      type: 'stat',
      unit: 'percentunit',
      w: 6,
      h: 4,
      targets: [{ expr: `(sum(${rate(REQUESTS, 'http_response_status_code=~"5.."')}) or sum(${rate(REQUESTS)}) * 0) / sum(${rate(REQUESTS)})`, legend: '5xx' }],
    },
    { title: 'p95 latency', description: '95th percentile of http.server.request.duration, all routes.', type: 'stat', unit: 's', w: 6, h: 4, targets: [{ expr: quantile(0.95, 'le'), legend: 'p95' }] },
    { title: 'Active requests', description: 'Requests in progress now (http.server.active_requests).', type: 'stat', unit: 'short', w: 6, h: 4, targets: [{ expr: `sum(http_server_active_requests${sel()})`, legend: 'active' }] },
    {
      title: 'Request rate by route',
      description: 'Requests per second by http.route and method; requests that matched no route have no http_route.',
      type: 'timeseries',
      unit: 'reqps',
      w: 12,
      h: 8,
      targets: [{ expr: `sum by (http_request_method, http_route) (${rate(REQUESTS)})`, legend: '{{http_request_method}} {{http_route}}' }],
    },
    {
      title: 'Request rate by status code',
      description: 'Requests per second by http.response.status_code, stacked.',
      type: 'timeseries',
      unit: 'reqps',
      w: 12,
      h: 8,
      stack: true,
      targets: [{ expr: `sum by (http_response_status_code) (${rate(REQUESTS)})`, legend: '{{http_response_status_code}}' }],
    },
    { title: 'Server error ratio (5xx) by route', description: 'Share of each route\'s requests answered with 5xx.', type: 'timeseries', unit: 'percentunit', w: 12, h: 8, max: 1, targets: [{ expr: statusRatio('5..', 'http_route'), legend: '{{http_route}}' }] },
    { title: 'Client error ratio (4xx) by route', description: 'Share of each route\'s requests answered with 4xx.', type: 'timeseries', unit: 'percentunit', w: 12, h: 8, max: 1, targets: [{ expr: statusRatio('4..', 'http_route'), legend: '{{http_route}}' }] },
    {
      title: 'Latency p50 / p95 / p99',
      description: 'Percentiles of http.server.request.duration over all routes (from the histogram buckets).',
      type: 'timeseries',
      unit: 's',
      w: 12,
      h: 8,
      targets: [
        { expr: quantile(0.5, 'le'), legend: 'p50' },
        { expr: quantile(0.95, 'le'), legend: 'p95' },
        { expr: quantile(0.99, 'le'), legend: 'p99' },
      ],
    },
    { title: 'p95 latency by route', description: '95th percentile of http.server.request.duration per http.route.', type: 'timeseries', unit: 's', w: 12, h: 8, targets: [{ expr: quantile(0.95, 'le, http_route'), legend: '{{http_route}}' }] },
    { title: 'p99 latency by route', description: '99th percentile of http.server.request.duration per http.route.', type: 'timeseries', unit: 's', w: 12, h: 8, targets: [{ expr: quantile(0.99, 'le, http_route'), legend: '{{http_route}}' }] },
    {
      title: 'Mean latency by route',
      description: 'Mean http.server.request.duration per http.route (sum over count).',
      type: 'timeseries',
      unit: 's',
      w: 12,
      h: 8,
      targets: [{ expr: `sum by (http_route) (${rate('http_server_request_duration_seconds_sum')}) / sum by (http_route) (${rate(REQUESTS)})`, legend: '{{http_route}}' }],
    },
    { title: 'Request rate by job / instance', description: 'Requests per second for each service (job) and instance.', type: 'timeseries', unit: 'reqps', w: 12, h: 8, targets: [{ expr: `sum by (job, instance) (${rate(REQUESTS)})`, legend: '{{job}} {{instance}}' }] },
    { title: 'Active requests by job / instance', description: 'http.server.active_requests for each service and instance.', type: 'timeseries', unit: 'short', w: 12, h: 8, targets: [{ expr: `sum by (job, instance) (http_server_active_requests${sel()})`, legend: '{{job}} {{instance}}' }] },
    {
      title: 'Time since last push',
      description:
        'Seconds since each instance last pushed OTLP metrics to the bridge (otel_prom_bridge_resource_last_push_timestamp_seconds, which carries the pushing resource\'s job and instance). A job none of whose instances pushed for longer than the dashed line fires OtelPromBridgeResourceSilent; an instance leaves once its series expire.',
      type: 'timeseries',
      unit: 's',
      w: 24,
      h: 8,
      thresholds: [{ value: ALERT_THRESHOLDS.silentSeconds, color: 'orange' }],
      targets: [{ expr: `time() - max by (job, instance) (otel_prom_bridge_resource_last_push_timestamp_seconds${sel()})`, legend: '{{job}} {{instance}}' }],
    },
  ],
};

// Runtime: the process, V8 JS and Node.js runtime semantic conventions.
const runtime: DashboardSpec = {
  uid: 'otel-prom-bridge-runtime',
  title: 'Runtime (OpenTelemetry process and Node.js)',
  description: 'Process CPU and memory, V8 heap and the Node.js event loop, from the OpenTelemetry runtime semantic conventions (process.cpu.time, process.memory.usage, v8js.memory.heap.*, nodejs.eventloop.*).',
  file: 'runtime.json',
  variableMetric: 'process_cpu_time_seconds_total',
  panels: [
    { title: 'CPU', description: 'CPU time per second (1 = one core), all modes.', type: 'stat', unit: 'percentunit', w: 6, h: 4, targets: [{ expr: `sum(${rate('process_cpu_time_seconds_total')})`, legend: 'cpu' }] },
    { title: 'Resident memory', description: 'process.memory.usage (resident set size), summed over the selected instances.', type: 'stat', unit: 'bytes', w: 6, h: 4, targets: [{ expr: `sum(process_memory_usage_bytes${sel()})`, legend: 'rss' }] },
    { title: 'V8 heap used', description: 'v8js.memory.heap.used over every heap space.', type: 'stat', unit: 'bytes', w: 6, h: 4, targets: [{ expr: `sum(v8js_memory_heap_used_bytes${sel()})`, legend: 'heap used' }] },
    { title: 'Event loop p99 delay', description: 'Largest nodejs.eventloop.delay.p99 among the selected instances.', type: 'stat', unit: 's', w: 6, h: 4, targets: [{ expr: `max(nodejs_eventloop_delay_p99_seconds${sel()})`, legend: 'p99' }] },
    { title: 'CPU by mode', description: 'process.cpu.time per second by cpu.mode (user, system), stacked; 1 = one core.', type: 'timeseries', unit: 'percentunit', w: 12, h: 8, stack: true, targets: [{ expr: `sum by (cpu_mode) (${rate('process_cpu_time_seconds_total')})`, legend: '{{cpu_mode}}' }] },
    { title: 'CPU by job / instance', description: 'process.cpu.time per second for each instance; 1 = one core.', type: 'timeseries', unit: 'percentunit', w: 12, h: 8, targets: [{ expr: `sum by (job, instance) (${rate('process_cpu_time_seconds_total')})`, legend: '{{job}} {{instance}}' }] },
    { title: 'Resident memory by job / instance', description: 'process.memory.usage: physical memory in use.', type: 'timeseries', unit: 'bytes', w: 12, h: 8, targets: [{ expr: `sum by (job, instance) (process_memory_usage_bytes${sel()})`, legend: '{{job}} {{instance}}' }] },
    {
      title: 'V8 heap used and allocated',
      description: 'v8js.memory.heap.used and v8js.memory.heap.limit (the size V8 allocated for the heap spaces) per instance.',
      type: 'timeseries',
      unit: 'bytes',
      w: 12,
      h: 8,
      targets: [
        { expr: `sum by (job, instance) (v8js_memory_heap_used_bytes${sel()})`, legend: 'used {{instance}}' },
        { expr: `sum by (job, instance) (v8js_memory_heap_limit_bytes${sel()})`, legend: 'allocated {{instance}}' },
      ],
    },
    { title: 'V8 heap used by space', description: 'v8js.memory.heap.used by v8js.heap.space.name (spaces in use), stacked.', type: 'timeseries', unit: 'bytes', w: 12, h: 8, stack: true, targets: [{ expr: `sum by (v8js_heap_space_name) (v8js_memory_heap_used_bytes${sel()}) > 0`, legend: '{{v8js_heap_space_name}}' }] },
    {
      title: 'Event loop delay',
      description: 'nodejs.eventloop.delay p50, p90, p99 and max since the previous export, worst instance.',
      type: 'timeseries',
      unit: 's',
      w: 12,
      h: 8,
      targets: (['p50', 'p90', 'p99', 'max'] as const).map((stat) => ({ expr: `max(nodejs_eventloop_delay_${stat}_seconds${sel()})`, legend: stat })),
    },
    { title: 'Event loop utilization', description: 'nodejs.eventloop.utilization: share of time the event loop was busy, per instance.', type: 'timeseries', unit: 'percentunit', w: 12, h: 8, max: 1, targets: [{ expr: `max by (job, instance) (nodejs_eventloop_utilization_ratio${sel()})`, legend: '{{job}} {{instance}}' }] },
    {
      title: 'Event loop delay mean by instance',
      description: 'nodejs.eventloop.delay.mean and stddev per instance.',
      type: 'timeseries',
      unit: 's',
      w: 12,
      h: 8,
      targets: [
        { expr: `max by (job, instance) (nodejs_eventloop_delay_mean_seconds${sel()})`, legend: 'mean {{instance}}' },
        { expr: `max by (job, instance) (nodejs_eventloop_delay_stddev_seconds${sel()})`, legend: 'stddev {{instance}}' },
      ],
    },
    {
      title: 'GC time',
      description: 'Share of time spent in garbage collection per instance and v8js.gc.type (v8js.gc.duration: seconds of collection per second), from SDKs that record it (the runtime-node instrumentation).',
      type: 'timeseries',
      unit: 'percentunit',
      w: 12,
      h: 8,
      targets: [{ expr: `sum by (job, instance, v8js_gc_type) (${rate('v8js_gc_duration_seconds_sum')})`, legend: '{{v8js_gc_type}} {{instance}}' }],
    },
  ],
};

// The bridge's own metrics (otel_prom_bridge_*, and prom-client's process_* and nodejs_*).
const REFUSED = 'outcome!="success"';
const POINTS = 'otel_prom_bridge_otlp_data_points_total';
const EXPORTS = 'otel_prom_bridge_otlp_requests_total';
const RW_SAMPLES_SENT = 'otel_prom_bridge_remote_write_samples_sent_total';
const RW_SAMPLES_DROPPED = 'otel_prom_bridge_remote_write_samples_dropped_total';
const bridge: DashboardSpec = {
  uid: 'otel-prom-bridge-self',
  title: 'otel-prom-bridge',
  description: 'The bridge itself: OTLP ingest and refusals, series held against the limit, expiry, drops, scrape cost, its own CPU and memory, and remote write.',
  file: 'otel-prom-bridge.json',
  variableMetric: 'otel_prom_bridge_build_info',
  panels: [
    { title: 'Series held', description: 'otel_prom_bridge_series: metric series held now (target_info not counted).', type: 'stat', unit: 'short', w: 5, h: 4, targets: [{ expr: `sum(otel_prom_bridge_series${sel()})`, legend: 'series' }] },
    {
      title: 'Series limit used',
      description: 'Series held over the limit (--max-series); at 100% new series are refused. Orange from 80% (OtelPromBridgeSeriesLimitNear), red at 100% (OtelPromBridgeSeriesLimitReached).',
      type: 'stat',
      unit: 'percentunit',
      w: 5,
      h: 4,
      max: 1,
      thresholds: [
        { value: ALERT_THRESHOLDS.seriesLimitNear, color: 'orange' },
        { value: ALERT_THRESHOLDS.seriesLimitReached, color: 'red' },
      ],
      targets: [{ expr: `sum(otel_prom_bridge_series${sel()}) / sum(otel_prom_bridge_series_limit${sel()})`, legend: 'used' }],
    },
    { title: 'OTLP exports', description: 'OTLP export requests received per second, every protocol and outcome.', type: 'stat', unit: 'reqps', w: 5, h: 4, targets: [{ expr: `sum(${rate('otel_prom_bridge_otlp_requests_total')})`, legend: 'exports/s' }] },
    {
      title: 'Points refused',
      description: 'Share of the OTLP data points received that were refused (otel_prom_bridge_otlp_data_points_total); orange from 1%, where OtelPromBridgePointsRefused fires for one reason.',
      type: 'stat',
      unit: 'percentunit',
      w: 5,
      h: 4,
      thresholds: [{ value: ALERT_THRESHOLDS.pointsRefusedRatio, color: 'orange' }],
      targets: [{ expr: `(sum(${rate(POINTS, 'outcome="rejected"')}) or sum(${rate(POINTS)}) * 0) / sum(${rate(POINTS)})`, legend: 'refused' }],
    },
    { title: 'Version', description: 'otel_prom_bridge_build_info: the bridge and Node.js versions running.', type: 'stat', unit: 'none', w: 4, h: 4, targets: [{ expr: `max by (version, node_version) (otel_prom_bridge_build_info${sel()})`, legend: '{{version}} (Node.js {{node_version}})' }] },
    { title: 'OTLP exports by protocol and outcome', description: 'otel_prom_bridge_otlp_requests_total per second.', type: 'timeseries', unit: 'reqps', w: 12, h: 8, targets: [{ expr: `sum by (protocol, outcome) (${rate('otel_prom_bridge_otlp_requests_total')})`, legend: '{{protocol}} {{outcome}}' }] },
    {
      title: 'Refused OTLP exports by reason',
      description: 'Exports not wholly accepted, by outcome: partial_success (some points refused), malformed, unsupported_media_type, too_large, overloaded, draining, internal_error.',
      type: 'timeseries',
      unit: 'reqps',
      w: 12,
      h: 8,
      noValue: '0',
      targets: [{ expr: `sum by (protocol, outcome) (${rate('otel_prom_bridge_otlp_requests_total', REFUSED)})`, legend: '{{protocol}} {{outcome}}' }],
    },
    {
      title: 'Failed OTLP exports (share)',
      description: 'Share of each protocol\'s exports answered with a failing outcome (all but success and partial_success); OtelPromBridgeOtlpExportsFailing fires above the dashed line for 10 minutes.',
      type: 'timeseries',
      unit: 'percentunit',
      w: 12,
      h: 8,
      noValue: '0',
      thresholds: [{ value: ALERT_THRESHOLDS.exportsFailingRatio, color: 'orange' }],
      targets: [
        {
          expr: `sum by (protocol, outcome) (${rate(EXPORTS, 'outcome!~"success|partial_success"')}) / on (protocol) group_left () sum by (protocol) (${rate(EXPORTS)})`,
          legend: '{{protocol}} {{outcome}}',
        },
      ],
    },
    {
      title: 'OTLP ingest latency',
      description: 'Time to answer an OTLP export, p50 and p99 by protocol (otel_prom_bridge_otlp_request_duration_seconds): over HTTP from the request\'s arrival, over gRPC from the message reaching the handler.',
      type: 'timeseries',
      unit: 's',
      w: 12,
      h: 8,
      targets: [
        { expr: `histogram_quantile(0.5, sum by (le, protocol) (${rate('otel_prom_bridge_otlp_request_duration_seconds_bucket')}))`, legend: 'p50 {{protocol}}' },
        { expr: `histogram_quantile(0.99, sum by (le, protocol) (${rate('otel_prom_bridge_otlp_request_duration_seconds_bucket')}))`, legend: 'p99 {{protocol}}' },
      ],
    },
    { title: 'Data points accepted and refused', description: 'otel_prom_bridge_otlp_data_points_total per second.', type: 'timeseries', unit: 'cps', w: 12, h: 8, targets: [{ expr: `sum by (protocol, outcome) (${rate('otel_prom_bridge_otlp_data_points_total')})`, legend: '{{protocol}} {{outcome}}' }] },
    {
      title: 'Dropped by reason',
      description: 'otel_prom_bridge_translation_dropped_total per second: what translation left out (cardinality_limit, type_conflict, out_of_order, ...).',
      type: 'timeseries',
      unit: 'cps',
      w: 12,
      h: 8,
      noValue: '0',
      targets: [{ expr: `sum by (reason) (${rate('otel_prom_bridge_translation_dropped_total')})`, legend: '{{reason}}' }],
    },
    {
      title: 'Refusal ratio by reason',
      description: 'Points left out for each reason over the OTLP data points received (profiling_field_ignored, which loses nothing, left out); OtelPromBridgePointsRefused fires above the dashed line for 15 minutes.',
      type: 'timeseries',
      unit: 'percentunit',
      w: 12,
      h: 8,
      noValue: '0',
      thresholds: [{ value: ALERT_THRESHOLDS.pointsRefusedRatio, color: 'orange' }],
      targets: [
        {
          expr: `sum by (reason) (${rate('otel_prom_bridge_translation_dropped_total', 'reason!="profiling_field_ignored"')}) / on () group_left () sum (${rate(POINTS)})`,
          legend: '{{reason}}',
        },
      ],
    },
    {
      title: 'Series held and limit',
      description: 'otel_prom_bridge_series against otel_prom_bridge_series_limit.',
      type: 'timeseries',
      unit: 'short',
      w: 12,
      h: 8,
      targets: [
        { expr: `sum by (instance) (otel_prom_bridge_series${sel()})`, legend: 'held {{instance}}' },
        { expr: `sum by (instance) (otel_prom_bridge_series_limit${sel()})`, legend: 'limit {{instance}}' },
      ],
    },
    {
      title: 'Cardinality-limit hits',
      description: 'Points refused per second because they would have created a series past the limit (reason="cardinality_limit").',
      type: 'timeseries',
      unit: 'cps',
      w: 12,
      h: 8,
      noValue: '0',
      targets: [{ expr: `sum by (instance) (${rate('otel_prom_bridge_translation_dropped_total', 'reason="cardinality_limit"')})`, legend: '{{instance}}' }],
    },
    { title: 'Series expired', description: 'otel_prom_bridge_series_expired_total per second: series no point updated for the expiration time.', type: 'timeseries', unit: 'cps', w: 12, h: 8, targets: [{ expr: `sum by (instance) (${rate('otel_prom_bridge_series_expired_total')})`, legend: '{{instance}}' }] },
    {
      title: 'Scrape duration',
      description: 'Time to collect and render a completed scrape, p50 and p99 by format (otel_prom_bridge_scrape_duration_seconds); OtelPromBridgeScrapeSlow fires when the p99 stays above the dashed line (8 s, near the default 10 s scrape timeout) for 15 minutes.',
      type: 'timeseries',
      unit: 's',
      w: 12,
      h: 8,
      thresholds: [{ value: ALERT_THRESHOLDS.scrapeP99Seconds, color: 'orange' }],
      targets: [
        { expr: `histogram_quantile(0.5, sum by (le, format) (${rate('otel_prom_bridge_scrape_duration_seconds_bucket')}))`, legend: 'p50 {{format}}' },
        { expr: `histogram_quantile(0.99, sum by (le, format) (${rate('otel_prom_bridge_scrape_duration_seconds_bucket')}))`, legend: 'p99 {{format}}' },
      ],
    },
    {
      title: 'Scrape size',
      description: 'Bytes rendered per completed scrape, before gzip (otel_prom_bridge_scrape_bytes_total over otel_prom_bridge_scrapes_total{outcome="completed"}).',
      type: 'timeseries',
      unit: 'bytes',
      w: 12,
      h: 8,
      targets: [{ expr: `sum by (format) (${rate('otel_prom_bridge_scrape_bytes_total')}) / sum by (format) (${rate('otel_prom_bridge_scrapes_total', 'outcome="completed"')})`, legend: '{{format}}' }],
    },
    {
      title: 'Memory',
      description: 'The bridge\'s resident memory and V8 heap (prom-client\'s process_resident_memory_bytes, nodejs_heap_size_*).',
      type: 'timeseries',
      unit: 'bytes',
      w: 12,
      h: 8,
      targets: [
        { expr: `sum by (instance) (process_resident_memory_bytes${sel()})`, legend: 'resident {{instance}}' },
        { expr: `sum by (instance) (nodejs_heap_size_used_bytes${sel()})`, legend: 'heap used {{instance}}' },
        { expr: `sum by (instance) (nodejs_heap_size_total_bytes${sel()})`, legend: 'heap total {{instance}}' },
      ],
    },
    { title: 'CPU', description: 'The bridge\'s CPU time per second (process_cpu_seconds_total); 1 = one core.', type: 'timeseries', unit: 'percentunit', w: 12, h: 8, targets: [{ expr: `sum by (instance) (${rate('process_cpu_seconds_total')})`, legend: '{{instance}}' }] },
    { title: 'Event loop lag p99', description: 'The bridge\'s event loop lag, p99 (nodejs_eventloop_lag_p99_seconds); exports are refused above --max-event-loop-delay.', type: 'timeseries', unit: 's', w: 12, h: 8, targets: [{ expr: `max by (instance) (nodejs_eventloop_lag_p99_seconds${sel()})`, legend: '{{instance}}' }] },
    {
      title: 'GC time',
      description: 'Share of time the bridge spent in garbage collection, by kind (prom-client\'s nodejs_gc_duration_seconds: seconds of collection per second).',
      type: 'timeseries',
      unit: 'percentunit',
      w: 12,
      h: 8,
      targets: [{ expr: `sum by (instance, kind) (${rate('nodejs_gc_duration_seconds_sum')})`, legend: '{{kind}} {{instance}}' }],
    },
    // Remote write (remote_write set): one series per endpoint, `endpoint` its name; empty without endpoints.
    { type: 'row', title: 'Remote write' },
    {
      title: 'Remote write: samples sent',
      description: 'Samples (stale markers included) and native histograms per second the remote-write endpoint accepted (otel_prom_bridge_remote_write_samples_sent_total, _histograms_sent_total), per endpoint.',
      type: 'timeseries',
      unit: 'cps',
      w: 12,
      h: 8,
      targets: [
        { expr: `sum by (endpoint) (${rate(RW_SAMPLES_SENT)})`, legend: 'samples {{endpoint}}' },
        { expr: `sum by (endpoint) (${rate('otel_prom_bridge_remote_write_histograms_sent_total')})`, legend: 'histograms {{endpoint}}' },
      ],
    },
    {
      title: 'Remote write: samples dropped by reason',
      description:
        'Samples per second that never reached the endpoint (otel_prom_bridge_remote_write_samples_dropped_total) by reason: queue_full (the oldest pushed out of a full queue), http_4xx and http_429 (refused, not retried), shutdown (still queued at stop, without state_dir), encode_error. OtelPromBridgeRemoteWriteDropping fires when one reason takes more than 1% of an endpoint\'s samples for 15 minutes.',
      type: 'timeseries',
      unit: 'cps',
      w: 12,
      h: 8,
      noValue: '0',
      targets: [{ expr: `sum by (endpoint, reason) (${rate(RW_SAMPLES_DROPPED)})`, legend: '{{endpoint}} {{reason}}' }],
    },
    {
      title: 'Remote write: samples retried',
      description: 'Samples per second sent again after a request failed in a way worth retrying (5xx, 429, no answer), once per retry (otel_prom_bridge_remote_write_samples_retried_total); and the requests by outcome (otel_prom_bridge_remote_write_requests_total).',
      type: 'timeseries',
      unit: 'cps',
      w: 12,
      h: 8,
      noValue: '0',
      targets: [
        { expr: `sum by (endpoint) (${rate('otel_prom_bridge_remote_write_samples_retried_total')})`, legend: 'samples {{endpoint}}' },
        { expr: `sum by (endpoint, outcome) (${rate('otel_prom_bridge_remote_write_requests_total')})`, legend: 'requests {{outcome}} {{endpoint}}' },
      ],
    },
    {
      title: 'Remote write: queue',
      description: 'Samples queued for the endpoint, not yet in a request (otel_prom_bridge_remote_write_queue_samples); each shard holds queue_config.capacity (10,000) at most, then the oldest are dropped (queue_full).',
      type: 'timeseries',
      unit: 'short',
      w: 12,
      h: 8,
      targets: [{ expr: `sum by (endpoint) (otel_prom_bridge_remote_write_queue_samples${sel()})`, legend: '{{endpoint}}' }],
    },
    {
      title: 'Remote write: shards',
      description: 'Requests the endpoint may have in flight at once (otel_prom_bridge_remote_write_shards), between queue_config.min_shards and max_shards.',
      type: 'timeseries',
      unit: 'short',
      w: 8,
      h: 8,
      targets: [{ expr: `max by (endpoint) (otel_prom_bridge_remote_write_shards${sel()})`, legend: '{{endpoint}}' }],
    },
    {
      title: 'Remote write: lag',
      description:
        'How far behind now the newest sample the endpoint accepted is (otel_prom_bridge_remote_write_lag_seconds): in step it stays below about remote_write_interval plus the SDKs\' export interval. OtelPromBridgeRemoteWriteBehind fires above the dashed line (5 minutes) while samples wait in the queue, for 10 minutes.',
      type: 'timeseries',
      unit: 's',
      w: 8,
      h: 8,
      thresholds: [{ value: ALERT_THRESHOLDS.remoteWriteLagSeconds, color: 'orange' }],
      targets: [{ expr: `max by (endpoint) (otel_prom_bridge_remote_write_lag_seconds${sel()})`, legend: '{{endpoint}}' }],
    },
    {
      title: 'Remote write: 2.0 → 1.0 fallbacks',
      description: 'Times per second an endpoint set to remote write 2.0 showed it takes only 1.0 (415, or 2xx without the X-Prometheus-Remote-Write-*-Written headers), and 1.0 was sent instead (otel_prom_bridge_remote_write_protocol_fallbacks_total).',
      type: 'timeseries',
      unit: 'cps',
      w: 8,
      h: 8,
      noValue: '0',
      targets: [{ expr: `sum by (endpoint) (${rate('otel_prom_bridge_remote_write_protocol_fallbacks_total')})`, legend: '{{endpoint}}' }],
    },
  ],
};

export const DASHBOARDS: readonly DashboardSpec[] = [serviceOverview, runtime, bridge];

function variable(name: string, label: string, definition: string): Record<string, unknown> {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition,
    query: { qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    includeAll: true,
    multi: true,
    sort: 1,
    current: {},
    options: [],
    hide: 0,
    regex: '',
    skipUrlSync: false,
  };
}

function renderPanel(spec: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    unit: spec.unit,
    color: { mode: spec.type === 'stat' ? 'thresholds' : 'palette-classic' },
    thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, ...(spec.thresholds ?? []).map(({ color, value }) => ({ color, value }))] },
    ...(spec.type === 'timeseries' ? { min: 0 } : {}),
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ...(spec.noValue === undefined ? {} : { noValue: spec.noValue }),
  };
  if (spec.type === 'timeseries') {
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stack === true ? 30 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: spec.stack === true ? 'normal' : 'none', group: 'A' },
      ...(spec.thresholds === undefined ? {} : { thresholdsStyle: { mode: 'dashed' } }),
    };
  }
  const options =
    spec.type === 'stat'
      ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', justifyMode: 'auto', orientation: 'auto', textMode: spec.unit === 'none' ? 'name' : 'auto' }
      : { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } };
  return {
    id,
    type: spec.type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults, overrides: [] },
    options,
    targets: spec.targets.map((target, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: target.expr,
      legendFormat: target.legend,
      range: spec.type === 'timeseries',
      instant: spec.type === 'stat',
      editorMode: 'code',
    })),
  };
}

/** The dashboard's JSON model, as Grafana's file provisioning reads it. */
export function renderDashboard(spec: DashboardSpec): Record<string, unknown> {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((panel, i) => {
    if (panel.type === 'row') {
      y += rowHeight;
      const gridPos = { x: 0, y, w: GRID_WIDTH, h: 1 };
      x = 0;
      y += 1;
      rowHeight = 0;
      return { id: i + 1, type: 'row', title: panel.title, collapsed: false, gridPos, panels: [] };
    }
    if (x + panel.w > GRID_WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: panel.w, h: panel.h };
    x += panel.w;
    rowHeight = Math.max(rowHeight, panel.h);
    return renderPanel(panel, i + 1, gridPos);
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['otel-prom-bridge', 'opentelemetry'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: { from: 'now-30m', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: [{ title: 'otel-prom-bridge dashboards', type: 'dashboards', tags: ['otel-prom-bridge'], asDropdown: true, includeVars: true, keepTime: true }],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, includeAll: false, multi: false, options: [], refresh: 1, regex: '', skipUrlSync: false },
        // The overflow series (otel_metric_overflow="true", past max_series) belongs to no job: Prometheus gives it the scrape job.
        variable('job', 'Job', `label_values(${spec.variableMetric}{otel_metric_overflow!="true"}, job)`),
        variable('instance', 'Instance', `label_values(${spec.variableMetric}{job=~"$job"}, instance)`),
      ],
    },
    panels,
  };
}

/** The file's text: 2-space JSON and a final newline. */
export function renderDashboardFile(spec: DashboardSpec): string {
  return `${JSON.stringify(renderDashboard(spec), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const spec of DASHBOARDS) {
    const path = fileURLToPath(new URL(spec.file, import.meta.url));
    writeFileSync(path, renderDashboardFile(spec));
    process.stdout.write(`wrote ${path} (${spec.panels.length} panels)\n`);
  }
}
