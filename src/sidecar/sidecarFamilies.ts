import { renderLabelText } from '../translate/labelText.ts';
import type { Family, Series, SeriesData } from '../model/family.ts';
import { REQUEST_DURATION_BOUNDS_SECONDS, type ReceiverStats } from '../otlp/receiver/receiverStats.ts';
import { SCRAPE_DURATION_BOUNDS_SECONDS, type ScrapeStats } from './scrapeStats.ts';
import { RESTORE_OUTCOMES, type StateStats } from '../outputs/state/StateKeeper.ts';

export const OTLP_REQUESTS_METRIC_NAME = 'otel_prom_bridge_otlp_requests_total';
export const OTLP_REQUEST_DURATION_METRIC_NAME = 'otel_prom_bridge_otlp_request_duration_seconds';
export const OTLP_DATA_POINTS_METRIC_NAME = 'otel_prom_bridge_otlp_data_points_total';
export const SERIES_METRIC_NAME = 'otel_prom_bridge_series';
export const SERIES_LIMIT_METRIC_NAME = 'otel_prom_bridge_series_limit';
export const SERIES_EXPIRED_METRIC_NAME = 'otel_prom_bridge_series_expired_total';
export const RETRIED_DELTA_POINTS_METRIC_NAME = 'otel_prom_bridge_retried_delta_points_total';
export const SCRAPES_METRIC_NAME = 'otel_prom_bridge_scrapes_total';
export const SCRAPE_DURATION_METRIC_NAME = 'otel_prom_bridge_scrape_duration_seconds';
export const SCRAPE_BYTES_METRIC_NAME = 'otel_prom_bridge_scrape_bytes_total';
export const METRICS_REQUESTS_REFUSED_METRIC_NAME = 'otel_prom_bridge_metrics_requests_refused_total';
export const BUILD_INFO_METRIC_NAME = 'otel_prom_bridge_build_info';
export const RESOURCE_LAST_PUSH_METRIC_NAME = 'otel_prom_bridge_resource_last_push_timestamp_seconds';
export const STATE_SNAPSHOTS_METRIC_NAME = 'otel_prom_bridge_state_snapshots_total';
export const STATE_SNAPSHOT_DURATION_METRIC_NAME = 'otel_prom_bridge_state_snapshot_duration_seconds';
export const STATE_SNAPSHOT_BYTES_METRIC_NAME = 'otel_prom_bridge_state_snapshot_bytes';
export const STATE_LAST_SNAPSHOT_METRIC_NAME = 'otel_prom_bridge_state_last_snapshot_timestamp_seconds';
export const STATE_RESTORES_METRIC_NAME = 'otel_prom_bridge_state_restores_total';

/** What the sidecar reports about itself besides the translation drops and prom-client's default metrics. */
export interface SidecarCounts {
  readonly stats: ReceiverStats;
  readonly seriesCount: number;
  readonly maxSeries: number;
  /** Metric series removed by expiry so far. */
  readonly expiredSeries: number;
  /** Delta points left out as repeats of windows added already (retried exports). */
  readonly retriedDeltaPoints: number;
  readonly scrapes: ScrapeStats;
  /** Requests to the metrics listener refused for missing or wrong credentials; undefined when it asks for none. */
  readonly unauthenticatedScrapes?: number | undefined;
  readonly version: string;
  readonly nodeVersion: string;
  /** When each pushing resource remembered (by the job and instance it becomes) last pushed; none once its series expired. */
  readonly resourceLastPushes?: readonly { readonly job: string; readonly instance: string; readonly lastPushMs: number }[] | undefined;
  /** The state keeper's figures; undefined without a state directory (then its families are left out). */
  readonly state?: StateStats | undefined;
}

type Labels = readonly (readonly [string, string])[];

/**
 * The sidecar's own metrics: OTLP requests by protocol and outcome, data points accepted and
 * refused, the series held against the limit and those expired, scrapes by format (count by
 * outcome; render duration and bytes of completed ones), metrics requests refused (with auth), the build and
 * when each pushing resource last pushed (labelled with its own `job` and `instance`, which
 * `honor_labels` keeps, so that it joins with the resource's series). Cardinality-limit hits are not repeated here: they are
 * `otel_prom_bridge_translation_dropped_total{reason="cardinality_limit"}`.
 */
