/**
 * UTF-8 metric and label names in the text formats: written quoted only to a scraper that asked
 * for `escaping=allow-utf-8`, escaped as it asked otherwise (underscores when it asked nothing), so
 * that Prometheus 2 and promtool read every exposition we write.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ChunkTextCache } from '../../src/exposition/chunkTextCache.ts';
import { renderOpenMetrics } from '../../src/exposition/openmetrics/openMetricsFormat.ts';
import { renderExposition } from '../../src/exposition/renderExposition.ts';
import { renderText } from '../../src/exposition/text/textFormat.ts';
import { renderChunks } from '../../src/exposition/textLines/renderChunks.ts';
import { skipUnlessInstalled } from '../helpers/prometheus.ts';
import { family, series, utf8Families } from './utf8Families.ts';

const lines = (...all: string[]): string => `${all.join('\n')}\n`;

describe('text 0.0.4 with names escaped with underscores (what a scraper that names no escaping gets)', () => {
  it('metric names, sample names, HELP/TYPE names and label names are escaped; colliding label names are merged', () => {
    assert.equal(
      renderText(utf8Families(), { escaping: 'underscores' }),
      lines(
        '# HELP http_server_requests_total http.server.requests_total help.',
        '# TYPE http_server_requests_total counter',
        'http_server_requests_total{http_method="GET",job="api"} 3',
        'http_server_requests_total{http_method="POST;post",job="api"} 1',
        '# HELP http_server_request_duration_seconds http.server.request.duration_seconds help.',
        '# TYPE http_server_request_duration_seconds histogram',
        'http_server_request_duration_seconds_bucket{http_route="/a,",job="api",le="0.1"} 1',
        'http_server_request_duration_seconds_bucket{http_route="/a,",job="api",le="1"} 3',
        'http_server_request_duration_seconds_bucket{http_route="/a,",job="api",le="+Inf"} 3',
        'http_server_request_duration_seconds_sum{http_route="/a,",job="api"} 1.5',
        'http_server_request_duration_seconds_count{http_route="/a,",job="api"} 3',
        '# HELP job:http_errors:rate5m job:http.errors:rate5m help.',
        '# TYPE job:http_errors:rate5m gauge',
        'job:http_errors:rate5m{a_b="x"} 0.5',
        '# HELP temperatur_gr__e temperatur.grüße help.',
        '# TYPE temperatur_gr__e gauge',
        'temperatur_gr__e{ort_m_nchen="ja",__="hallo"} 21',
        '# HELP _st_place 1st.place help.',
        '# TYPE _st_place gauge',
        '_st_place{_day="y",_="hot"} 1',
        '# HELP rpc_latency rpc.latency help.',
        '# TYPE rpc_latency summary',
        'rpc_latency{rpc_system="grpc",quantile="0.5"} 0.2',
        'rpc_latency_sum{rpc_system="grpc"} 1',
        'rpc_latency_count{rpc_system="grpc"} 4',
      ),
    );
  });

  it('is what renderExposition writes without an Accept header, and says so in its content type', () => {
    assert.deepEqual(renderExposition(utf8Families(), undefined, {}), {
      contentType: 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
      body: renderText(utf8Families(), { escaping: 'underscores' }),
    });
  });
});

describe('dots and values: suffixes follow the escaped family name, as client_golang appends them', () => {
  const rows: readonly { scheme: 'dots' | 'values'; want: readonly string[] }[] = [
    {
      scheme: 'dots',
      want: [
        '# TYPE http_dot_server_dot_requests__total counter',
        'http_dot_server_dot_requests__total{http_dot_method="GET",job="api"} 3',
        // `http.method` and `http_method` stay two labels: dots keeps them apart.
        'http_dot_server_dot_requests__total{http_dot_method="POST",http_method="post",job="api"} 1',
        'http_dot_server_dot_request_dot_duration__seconds_bucket{http_dot_route="/a,",job="api",le="0.1"} 1',
        'job:http_dot_errors:rate5m{a__b="x"} 0.5',
        'temperatur_dot_gr____e{ort_dot_m__nchen="ja",____="hallo"} 21',
        '__st_dot_place{__day="y",__="hot"} 1',
        'rpc_dot_latency_count{rpc_dot_system="grpc"} 4',
      ],
    },
    {
      scheme: 'values',
      want: [
        '# TYPE U__http_2e_server_2e_requests__total counter',
        'U__http_2e_server_2e_requests__total{U__http_2e_method="POST",http_method="post",job="api"} 1',
        'U__http_2e_server_2e_request_2e_duration__seconds_sum{U__http_2e_route="/a,",job="api"} 1.5',
        'U__job:http_2e_errors:rate5m{U__a_3a_b="x"} 0.5',
        'U__temperatur_2e_gr_fc__df_e{U__ort_2e_m_fc_nchen="ja",U___4e16__754c_="hallo"} 21',
        'U___31_st_2e_place{U___30_day="y",U___1f525_="hot"} 1',
        'U__rpc_2e_latency{U__rpc_2e_system="grpc",quantile="0.5"} 0.2',
      ],
    },
  ];
  for (const { scheme, want } of rows) {
    it(`${scheme}: ${want.length} lines as prometheus/common escapes them`, () => {
      const written = renderText(utf8Families(), { escaping: scheme }).split('\n');
      for (const line of want) assert.ok(written.includes(line), `${line}\nnot in\n${written.join('\n')}`);
    });
  }
});

describe('allow-utf-8: names as they are, quoted when not legacy (Prometheus 3)', () => {
  it('is what a writer called directly writes', () => {
    const text = renderText(utf8Families());
    assert.equal(text, renderText(utf8Families(), { escaping: 'allow-utf-8' }));
    for (const line of [
      '# TYPE "http.server.requests_total" counter',
      '{"http.server.requests_total","http.method"="POST",http_method="post",job="api"} 1',
      '{"job:http.errors:rate5m","a:b"="x"} 0.5',
      '{"1st.place","0day"="y","🔥"="hot"} 1',
    ]) {
      assert.ok(text.split('\n').includes(line), line);
    }
  });

  it('Prometheus 3 asking for text 1.0.0 gets quoted names, and so does OpenMetrics', () => {
    const text = renderExposition(utf8Families(), 'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,*/*;q=0.2', {});
    assert.deepEqual(text, { contentType: 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8', body: renderText(utf8Families()) });
    const openMetrics = renderExposition(utf8Families(), 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8', {});
    assert.equal(openMetrics.body, renderOpenMetrics(utf8Families()));
    assert.ok(openMetrics.body.includes('{"http.server.requests_total","http.method"="GET",job="api"} 3\n'));
  });
});

