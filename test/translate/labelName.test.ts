import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLegacyLabelName, isLegacyMetricName, sanitizeLabelName } from '../../src/translate/labelName.ts';

interface LabelNameRow {
  readonly rule: string;
  readonly key: string;
  readonly want: string | undefined;
}

function runRows(escape: boolean, rows: readonly LabelNameRow[]): void {
  for (const { rule, key, want } of rows) {
    it(`${rule}: ${JSON.stringify(key)} → ${want === undefined ? 'dropped' : JSON.stringify(want)}`, () => {
      assert.equal(sanitizeLabelName(key, escape), want);
    });
  }
}

describe('sanitizeLabelName, escaping (the legacy character set)', () => {
  describe('1. "Attribute keys are sanitized like names (invalid characters → _)"', () => {
    runRows(true, [
      { rule: 'a valid key stays', key: 'method', want: 'method' },
      { rule: 'capitals stay', key: 'LabelWithCapitalLetters', want: 'LabelWithCapitalLetters' },
      { rule: 'dots become _', key: 'http.request.method', want: 'http_request_method' },
      { rule: '`:` is invalid in a label name', key: 'label:with:colons', want: 'label_with_colons' },
      { rule: 'special characters become _', key: 'label!with&special$chars)', want: 'label_with_special_chars_' },
      { rule: 'non-ASCII characters become _', key: 'label_with_foreign_characters_字符', want: 'label_with_foreign_characters_' },
      { rule: 'runs of _ collapse to one', key: 'label__with__double__underscores', want: 'label_with_double_underscores' },
      { rule: 'runs of invalid characters and _ collapse to one', key: 'label.name__with&&special##chars', want: 'label_name_with_special_chars' },
      { rule: 'trailing runs of _ collapse to one', key: 'trailing_underscores___', want: 'trailing_underscores_' },
      { rule: 'reserved `__x__` keys keep their double underscores', key: '__reserved__label__name__', want: '__reserved_label_name__' },
      { rule: 'a reserved key that is already valid stays', key: '__name__', want: '__name__' },
    ]);
  });

  describe('1. "a key starting with a digit gets key_ in front"', () => {
    runRows(true, [
      { rule: '`0foo` → `key_0foo`', key: '0foo', want: 'key_0foo' },
      { rule: 'a leading digit', key: '123label', want: 'key_123label' },
      { rule: 'a leading digit after sanitizing', key: '1.5', want: 'key_1_5' },
    ]);
  });

  describe('1. "one starting with a single _ gets key"', () => {
    runRows(true, [
      { rule: '`_foo` → `key_foo`', key: '_foo', want: 'key_foo' },
      { rule: 'a leading invalid character becomes a single _', key: '.foo', want: 'key_foo' },
      { rule: 'a leading run of __ collapses to a single _', key: '__label_starting_with_2underscores', want: 'key_label_starting_with_2underscores' },
    ]);
  });

  describe('1. "an empty key is dropped"', () => {
    runRows(true, [
      { rule: 'the empty key', key: '', want: undefined },
      { rule: 'a key of only underscores', key: '__', want: undefined },
      { rule: 'a key of a single underscore', key: '_', want: undefined },
    ]);
  });

  describe('1. a key of only invalid characters sanitizes to a single _, which "gets key"', () => {
    runRows(true, [
      { rule: 'non-ASCII only', key: 'ようこそ', want: 'key_' },
      { rule: 'dots only', key: '...', want: 'key_' },
    ]);
  });
});

describe('sanitizeLabelName, UTF-8 names (no escaping)', () => {
  runRows(false, [
    { rule: 'the key is kept', key: 'http.request.method', want: 'http.request.method' },
    { rule: 'non-ASCII is kept', key: 'ようこそ', want: 'ようこそ' },
    { rule: 'a leading digit is kept', key: '0foo', want: '0foo' },
    { rule: 'the empty key is dropped', key: '', want: undefined },
    { rule: 'a key of only underscores is dropped', key: '__', want: undefined },
  ]);
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
