/**
 * The official exporter's naming rules (`compatibility: 'exporter-prometheus'`) as tables of input →
 * expected, each row what `@opentelemetry/exporter-prometheus`'s `PrometheusSerializer` writes, but
 * where its output is invalid (marked). The side-by-side comparison with the official exporter is
 * test/otel/exporterPrometheusCompatibility.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildExporterPrometheusHelp,
  buildExporterPrometheusMetricName,
  buildExporterPrometheusScopeLabels,
  sanitizeExporterPrometheusLabelName,
} from '../../src/translate/exporterPrometheusNames.ts';
import { sanitizeLabelName } from '../../src/translate/labelName.ts';

describe('buildExporterPrometheusMetricName', () => {
  const cases: [name: string, monotonicSum: boolean, prefix: string | undefined, expected: string | undefined][] = [
    ['http.server.request.duration', false, undefined, 'http_server_request_duration'],
    ['http.server.requests', true, undefined, 'http_server_requests_total'],
    ['requests_total', true, undefined, 'requests_total'],
    ['requests.total', true, undefined, 'requests_total'],
    ['requests.total.count', true, undefined, 'requests_total_count_total'],
    ['queue.depth', false, undefined, 'queue_depth'],
    ['cache-hits', true, undefined, 'cache_hits_total'],
    ['envoy__rule', false, undefined, 'envoy_rule'],
    ['a:b', false, undefined, 'a_b'],
    ['Upper.Case-Name', false, undefined, 'Upper_Case_Name'],
    ['a\nb', false, undefined, 'a_nb'],
    ['a\\b', false, undefined, 'a_b'],
    ['123metric', false, undefined, '_123metric'],
    ['_x', false, undefined, '_x'],
    ['x.', false, undefined, 'x_'],
    ['requests', true, 'app', 'app_requests_total'],
    ['123_requests', true, 'app', 'app_123_requests_total'],
    ['_x', false, 'app', 'app__x'],
    ['x', false, 'a__b', 'a__b_x'],
    ['x', false, 'my-app', 'my_app_x'], // invalid prefix: the official exporter writes `my-app_x`
    ['', false, undefined, undefined],
    ['.', false, undefined, undefined],
    ['..', true, undefined, undefined],
    ['', false, 'app', 'app_'],
  ];
  for (const [name, monotonicSum, prefix, expected] of cases) {
    it(`${JSON.stringify(name)}${monotonicSum ? ' (monotonic sum)' : ''}${prefix === undefined ? '' : ` prefix ${prefix}`} → ${String(expected)}`, () => {
      assert.equal(buildExporterPrometheusMetricName(name, monotonicSum, prefix), expected);
    });
  }
});

describe('sanitizeExporterPrometheusLabelName, and sanitizeLabelName under that compatibility', () => {
  const cases: [key: string, expected: string | undefined][] = [
    ['http.request.method', 'http_request_method'],
    ['a..b', 'a_b'],
    ['a__b', 'a_b'],
    ['_leading', '_leading'],
    ['__name__', '_name_'],
    ['.', '_'],
    ['ключ', '_'],
    ['0foo', 'key_0foo'], // the official exporter writes `0foo`, which fails the scrape
    ['', undefined],
  ];
  for (const [key, expected] of cases) {
    it(`${JSON.stringify(key)} → ${String(expected)}`, () => {
      assert.equal(sanitizeExporterPrometheusLabelName(key), expected);
      assert.equal(sanitizeLabelName(key, { escape: true, compatibility: 'exporter-prometheus' }), expected);
    });
  }
});

describe('buildExporterPrometheusScopeLabels and buildExporterPrometheusHelp', () => {
  it('writes name, schema URL and version when set, never scope attributes', () => {
    assert.deepEqual(buildExporterPrometheusScopeLabels({ name: 'm', version: '1.0', schemaUrl: 'https://s', attributes: { team: 'a' } }), [
      ['otel_scope_name', 'm'],
      ['otel_scope_schema_url', 'https://s'],
      ['otel_scope_version', '1.0'],
    ]);
    assert.deepEqual(buildExporterPrometheusScopeLabels({ name: 'm' }), [['otel_scope_name', 'm']]);
  });

  it("falls back to 'description missing', which a description replaces", () => {
    assert.deepEqual(buildExporterPrometheusHelp({ description: '' }), { text: 'description missing', fallback: true });
    assert.deepEqual(buildExporterPrometheusHelp({ description: 'Requests' }), { text: 'Requests', fallback: false });
  });
});
