import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpositionFormat } from '../../src/exposition/expositionFormat.ts';
import { EXPOSITION_FORMATS } from '../../src/exposition/expositionFormats.ts';
import { FormatRegistry } from '../../src/exposition/formatRegistry.ts';
import { OPENMETRICS_CONTENT_TYPE, openMetricsFormat } from '../../src/exposition/openmetrics/openMetricsFormat.ts';
import { TEXT_CONTENT_TYPE, textFormat } from '../../src/exposition/text/textFormat.ts';
import { TEXT_V1_CONTENT_TYPE, textV1Format } from '../../src/exposition/text/textV1Format.ts';

/** The Accept header Prometheus 2.42 sends when scraping. */
const PROMETHEUS_2_42_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('EXPOSITION_FORMATS.negotiate: "Text 0.0.4 ... the default when the Accept header asks for nothing better"; "OpenMetrics 1.0 ... chosen by Accept"', () => {
  const rows: readonly { rule: string; accept: string | undefined; want: string }[] = [
    { rule: 'the exact header Prometheus 2.42 sends → OpenMetrics', accept: PROMETHEUS_2_42_ACCEPT, want: 'openmetrics' },
    { rule: 'no Accept header → text', accept: undefined, want: 'text' },
    { rule: 'an empty Accept header → text', accept: '', want: 'text' },
    { rule: '`text/plain` → text', accept: 'text/plain', want: 'text' },
    { rule: '`text/plain;version=0.0.4` → text', accept: 'text/plain;version=0.0.4', want: 'text' },
    { rule: '`text/plain;version=1.0.0` → text 1.0.0', accept: 'text/plain;version=1.0.0', want: 'text-1.0.0' },
    { rule: 'a text version we do not know is not claimed → the fallback', accept: 'text/plain;version=2.0.0', want: 'text' },
    { rule: 'text 1.0.0 over 0.0.4 on a tie (registered first)', accept: 'text/plain;version=0.0.4,text/plain;version=1.0.0', want: 'text-1.0.0' },
    { rule: '`text/*` is 0.0.4, never claimed by 1.0.0', accept: 'text/*', want: 'text' },
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
    { rule: 'protobuf only → protobuf', accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', want: 'protobuf' },
    { rule: 'protobuf of another message or encoding → text', accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text', want: 'text' },
  ];
  for (const { rule, accept, want } of rows) {
    it(`${rule}: ${JSON.stringify(accept)}`, () => {
      assert.equal(EXPOSITION_FORMATS.negotiate(accept).format.name, want);
    });
  }
});

describe('content types', () => {
  it('text 0.0.4: `text/plain; version=0.0.4; charset=utf-8`', () => {
    assert.equal(TEXT_CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(textFormat.contentType, TEXT_CONTENT_TYPE);
  });
  it('text 1.0.0: `text/plain; version=1.0.0; charset=utf-8`', () => {
    assert.equal(TEXT_V1_CONTENT_TYPE, 'text/plain; version=1.0.0; charset=utf-8');
    assert.equal(textV1Format.contentType, TEXT_V1_CONTENT_TYPE);
  });
  it('OpenMetrics 1.0: `application/openmetrics-text; version=1.0.0; charset=utf-8`', () => {
    assert.equal(OPENMETRICS_CONTENT_TYPE, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.equal(openMetricsFormat.contentType, OPENMETRICS_CONTENT_TYPE);
  });
});

/** A format for these tests only: bytes, for `application/x-test`. */
const binaryFormat: ExpositionFormat = {
  name: 'test-binary',
  contentType: 'application/x-test',
  binary: true,
  accepts: (range) => range.type === 'application/x-test' && range.params.get('encoding') !== 'other',
  write: () => [new Uint8Array([1, 2, 3])],
};

describe('FormatRegistry: a format is one registration', () => {
  const formats = new FormatRegistry([binaryFormat, ...EXPOSITION_FORMATS.formats], textFormat);
  const rows: readonly { rule: string; accept: string | undefined; want: string; textOnly?: boolean }[] = [
    { rule: 'a registered format is negotiated by its media range', accept: 'application/x-test', want: 'test-binary' },
    { rule: 'its parameters are its own to judge', accept: 'application/x-test;encoding=other,text/plain;q=0.1', want: 'text' },
    { rule: 'on a tie, the format registered first wins', accept: 'text/plain,application/openmetrics-text,application/x-test', want: 'test-binary' },
    { rule: 'the higher q still wins', accept: 'application/x-test;q=0.2,application/openmetrics-text;q=0.3', want: 'openmetrics' },
    { rule: 'textOnly passes binary formats over', accept: 'application/x-test,application/openmetrics-text;q=0.5', want: 'openmetrics', textOnly: true },
    { rule: 'textOnly with only a binary format asked for → the fallback', accept: 'application/x-test', want: 'text', textOnly: true },
  ];
  for (const { rule, accept, want, textOnly } of rows) {
    it(`${rule}: ${JSON.stringify(accept)}`, () => {
      assert.equal(formats.negotiate(accept, textOnly).format.name, want);
    });
  }

  it('refuses two formats of one name, a fallback not registered, and a binary fallback', () => {
    assert.throws(() => new FormatRegistry([textFormat, { ...textFormat }], textFormat), { message: 'Two exposition formats are named "text"; each needs a name of its own.' });
    assert.throws(() => new FormatRegistry([openMetricsFormat], textFormat), { message: 'The fallback exposition format "text" must be one of the registered formats.' });
    assert.throws(() => new FormatRegistry([binaryFormat, textFormat], binaryFormat), {
      message: 'The fallback exposition format "test-binary" must write text: browsers and curl get it.',
    });
  });
});
