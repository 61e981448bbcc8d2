import { formatByteSize } from '../config/byteSize.ts';
import { formatDuration } from '../config/duration.ts';
import { formatElapsed } from './formatElapsed.ts';
import { escapeHtml } from './landingPage.ts';
import type { RefusedRequests, ResourceStatus, StatusSettings, StatusSummary } from './statusSummary.ts';

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
