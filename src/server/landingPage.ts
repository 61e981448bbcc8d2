const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A small page for a person who opens the exporter in a browser. */
export function renderLandingPage(metricsPath: string, version: string): string {
  const path = escapeHtml(metricsPath);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>otel-prom-bridge</title></head>
<body>
<h1>otel-prom-bridge</h1>
<p>OpenTelemetry metrics for Prometheus. Version ${escapeHtml(version)}.</p>
<ul>
<li><a href="${path}">${path}</a> — metrics</li>
<li><a href="/-/healthy">/-/healthy</a> — liveness</li>
<li><a href="/-/ready">/-/ready</a> — readiness</li>
</ul>
</body>
</html>
`;
}
