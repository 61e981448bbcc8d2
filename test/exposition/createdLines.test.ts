/**
 * OpenMetrics `_created` lines (opt-in, `createdLines`): the series' start time in seconds, for the
 * counters, histograms and summaries whose series know it, last of their MetricPoint as the
 * OpenMetrics 1.0 spec's examples place it (`foo_total` then `foo_created`; `foo_count`, `foo_sum`,
 * then `foo_created`). Never in the text formats, which have no such sample.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { renderOpenMetrics } from '../../src/exposition/openmetrics/openMetricsFormat.ts';
import { renderExposition } from '../../src/exposition/renderExposition.ts';
import { renderText } from '../../src/exposition/text/textFormat.ts';
import type { Family } from '../../src/model/family.ts';
import { skipUnlessInstalled } from '../helpers/prometheus.ts';
import { family, series, START_MS, utf8Families } from './utf8Families.ts';

const lines = (...all: string[]): string => `${all.join('\n')}\n`;

/** One family of each kind; `/late` series do not know their start. */
function families(): Family[] {
  return [
    family('jobs_total', 'counter', [
      series([['queue', 'a']], { kind: 'number', value: 7 }, START_MS),
      series([['queue', 'late']], { kind: 'number', value: 1 }),
    ]),
    family('latency_seconds', 'histogram', [series([['route', '/a']], { kind: 'histogram', bounds: [0.5], counts: [2, 1], count: 3, sum: 1.25 }, START_MS)], 'seconds'),
    family('size_bytes', 'histogram', [
      series(
        [],
        { kind: 'exponentialHistogram', scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: 0, counts: [1, 1] }, negative: { offset: 0, counts: [] }, count: 2, sum: 3 },
        START_MS,
      ),
    ], 'bytes'),
    family('rpc_seconds', 'summary', [series([], { kind: 'summary', quantiles: [{ quantile: 0.9, value: 0.4 }], count: 5, sum: 1 }, START_MS)], 'seconds'),
    family('temperature_celsius', 'gauge', [series([], { kind: 'number', value: 21 }, START_MS)], 'celsius'),
  ];
}

describe('OpenMetrics with createdLines', () => {
  it('counter: after `_total`; histogram (classic and exponential) and summary: after `_sum` and `_count`; gauge and series without a start: none', () => {
    assert.equal(
      renderOpenMetrics(families(), { createdLines: true }),
      lines(
        '# TYPE jobs counter',
        '# HELP jobs jobs_total help.',
        'jobs_total{queue="a"} 7',
        'jobs_created{queue="a"} 1700000000.123',
        'jobs_total{queue="late"} 1',
        '# TYPE latency_seconds histogram',
        '# UNIT latency_seconds seconds',
        '# HELP latency_seconds latency_seconds help.',
        'latency_seconds_bucket{route="/a",le="0.5"} 2',
        'latency_seconds_bucket{route="/a",le="+Inf"} 3',
        'latency_seconds_sum{route="/a"} 1.25',
        'latency_seconds_count{route="/a"} 3',
        'latency_seconds_created{route="/a"} 1700000000.123',
        '# TYPE size_bytes histogram',
        '# UNIT size_bytes bytes',
        '# HELP size_bytes size_bytes help.',
        'size_bytes_bucket{le="2"} 1',
        'size_bytes_bucket{le="4"} 2',
        'size_bytes_bucket{le="+Inf"} 2',
        'size_bytes_sum 3',
        'size_bytes_count 2',
        'size_bytes_created 1700000000.123',
        '# TYPE rpc_seconds summary',
        '# UNIT rpc_seconds seconds',
        '# HELP rpc_seconds rpc_seconds help.',
        'rpc_seconds{quantile="0.9"} 0.4',
        'rpc_seconds_sum 1',
        'rpc_seconds_count 5',
        'rpc_seconds_created 1700000000.123',
        '# TYPE temperature_celsius gauge',
        '# UNIT temperature_celsius celsius',
        '# HELP temperature_celsius temperature_celsius help.',
        'temperature_celsius 21',
        '# EOF',
      ),
    );
  });

  it('with appendTimestamp, a `_created` line carries the sample time too, as the spec\'s example does', () => {
    const text = renderOpenMetrics(families(), { createdLines: true, appendTimestamp: true });
    assert.ok(text.includes('jobs_total{queue="a"} 7 1700000060.000\njobs_created{queue="a"} 1700000000.123 1700000060.000\n'), text);
  });

  it('names are escaped as the scraper asked: `_created` follows the escaped family name', () => {
    const underscores = renderExposition(utf8Families(), 'application/openmetrics-text;version=1.0.0', { createdLines: true }).body;
    assert.ok(underscores.includes('http_server_requests_total{http_method="GET",job="api"} 3\nhttp_server_requests_created{http_method="GET",job="api"} 1700000000.123\n'), underscores);
    const utf8 = renderExposition(utf8Families(), 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8', { createdLines: true }).body;
    assert.ok(utf8.includes('{"rpc.latency_created","rpc.system"="grpc"} 1700000000.123\n'), utf8);
  });
});

describe('no `_created` lines unless asked, and never in text', () => {
  it('OpenMetrics: off by default', () => {
    assert.doesNotMatch(renderOpenMetrics(families()), /_created/);
  });

  it('text 0.0.4 and 1.0.0, even with createdLines', () => {
    assert.doesNotMatch(renderText(families(), { createdLines: true }), /_created/);
    for (const accept of [undefined, 'text/plain;version=1.0.0;escaping=allow-utf-8']) {
      assert.doesNotMatch(renderExposition(families(), accept, { createdLines: true }).body, /_created/);
    }
  });
});

/**
 * promtool reads its input as text 0.0.4, where `foo_total` and `foo_created` of an OpenMetrics
 * counter are families of their own, with no HELP: that advice, and nothing else, is expected.
 */
const ACCEPTED_WARNINGS: readonly RegExp[] = [/^\S+_(total|created) no help text$/];

describe('promtool check metrics (Prometheus 2.42) parses OpenMetrics with `_created` lines', { skip: skipUnlessInstalled(['promtool']) }, () => {
  for (const [name, build] of [
    ['every kind', families],
    ['UTF-8 names escaped with underscores', utf8Families],
  ] as const) {
    it(name, (t) => {
      const body = renderExposition(build(), 'application/openmetrics-text;version=1.0.0', { createdLines: true }).body;
      assert.match(body, /_created/);
      const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
      const output = `${result.stdout}${result.stderr}`.trim();
      assert.ok(result.status === 0 || result.status === 3, `promtool refused the exposition (exit ${String(result.status)}):\n${output}\n${body}`);
      const warnings = output === '' ? [] : output.split('\n');
      for (const warning of warnings) t.diagnostic(`promtool: ${warning}`);
      assert.deepEqual(
        warnings.filter((warning) => !ACCEPTED_WARNINGS.some((pattern) => pattern.test(warning)) && !/metric names should not contain ':'$/.test(warning)),
        [],
      );
    });
  }
});