describe('legacy names: the same text under every escaping', () => {
  it('a value ending in `,` looks like a quoted name to the quick check, and is written the same', () => {
    const families = () => [
      family('requests_total', 'counter', [series([['route', '/a,'], ['zone', 'b']], { kind: 'number', value: 1 }), series([['route', '/b']], { kind: 'number', value: 2 })]),
    ];
    const want = lines('# HELP requests_total requests_total help.', '# TYPE requests_total counter', 'requests_total{route="/a,",zone="b"} 1', 'requests_total{route="/b"} 2');
    for (const escaping of ['allow-utf-8', 'underscores', 'dots', 'values'] as const) {
      assert.equal(renderText(families(), { escaping }), want, escaping);
    }
  });
});

describe('ChunkTextCache: chunks are kept by escaping as well as by format', () => {
  it('a scrape asking for another escaping is not served the chunks of the first', () => {
    const families = utf8Families();
    const cache = new ChunkTextCache();
    for (const escaping of ['allow-utf-8', 'underscores', 'allow-utf-8', 'values', 'underscores'] as const) {
      assert.equal([...renderChunks(families, false, { escaping }, cache)].join(''), renderText(families, { escaping }), escaping);
    }
  });
});

/**
 * promtool's lint advice these expositions draw, and why it is not a product problem; any other
 * warning fails the test.
 */
const ACCEPTED_WARNINGS: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  { pattern: /^\S+ metric names should not contain ':'$/, reason: 'the test family is named as a recording rule would be; colons are legal, and the name is the user\'s' },
];

describe('promtool check metrics (Prometheus 2.42) reads every escaped text exposition', { skip: skipUnlessInstalled(['promtool']) }, () => {
  for (const escaping of ['underscores', 'dots', 'values'] as const) {
    it(`text 0.0.4, ${escaping}`, (t) => {
      const body = renderExposition(utf8Families(), `text/plain;version=0.0.4;escaping=${escaping}`, {}).body;
      const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
      const output = `${result.stdout}${result.stderr}`.trim();
      // 0: no problem; 3: lint advice only; 1: the exposition did not parse.
      assert.ok(result.status === 0 || result.status === 3, `promtool refused the exposition (exit ${String(result.status)}):\n${output}\n${body}`);
      const warnings = output === '' ? [] : output.split('\n');
      for (const warning of warnings) t.diagnostic(`promtool: ${warning}`);
      assert.deepEqual(warnings.filter((warning) => !ACCEPTED_WARNINGS.some(({ pattern }) => pattern.test(warning))), []);
    });
  }

  it('without escaping (allow-utf-8), promtool 2.42 refuses it: why the default is underscores', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: renderText(utf8Families()), encoding: 'utf8' });
    assert.equal(result.status, 1);
  });
});
