import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLegacyLabelName, isLegacyMetricName, sanitizeLabelName, type LabelNaming } from '../../src/translate/labelName.ts';

interface LabelNameRow {
  readonly rule: string;
  readonly key: string;
  readonly want: string | undefined;
}

function runRows(naming: LabelNaming, rows: readonly LabelNameRow[]): void {
  for (const { rule, key, want } of rows) {
    it(`${rule}: ${JSON.stringify(key)} → ${want === undefined ? 'dropped' : JSON.stringify(want)}`, () => {
      assert.equal(sanitizeLabelName(key, naming), want);
    });
  }
}

/** Prometheus' defaults: `label_name_preserve_multiple_underscores` and `label_name_underscore_sanitization` both true. */
const DEFAULTS: LabelNaming = { escape: true };

describe('sanitizeLabelName, escaping with Prometheus\' defaults (runs of _ kept, `key` before a single leading _)', () => {
  it('leaving both settings out is the same as setting both true', () => {
    for (const key of ['label__x', '_foo', '__x', 'a..b', 'ようこそ']) {
      assert.equal(sanitizeLabelName(key, DEFAULTS), sanitizeLabelName(key, { escape: true, preserveMultipleUnderscores: true, underscoreSanitization: true }));
    }
  });

  describe('1. "Attribute keys: invalid characters → _, and (unlike metric names) runs of _ are kept"', () => {
    runRows(DEFAULTS, [
      { rule: 'a valid key stays', key: 'method', want: 'method' },
      { rule: 'capitals stay', key: 'LabelWithCapitalLetters', want: 'LabelWithCapitalLetters' },
      { rule: 'dots become _', key: 'http.request.method', want: 'http_request_method' },
      { rule: '`:` is invalid in a label name', key: 'label:with:colons', want: 'label_with_colons' },
      { rule: 'special characters become _', key: 'label!with&special$chars)', want: 'label_with_special_chars_' },
      { rule: 'each non-ASCII character becomes one _', key: 'label_with_foreign_characters_字符', want: 'label_with_foreign_characters___' },
      { rule: '`a..b` → `a__b`', key: 'a..b', want: 'a__b' },
      { rule: '`label__x` stays', key: 'label__x', want: 'label__x' },
      { rule: 'runs of _ are kept', key: 'label__with__double__underscores', want: 'label__with__double__underscores' },
      { rule: 'runs of invalid characters and _ are kept, one _ per character', key: 'label.name__with&&special##chars', want: 'label_name__with__special__chars' },
      { rule: 'trailing runs of _ are kept', key: 'trailing___', want: 'trailing___' },
      { rule: 'reserved `__x__` keys keep every underscore', key: '__reserved__label__name__', want: '__reserved__label__name__' },
      { rule: 'a reserved key that is already valid stays', key: '__name__', want: '__name__' },
    ]);
  });

  describe('1. "a key starting with a digit gets key_ in front"', () => {
    runRows(DEFAULTS, [
      { rule: '`0foo` → `key_0foo`', key: '0foo', want: 'key_0foo' },
      { rule: 'a leading digit', key: '123label', want: 'key_123label' },
      { rule: 'a leading digit after sanitizing', key: '1.5', want: 'key_1_5' },
    ]);
  });

  describe('1. "one starting with a single _ gets key; __x keeps its two underscores"', () => {
    runRows(DEFAULTS, [
      { rule: '`_foo` → `key_foo`', key: '_foo', want: 'key_foo' },
      { rule: 'a leading invalid character becomes a single _', key: '.foo', want: 'key_foo' },
      { rule: '`__x` stays `__x`', key: '__x', want: '__x' },
      { rule: 'a leading run of __ stays', key: '__label_starting_with_2underscores', want: '__label_starting_with_2underscores' },
      { rule: 'two leading invalid characters become __, which stays', key: '..foo', want: '__foo' },
    ]);
  });

  describe('1. "An empty key is dropped"; so is one that is nothing but underscores once escaped (Prometheus refuses both)', () => {
    runRows(DEFAULTS, [
      { rule: 'the empty key', key: '', want: undefined },
      { rule: 'a single underscore is a single leading _, which gets key (as Prometheus does)', key: '_', want: 'key_' },
      { rule: 'a key of only underscores', key: '__', want: undefined },
      { rule: 'non-ASCII only: one _ per character', key: 'ようこそ', want: undefined },
      { rule: 'dots only', key: '...', want: undefined },
      { rule: 'one invalid character: `_`, which gets key', key: '.', want: 'key_' },
    ]);
  });
});

