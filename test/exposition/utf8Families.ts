/**
 * Families with names outside the legacy character set, as the `NoUTF8EscapingWithSuffixes` and
 * `NoTranslation` strategies keep them: dots, colons, unicode, a leading digit, in metric and label
 * names; and two label names one escaping makes one. For the escaping tests.
 */
import type { Family, Series, SeriesData } from '../../src/model/family.ts';
import { renderLabelText } from '../../src/translate/labelText.ts';

export const START_MS = 1_700_000_000_123;

export function series(labels: readonly (readonly [string, string])[], data: SeriesData, startTimeMs?: number): Series {
  return { labels, labelText: renderLabelText(labels), data, timeMs: 1_700_000_060_000, startTimeMs };
}

export function family(name: string, type: Family['type'], all: readonly Series[], unit = ''): Family {
  return { name, type, help: `${name} help.`, unit, series: new Map(all.map((s) => [s.labelText, s])) };
}

export function utf8Families(): Family[] {
  return [
    family('http.server.requests_total', 'counter', [
      series([['http.method', 'GET'], ['job', 'api']], { kind: 'number', value: 3 }, START_MS),
      // Two names that underscores makes one: one label, values joined in the names' order.
      series([['http.method', 'POST'], ['http_method', 'post'], ['job', 'api']], { kind: 'number', value: 1 }, START_MS),
    ]),
    family(
      'http.server.request.duration_seconds',
      'histogram',
      [series([['http.route', '/a,'], ['job', 'api']], { kind: 'histogram', bounds: [0.1, 1], counts: [1, 2, 0], count: 3, sum: 1.5 }, START_MS)],
      'seconds',
    ),
    family('job:http.errors:rate5m', 'gauge', [series([['a:b', 'x']], { kind: 'number', value: 0.5 })]),
    family('temperatur.grüße', 'gauge', [series([['ort.münchen', 'ja'], ['世界', 'hallo']], { kind: 'number', value: 21 })]),
    family('1st.place', 'gauge', [series([['0day', 'y'], ['🔥', 'hot']], { kind: 'number', value: 1 })]),
    family('rpc.latency', 'summary', [
      series([['rpc.system', 'grpc']], { kind: 'summary', quantiles: [{ quantile: 0.5, value: 0.2 }], count: 4, sum: 1 }, START_MS),
    ]),
  ];
}
