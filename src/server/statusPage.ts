import { formatByteSize } from '../config/byteSize.ts';
import { formatDuration } from '../config/duration.ts';
import { formatElapsed } from './formatElapsed.ts';
import { escapeHtml } from './landingPage.ts';
import type { HistogramBucketWarning, RefusedRequests, RemoteWriteStatus, ResourceStatus, StateKeepingStatus, StatusSettings, StatusSummary } from './statusSummary.ts';

/** Where buildServer serves the summary as JSON, for machines. */
export const STATUS_JSON_PATH = '/api/v1/status';

/** Rows the page shows at most (sorted by job, instance); the JSON has them all. */
export const MAX_RESOURCE_ROWS = 1000;

/**
 * No scripts, nothing from elsewhere: a value the escaping missed still could not run. The inline
 * style and the empty `data:` icon (which spares the browser a request for /favicon.ico) are allowed.
 */
export const STATUS_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin-bottom:1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
ul.refusals{margin:0;padding-left:1rem;font-size:.9em}
p.warning{margin:0 0 .3rem;color:#a40;font-weight:600}
.muted{color:#666}`;

/**
 * The sidecar's status page at `/`, for a person debugging it: version, state, uptime, links,
 * the resources pushing to it and the settings that shape its output. Server-rendered, every
 * dynamic value escaped; reloading the page refreshes it.
 */
export function renderStatusPage(summary: StatusSummary): string {
  const { settings } = summary;
  const path = escapeHtml(settings.metricsPath);
  const uptime = summary.startedAtMs === undefined ? 'not started' : `up ${formatElapsed(summary.nowMs - summary.startedAtMs)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>otel-prom-bridge status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>otel-prom-bridge</h1>
<p>Version ${escapeHtml(summary.version)} on Node.js ${escapeHtml(summary.nodeVersion)} · <strong id="state">${escapeHtml(summary.state)}</strong> · ${escapeHtml(uptime)}</p>
<ul>
<li><a href="${path}">${path}</a> — metrics</li>
<li><a href="/-/healthy">/-/healthy</a> — liveness</li>
<li><a href="/-/ready">/-/ready</a> — readiness</li>
<li><a href="${STATUS_JSON_PATH}">${STATUS_JSON_PATH}</a> — this page as JSON</li>
</ul>
<h2>Resources pushing</h2>
${renderResources(summary.resources, summary.nowMs)}
<h2>Requests refused whole</h2>
${renderRefusedRequests(summary.refusedRequests, summary.nowMs)}
<h2>Histogram buckets</h2>
${renderBucketWarnings(summary.histogramBucketWarnings ?? [], summary.nowMs)}
<h2>State across restarts</h2>
${renderStateKeeping(summary.stateKeeping, summary.nowMs)}
<h2>Remote write</h2>
${renderRemoteWrite(summary.remoteWrite ?? [], summary.nowMs)}
<h2>Settings</h2>
${renderSettings(settings, summary.seriesHeld)}
</body>
</html>
`;
}

function renderResources(resources: readonly ResourceStatus[], nowMs: number): string {
  if (resources.length === 0) {
    return '<p id="no-resources" class="muted">No resource has pushed metrics yet, or the series of every one have expired.</p>';
  }
  const shown = resources.slice(0, MAX_RESOURCE_ROWS);
  const rows = shown.map((resource) => renderResource(resource, nowMs)).join('\n');
  const more = resources.length - shown.length;
  const note = more > 0 ? `\n<p class="muted">${more} more resources are not shown; <a href="${STATUS_JSON_PATH}">${STATUS_JSON_PATH}</a> lists them all.</p>` : '';
  return `<table id="resources">
<thead><tr><th>job</th><th>instance</th><th>series held</th><th>last push</th><th>pushes</th><th>points accepted</th><th>points refused</th><th>recent refusals</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>${note}`;
}

function renderResource(resource: ResourceStatus, nowMs: number): string {
  const lastPush =
    resource.lastPushMs === undefined
      ? '<span class="muted">—</span>'
      : `<time datetime="${escapeHtml(isoTime(resource.lastPushMs))}">${escapeHtml(formatElapsed(nowMs - resource.lastPushMs))} ago</time>`;
  const refusals =
    resource.recentRefusals.length === 0 ? '' : `<ul class="refusals">${resource.recentRefusals.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('')}</ul>`;
  const writers = resource.multipleWriters
    ? '<p class="warning multiple-writers">Several writers push these series under one identity: give each a distinct <code>service.instance.id</code>.</p>'
    : '';
  return [
    '<tr>',
    `<td>${textOrNone(resource.job)}</td>`,
    `<td>${textOrNone(resource.instance)}</td>`,
    `<td class="n">${formatCount(resource.seriesHeld)}</td>`,
    `<td>${lastPush}</td>`,
    `<td class="n">${formatCount(resource.pushes)}</td>`,
    `<td class="n">${formatCount(resource.acceptedPoints)}</td>`,
    `<td class="n">${formatCount(resource.refusedPoints)}</td>`,
    `<td>${writers}${refusals}</td>`,
    '</tr>',
  ].join('');
}

/** Refusals no resource can be named for (the body was not read, or could not be): counts and the latest messages. */
function renderRefusedRequests(refused: RefusedRequests | undefined, nowMs: number): string {
  const counts = Object.entries(refused?.byOutcome ?? {});
  if (refused === undefined || counts.length === 0) return '<p id="no-refused-requests" class="muted">No OTLP request has been refused whole.</p>';
  const countRows = counts.map(([what, count]) => `<tr><td>${escapeHtml(what)}</td><td class="n">${formatCount(count)}</td></tr>`).join('\n');
  const recentRows = [...refused.recent]
    .reverse()
    .map(
      (refusal) =>
        `<tr><td><time datetime="${escapeHtml(isoTime(refusal.atMs))}">${escapeHtml(formatElapsed(nowMs - refusal.atMs))} ago</time></td><td>${escapeHtml(refusal.protocol)}</td><td>${escapeHtml(refusal.outcome)}</td><td>${escapeHtml(refusal.message)}</td></tr>`,
    )
    .join('\n');
  return `<table id="refused-request-counts">
<thead><tr><th>protocol and outcome</th><th>requests</th></tr></thead>
<tbody>
${countRows}
</tbody>
</table>
<table id="refused-requests">
<thead><tr><th>when</th><th>protocol</th><th>outcome</th><th>what the client was told (latest first)</th></tr></thead>
<tbody>
${recentRows}
</tbody>
</table>`;
}

/** Histograms the bucket linter flagged: which, since when, and the fix. */
function renderBucketWarnings(warnings: readonly HistogramBucketWarning[], nowMs: number): string {
  if (warnings.length === 0) return '<p id="no-bucket-warnings" class="muted">No histogram has buckets that cannot describe its data.</p>';
  const rows = warnings
    .map(
      (warning) =>
        `<tr><td><code>${escapeHtml(warning.metric)}</code></td><td>${escapeHtml(warning.reason)}</td><td><time datetime="${escapeHtml(isoTime(warning.firstSeenMs))}">${escapeHtml(formatElapsed(nowMs - warning.firstSeenMs))} ago</time></td><td>${escapeHtml(warning.fix)}</td></tr>`,
    )
    .join('\n');
  return `<p class="warning">Histograms in seconds with the SDK's default bucket boundaries (meant for milliseconds): their quantiles are pinned between 0 and 5 s.</p>
<table id="bucket-warnings">
<thead><tr><th>metric</th><th>reason</th><th>first seen</th><th>fix</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** The state directory: the restore at start, the last snapshot and failures. */
function renderStateKeeping(state: StateKeepingStatus | undefined, nowMs: number): string {
  if (state === undefined) return '<p id="no-state" class="muted">No state directory (state_dir): the series start empty after a restart.</p>';
  const last = state.lastSnapshot;
  const failure = state.lastFailure;
  const when = (atMs: number) => `<time datetime="${escapeHtml(isoTime(atMs))}">${escapeHtml(formatElapsed(nowMs - atMs))} ago</time>`;
  const rows: [name: string, html: string][] = [
    ['directory', `<code>${escapeHtml(state.directory)}</code>, a snapshot every ${escapeHtml(formatDuration(state.snapshotIntervalMs))}`],
    [
      'restore at start',
      `${escapeHtml(state.restoreOutcome ?? 'not yet')}${state.restoreOutcome === 'restored' ? ` (${formatCount(state.restoredSeries)} series)` : ''}${state.restoreProblem === undefined ? '' : `: ${escapeHtml(state.restoreProblem)}`}`,
    ],
    ['last snapshot', last === undefined ? 'none yet' : `${when(last.atMs)}, ${formatCount(last.series)} series, ${escapeHtml(formatApproximateSize(last.bytes))}, written in ${escapeHtml(formatDuration(Math.round(last.durationMs)))}`],
    ['snapshots written / failed', `${formatCount(state.snapshotsWritten)} / ${formatCount(state.snapshotsFailed)}`],
    ['last failure', failure === undefined ? 'none' : `${when(failure.atMs)}: ${escapeHtml(failure.problem)}`],
  ];
  const body = rows.map(([name, html]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${html}</td></tr>`).join('\n');
  return `<table id="state-keeping">
<tbody>
${body}
</tbody>
</table>`;
}

function renderRemoteWrite(endpoints: readonly RemoteWriteStatus[], nowMs: number): string {
  if (endpoints.length === 0) return '<p id="no-remote-write" class="muted">No remote-write endpoint (remote_write): Prometheus scrapes the metrics path.</p>';
  const ago = (atMs: number) => `<time datetime="${escapeHtml(isoTime(atMs))}">${escapeHtml(formatElapsed(nowMs - atMs))} ago</time>`;
  const rows = endpoints.map((endpoint) => {
    const dropped = Object.entries(endpoint.droppedByReason).map(([reason, count]) => `${escapeHtml(reason)} ${formatCount(count)}`);
    const cells = [
      `<code>${escapeHtml(endpoint.name)}</code><br><span class="muted">${escapeHtml(endpoint.url)}</span>`,
      `<strong class="${endpoint.health === 'retrying' ? 'warn' : ''}">${escapeHtml(endpoint.health)}</strong><br><span class="muted">${escapeHtml(endpoint.message)}${endpoint.fallbacks > 0 ? ' (fell back from 2.0)' : ''}</span>`,
      `${formatCount(endpoint.samplesSent)} samples, ${formatCount(endpoint.histogramsSent)} histograms, ${escapeHtml(formatApproximateSize(endpoint.bytesSent))}`,
      endpoint.newestSentMs === undefined ? 'nothing yet' : `newest sample ${ago(endpoint.newestSentMs)}`,
      `${formatCount(endpoint.queueLength)} queued, ${formatCount(endpoint.shards)} shards`,
      `${formatCount(endpoint.samplesRetried)} retried${dropped.length === 0 ? ', none dropped' : `; dropped: ${dropped.join(', ')}`}`,
      endpoint.lastError === undefined ? 'none' : `${ago(endpoint.lastError.atMs)}: ${escapeHtml(endpoint.lastError.message)}`,
    ];
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
  });
  return `<table id="remote-write">
<thead><tr><th>endpoint</th><th>health</th><th>sent</th><th>lag</th><th>queue</th><th>retried and dropped</th><th>last error</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** `812 B`, `3.4 KiB`, `120.5 MiB`. */
function formatApproximateSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [size, unit] = bytes < 2 ** 20 ? [bytes / 1024, 'KiB'] : bytes < 2 ** 30 ? [bytes / 2 ** 20, 'MiB'] : [bytes / 2 ** 30, 'GiB'];
  return `${size.toFixed(1)} ${unit}`;
}

function renderSettings(settings: StatusSettings, seriesHeld: number): string {
  const rows: [name: string, value: string][] = [
    ['OTLP/HTTP listen', settings.otlpHttpListen === 'off' ? 'off' : `${settings.otlpHttpListen} ${settings.otlpHttpPath}`],
    ['OTLP/gRPC listen', settings.otlpGrpcListen],
    ['metrics listen', settings.metricsListen],
    ['metrics path', settings.metricsPath],
    ['namespace', settings.namespace === '' ? 'none' : settings.namespace],
    ['translation strategy', settings.translationStrategy],
    ['promoted resource attributes', settings.promotedResourceAttributes.length === 0 ? 'none' : settings.promotedResourceAttributes.join(', ')],
    ['scope labels', onOff(settings.scopeLabels)],
    ['target_info', onOff(settings.targetInfo)],
    ['metric expiration', formatDuration(settings.metricExpirationMs)],
    ['series held / limit', `${formatCount(seriesHeld)} / ${formatCount(settings.maxSeries)}`],
    ['max request body', formatByteSize(settings.maxRequestBytes)],
    ['self metrics', onOff(settings.selfMetrics)],
    ['drain period', formatDuration(settings.drainPeriodMs)],
    ['auth', `OTLP/HTTP ${settings.auth.otlpHttp}, OTLP/gRPC ${settings.auth.otlpGrpc}, metrics ${settings.auth.metrics}`],
    ['TLS', `OTLP/HTTP ${onOff(settings.tls.otlpHttp)}, OTLP/gRPC ${onOff(settings.tls.otlpGrpc)}, metrics ${onOff(settings.tls.metrics)}`],
  ];
  const body = rows.map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  return `<table id="settings">
<tbody>
${body}
</tbody>
</table>`;
}

/** A label value, or a muted dash for a resource without one. */
function textOrNone(value: string): string {
  return value === '' ? '<span class="muted">—</span>' : escapeHtml(value);
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