describe('sanitizeLabelName, label_name_preserve_multiple_underscores off: runs of _ collapse (the bridge before; the OpenTelemetry specification)', () => {
  const collapse: LabelNaming = { escape: true, preserveMultipleUnderscores: false };
  runRows(collapse, [
    { rule: 'runs of _ collapse to one', key: 'label__with__double__underscores', want: 'label_with_double_underscores' },
    { rule: 'runs of invalid characters and _ collapse to one', key: 'label.name__with&&special##chars', want: 'label_name_with_special_chars' },
    { rule: 'trailing runs of _ collapse to one', key: 'trailing___', want: 'trailing_' },
    { rule: 'non-ASCII characters collapse to one _', key: 'label_with_foreign_characters_字符', want: 'label_with_foreign_characters_' },
    { rule: 'reserved `__x__` keys keep their double underscores at the ends only', key: '__reserved__label__name__', want: '__reserved_label_name__' },
    { rule: '`__x` collapses to `_x`, which gets key', key: '__x', want: 'key_x' },
    { rule: 'non-ASCII only collapses to `_`, which gets key', key: 'ようこそ', want: 'key_' },
    { rule: 'only underscores collapse to `_`, which gets key (as Prometheus does)', key: '__', want: 'key_' },
    { rule: 'the empty key is still dropped', key: '', want: undefined },
  ]);

  describe('and label_name_underscore_sanitization off too: nothing but `_` is no label name', () => {
    runRows({ escape: true, preserveMultipleUnderscores: false, underscoreSanitization: false }, [
      { rule: '`__x` collapses to `_x`', key: '__x', want: '_x' },
      { rule: 'only underscores', key: '__', want: undefined },
      { rule: 'non-ASCII only', key: 'ようこそ', want: undefined },
    ]);
  });
});

describe('sanitizeLabelName, label_name_underscore_sanitization off: a single leading _ stays', () => {
  runRows({ escape: true, underscoreSanitization: false }, [
    { rule: '`_foo` stays', key: '_foo', want: '_foo' },
    { rule: 'a leading invalid character becomes `_`, which stays', key: '.foo', want: '_foo' },
    { rule: 'a leading digit still gets key_', key: '0foo', want: 'key_0foo' },
    { rule: 'a single `.` is only an underscore: dropped', key: '.', want: undefined },
  ]);
});

describe('sanitizeLabelName, UTF-8 names (no escaping; the two settings do not apply)', () => {
  for (const naming of [{ escape: false }, { escape: false, preserveMultipleUnderscores: false, underscoreSanitization: false }] satisfies LabelNaming[]) {
    describe(JSON.stringify(naming), () => {
      runRows(naming, [
        { rule: 'the key is kept', key: 'http.request.method', want: 'http.request.method' },
        { rule: 'non-ASCII is kept', key: 'ようこそ', want: 'ようこそ' },
        { rule: 'a leading digit is kept', key: '0foo', want: '0foo' },
        { rule: 'runs of _ are kept', key: 'label__x', want: 'label__x' },
        { rule: 'a leading _ is kept', key: '_foo', want: '_foo' },
        { rule: 'the empty key is dropped', key: '', want: undefined },
        { rule: 'a key of only underscores is dropped', key: '__', want: undefined },
      ]);
    });
  }
});

describe('isLegacyLabelName / isLegacyMetricName', () => {
  const rows: readonly { name: string; label: boolean; metric: boolean }[] = [
    { name: 'http_requests_total', label: true, metric: true },
    { name: '_hidden', label: true, metric: true },
    { name: 'job:rate5m', label: false, metric: true },
    { name: ':colon_first', label: false, metric: true },
    { name: '0foo', label: false, metric: false },
    { name: 'http.method', label: false, metric: false },
    { name: 'métric', label: false, metric: false },
    { name: '', label: false, metric: false },
  ];
  for (const { name, label, metric } of rows) {
    it(`${JSON.stringify(name)}: legacy label name ${label}, legacy metric name ${metric}`, () => {
      assert.equal(isLegacyLabelName(name), label);
      assert.equal(isLegacyMetricName(name), metric);
    });
  }
});