export function buildSidecarFamilies(counts: SidecarCounts, nowMs: number): Family[] {
  const number = (labels: Labels, value: number) => sample(labels, { kind: 'number', value }, nowMs);
  const requests = counts.stats.requests().map(([protocol, outcome, value]) => number([['protocol', protocol], ['outcome', outcome]], value));
  const points = counts.stats.dataPoints().map(([protocol, outcome, value]) => number([['protocol', protocol], ['outcome', outcome]], value));
  const scrapes = counts.scrapes.byFormat();
  const families = [
    family(OTLP_REQUESTS_METRIC_NAME, 'counter', 'OTLP export requests received, by protocol and outcome.', requests),
    {
      ...family(
        OTLP_REQUEST_DURATION_METRIC_NAME,
        'histogram',
        'Time taken to answer OTLP export requests, by protocol and outcome: over HTTP from the arrival of the request (body read included), over gRPC from the message reaching the handler.',
        counts.stats.durations().map((d) =>
          sample([['outcome', d.outcome], ['protocol', d.protocol]], { kind: 'histogram', bounds: REQUEST_DURATION_BOUNDS_SECONDS, counts: d.counts, count: d.count, sum: d.sumSeconds }, nowMs),
        ),
      ),
      unit: 'seconds',
    },
    family(OTLP_DATA_POINTS_METRIC_NAME, 'counter', 'OTLP data points received, by protocol and whether they were accepted or refused.', points),
    family(SERIES_METRIC_NAME, 'gauge', 'Metric series the sidecar holds now (target_info not counted).', [number([], counts.seriesCount)]),
    family(SERIES_LIMIT_METRIC_NAME, 'gauge', 'The most metric series the sidecar holds; points that would create more are refused.', [number([], counts.maxSeries)]),
    family(SERIES_EXPIRED_METRIC_NAME, 'counter', 'Metric series removed because no point updated them for the metric expiration time.', [number([], counts.expiredSeries)]),
    family(
      RETRIED_DELTA_POINTS_METRIC_NAME,
      'counter',
      'Delta points recognised as a repeat of a window already added to their series (a retried export), accepted and not added again.',
      [number([], counts.retriedDeltaPoints)],
    ),
    family(
      SCRAPES_METRIC_NAME,
      'counter',
      'Scrapes of the metrics path answered, by exposition format and outcome: completed (written whole) or aborted (the client closed the connection first, or rendering failed).',
      scrapes.flatMap((s) => [number([['format', s.format], ['outcome', 'completed']], s.completed), number([['format', s.format], ['outcome', 'aborted']], s.aborted)]),
    ),
    {
      ...family(
        SCRAPE_DURATION_METRIC_NAME,
        'histogram',
        'Time taken to render a scrape of the metrics path and hand its last chunk to the connection, by exposition format; completed scrapes only.',
        scrapes.map((s) =>
          sample([['format', s.format]], { kind: 'histogram', bounds: SCRAPE_DURATION_BOUNDS_SECONDS, counts: s.durationCounts, count: s.completed, sum: s.durationSumSeconds }, nowMs),
        ),
      ),
      unit: 'seconds',
    },
    family(SCRAPE_BYTES_METRIC_NAME, 'counter', 'Bytes of exposition rendered for completed scrapes of the metrics path (before gzip), by exposition format.', scrapes.map((s) => number([['format', s.format]], s.bytes))),
    family(
      METRICS_REQUESTS_REFUSED_METRIC_NAME,
      'counter',
      'Requests to the metrics listener (the metrics path, the status page) refused, by reason; unauthenticated: missing or wrong credentials.',
      counts.unauthenticatedScrapes === undefined ? [] : [number([['reason', 'unauthenticated']], counts.unauthenticatedScrapes)],
    ),
    family(BUILD_INFO_METRIC_NAME, 'gauge', 'Always 1; the labels say which otel-prom-bridge version runs on which Node.js version.', [
      number([['node_version', counts.nodeVersion], ['version', counts.version]], 1),
    ]),
    {
      ...family(
        RESOURCE_LAST_PUSH_METRIC_NAME,
        'gauge',
        'When each resource pushing OTLP (by the job and instance its series carry) last pushed, in seconds since the epoch; gone once its series expire.',
        (counts.resourceLastPushes ?? []).map(({ job, instance, lastPushMs }) => number(resourceLabels(job, instance), lastPushMs / 1000)),
      ),
      unit: 'seconds',
    },
    ...(counts.state === undefined ? [] : buildStateFamilies(counts.state, number)),
  ];
  return families.filter((f) => f.series.size > 0);
}

/** The state directory's: snapshots written and failed, the last one's duration, size and time, the restore at start. */
function buildStateFamilies(state: StateStats, number: (labels: Labels, value: number) => Series): Family[] {
  const last = state.lastSnapshot;
  return [
    family(STATE_SNAPSHOTS_METRIC_NAME, 'counter', 'State snapshots of the series written to the state directory, by outcome: success or failure (the previous snapshot stays in place).', [
      number([['outcome', 'success']], state.snapshotsSucceeded),
      number([['outcome', 'failure']], state.snapshotsFailed),
    ]),
    { ...family(STATE_SNAPSHOT_DURATION_METRIC_NAME, 'gauge', 'Time the last state snapshot took to write, the event loop turning between its slices.', last === undefined ? [] : [number([], last.durationMs / 1000)]), unit: 'seconds' },
    { ...family(STATE_SNAPSHOT_BYTES_METRIC_NAME, 'gauge', 'Size of the last state snapshot written.', last === undefined ? [] : [number([], last.bytes)]), unit: 'bytes' },
    {
      ...family(STATE_LAST_SNAPSHOT_METRIC_NAME, 'gauge', 'When the last state snapshot was written, in seconds since the epoch.', last === undefined ? [] : [number([], last.atMs / 1000)]),
      unit: 'seconds',
    },
    family(
      STATE_RESTORES_METRIC_NAME,
      'counter',
      'Restores of the series from the state directory at start, by outcome: restored, none (no snapshot yet), corrupt, unsupported_version, unreadable, settings_changed (the last four start empty).',
      state.restore === undefined ? [] : RESTORE_OUTCOMES.map((outcome) => number([['outcome', outcome]], state.restore?.outcome === outcome ? 1 : 0)),
    ),
  ];
}

/** `job` and `instance` as the resource's series carry them: an empty one left out, as the store leaves it out. */
function resourceLabels(job: string, instance: string): Labels {
  const labels: [string, string][] = [];
  if (job !== '') labels.push(['job', job]);
  if (instance !== '') labels.push(['instance', instance]);
  return labels;
}

export function sample(labels: Labels, data: SeriesData, nowMs: number): Series {
  return { labels, labelText: renderLabelText(labels), data, timeMs: nowMs, startTimeMs: undefined };
}

export function family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string, series: Series[]): Family {
  return { name, type, help, unit: '', series: new Map(series.map((s) => [s.labelText, s])) };
}
