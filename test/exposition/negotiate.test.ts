import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentTypeOf, negotiateFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, type ExpositionFormat } from '../../src/exposition/negotiate.ts';

/** The Accept header Prometheus 2.42 sends when scraping. */
const PROMETHEUS_2_42_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('negotiateFormat: "Text 0.0.4 ... the default when the Accept header asks for nothing better"; "OpenMetrics 1.0 ... chosen by Accept"', () => {
  const rows: readonly { rule: string; accept: string | undefined; want: ExpositionFormat }[] = [
    { rule: 'the exact header Prometheus 2.42 sends → OpenMetrics', accept: PROMETHEUS_2_42_ACCEPT, want: 'openmetrics' },
    { rule: 'no Accept header → text', accept: undefined, want: 'text' },
    { rule: 'an empty Accept header → text', accept: '', want: 'text' },
    { rule: '`text/plain` → text', accept: 'text/plain', want: 'text' },
    { rule: '`text/plain;version=0.0.4` → text', accept: 'text/plain;version=0.0.4', want: 'text' },
    { rule: '`*/*` → text', accept: '*/*', want: 'text' },
    { rule: 'a browser → text', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', want: 'text' },
    { rule: '`application/openmetrics-text` without a version → OpenMetrics', accept: 'application/openmetrics-text', want: 'openmetrics' },
    { rule: 'OpenMetrics 0.0.1 → OpenMetrics', accept: 'application/openmetrics-text;version=0.0.1', want: 'openmetrics' },
    { rule: 'spaces and case around parameters', accept: 'Application/OpenMetrics-Text; version="1.0.0"; q=0.9, text/plain; q=0.5', want: 'openmetrics' },
    { rule: 'OpenMetrics of a version we do not know is not claimed → text', accept: 'application/openmetrics-text;version=2.0.0', want: 'text' },
    { rule: 'the higher q wins: text over OpenMetrics', accept: 'application/openmetrics-text;version=1.0.0;q=0.3,text/plain;version=0.0.4;q=0.9', want: 'text' },
    { rule: 'the higher q wins, whatever the order', accept: 'text/plain;q=0.5,application/openmetrics-text;version=1.0.0;q=0.75', want: 'openmetrics' },
    { rule: 'q=0 excludes OpenMetrics', accept: 'application/openmetrics-text;version=1.0.0;q=0,text/plain;version=0.0.4;q=0.5', want: 'text' },
    { rule: 'q=0 excludes OpenMetrics even when it is the only range', accept: 'application/openmetrics-text;version=1.0.0;q=0', want: 'text' },
    { rule: 'q=0.0 is q=0', accept: 'application/openmetrics-text;q=0.0', want: 'text' },
    { rule: 'protobuf only (not served) → text', accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', want: 'text' },
  ];
  for (const { rule, accept, want } of rows) {
    it(`${rule}: ${JSON.stringify(accept)}`, () => {
      assert.equal(negotiateFormat(accept), want);
    });
  }
});

describe('contentTypeOf', () => {
  it('text 0.0.4: `text/plain; version=0.0.4; charset=utf-8`', () => {
    assert.equal(TEXT_CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(contentTypeOf('text'), TEXT_CONTENT_TYPE);
  });
  it('OpenMetrics 1.0: `application/openmetrics-text; version=1.0.0; charset=utf-8`', () => {
    assert.equal(OPENMETRICS_CONTENT_TYPE, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.equal(contentTypeOf('openmetrics'), OPENMETRICS_CONTENT_TYPE);
  });
});
