/**
 * Name escaping as prometheus/common's model package does it (`EscapeName`, and `EscapeMetricFamily`'s
 * rule of keeping legacy names), the values worked out from its code character by character; the
 * rows marked "prometheus/common's table" are also in its own `TestEscapeName`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeLabelNameFor, escapeName, escapeNameFor, toEscapingScheme, type EscapingScheme } from '../../../src/exposition/escaping/nameEscaping.ts';

/** One name under the three schemes that escape (`allow-utf-8` keeps every name as it is). */
interface Row {
  readonly rule: string;
  readonly name: string;
  readonly underscores: string;
  readonly dots: string;
  readonly values: string;
}

const ESCAPING: readonly Exclude<EscapingScheme, 'allow-utf-8'>[] = ['underscores', 'dots', 'values'];

describe('escapeName: prometheus/common EscapeName', () => {
  const rows: readonly Row[] = [
    { rule: 'dots (an OTel name kept as it is)', name: 'http.server.duration', underscores: 'http_server_duration', dots: 'http_dot_server_dot_duration', values: 'U__http_2e_server_2e_duration' },
    { rule: 'dots and a colon, which is legal in a metric name (prometheus/common\'s table)', name: 'http.status:sum', underscores: 'http_status:sum', dots: 'http_dot_status:sum', values: 'U__http_2e_status:sum' },
    { rule: 'dots and `_`: `_` is doubled by dots and values', name: 'a_b.c', underscores: 'a_b_c', dots: 'a__b_dot_c', values: 'U__a__b_2e_c' },
    { rule: 'ü and ß: one character each, their code point in hex', name: 'grüße', underscores: 'gr__e', dots: 'gr____e', values: 'U__gr_fc__df_e' },
    { rule: '世界: characters above 0xff', name: '世界', underscores: '__', dots: '____', values: 'U___4e16__754c_' },
    { rule: 'an emoji is one character (two UTF-16 units)', name: '🔥.hot', underscores: '__hot', dots: '___dot_hot', values: 'U___1f525__2e_hot' },
    { rule: 'spaces and an emoji (prometheus/common\'s table)', name: 'label with 😱', underscores: 'label_with__', dots: 'label__with____', values: 'U__label_20_with_20__1f631_' },
    { rule: 'a leading digit is escaped, a later one is not', name: '1st.place', underscores: '_st_place', dots: '__st_dot_place', values: 'U___31_st_2e_place' },
    { rule: 'only digits', name: '123', underscores: '_23', dots: '__23', values: 'U___31_23' },
    { rule: 'a legacy name: kept, except that dots doubles its `_` (prometheus/common\'s table)', name: 'no:escaping_required', underscores: 'no:escaping_required', dots: 'no:escaping__required', values: 'no:escaping_required' },
    { rule: '`_` alone is a legacy name', name: '_', underscores: '_', dots: '__', values: '_' },
    { rule: 'the empty name stays empty', name: '', underscores: '', dots: '', values: '' },
    { rule: 'a lone surrogate is U+FFFD, as Go reads its UTF-8 form', name: 'a\ud800', underscores: 'a_', dots: 'a__', values: 'U__a_fffd_' },
  ];
  for (const row of rows) {
    for (const scheme of ESCAPING) {
      it(`${row.rule}: ${JSON.stringify(row.name)} under ${scheme} → ${JSON.stringify(row[scheme])}`, () => {
        assert.equal(escapeName(row.name, scheme), row[scheme]);
      });
    }
    it(`${row.rule}: ${JSON.stringify(row.name)} under allow-utf-8 is kept`, () => {
      assert.equal(escapeName(row.name, 'allow-utf-8'), row.name);
    });
  }
});

describe('escapeNameFor: metric names as EscapeMetricFamily writes them (a legacy name is kept under every scheme)', () => {
  const rows: readonly Row[] = [
    { rule: 'a legacy name with `_` and `:` is not escaped by dots', name: 'no:escaping_required', underscores: 'no:escaping_required', dots: 'no:escaping_required', values: 'no:escaping_required' },
    { rule: '`_` alone', name: '_', underscores: '_', dots: '_', values: '_' },
    { rule: 'a name with dots is escaped as EscapeName escapes it', name: 'a_b.c', underscores: 'a_b_c', dots: 'a__b_dot_c', values: 'U__a__b_2e_c' },
    { rule: 'a leading digit', name: '1st.place', underscores: '_st_place', dots: '__st_dot_place', values: 'U___31_st_2e_place' },
    { rule: 'the empty name', name: '', underscores: '', dots: '', values: '' },
  ];
  for (const row of rows) {
    for (const scheme of ESCAPING) {
      it(`${row.rule}: ${JSON.stringify(row.name)} under ${scheme} → ${JSON.stringify(row[scheme])}`, () => {
        assert.equal(escapeNameFor(row.name, scheme), row[scheme]);
      });
    }
    it(`${row.rule}: ${JSON.stringify(row.name)} under allow-utf-8 is kept`, () => {
      assert.equal(escapeNameFor(row.name, 'allow-utf-8'), row.name);
    });
  }
});

describe('escapeLabelNameFor: label names, a colon escaped too (Prometheus 2 refuses it in a label name)', () => {
  const rows: readonly Row[] = [
    { rule: 'an OTel attribute key', name: 'http.method', underscores: 'http_method', dots: 'http_dot_method', values: 'U__http_2e_method' },
    { rule: 'a colon: kept by prometheus/common, escaped here', name: 'a:b', underscores: 'a_b', dots: 'a__b', values: 'U__a_3a_b' },
    { rule: 'a legacy label name is kept, `_` and all', name: 'service_name', underscores: 'service_name', dots: 'service_name', values: 'service_name' },
    { rule: 'unicode', name: 'ort.münchen', underscores: 'ort_m_nchen', dots: 'ort_dot_m__nchen', values: 'U__ort_2e_m_fc_nchen' },
    { rule: 'a leading digit', name: '0day', underscores: '_day', dots: '__day', values: 'U___30_day' },
  ];
  for (const row of rows) {
    for (const scheme of ESCAPING) {
      it(`${row.rule}: ${JSON.stringify(row.name)} under ${scheme} → ${JSON.stringify(row[scheme])}`, () => {
        assert.equal(escapeLabelNameFor(row.name, scheme), row[scheme]);
      });
    }
    it(`${row.rule}: ${JSON.stringify(row.name)} under allow-utf-8 is kept`, () => {
      assert.equal(escapeLabelNameFor(row.name, 'allow-utf-8'), row.name);
    });
  }
});

describe('toEscapingScheme: the `escaping` parameter of an Accept header', () => {
  const rows: readonly [param: string | undefined, want: EscapingScheme][] = [
    ['allow-utf-8', 'allow-utf-8'],
    ['underscores', 'underscores'],
    ['dots', 'dots'],
    ['values', 'values'],
    [undefined, 'underscores'],
    ['', 'underscores'],
    ['unknown', 'underscores'],
    ['Allow-UTF-8', 'underscores'],
  ];
  for (const [param, want] of rows) {
    it(`${JSON.stringify(param)} → ${want}`, () => {
      assert.equal(toEscapingScheme(param), want);
    });
  }
});
