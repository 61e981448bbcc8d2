import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../../src/otelData/otelData.ts';
import { formatAttributeValue } from '../../src/translate/attributeValue.ts';
import { compareCodeUnits, type LabelPairs } from '../../src/translate/labelPairs.ts';
import { NO_CONTEXT_LABELS, type ContextLabels, type LabelDropReason } from '../../src/translate/labelPlan.ts';
import { buildLabelPairs, sortLabelPairs } from '../../src/translate/labelSet.ts';

interface Drop {
  readonly reason: LabelDropReason;
  readonly key: string;
}

function build(attributes: Attributes, options: { escape?: boolean; preserveMultipleUnderscores?: boolean; reserved?: string; context?: ContextLabels } = {}): { labels: LabelPairs; drops: Drop[] } {
  const drops: Drop[] = [];
  const labels = buildLabelPairs(attributes, options.context ?? NO_CONTEXT_LABELS, {
    escape: options.escape ?? true,
    preserveMultipleUnderscores: options.preserveMultipleUnderscores,
    reserved: options.reserved,
    onDrop: (reason, key) => drops.push({ reason, key }),
  });
  return { labels, drops };
}

describe('buildLabelPairs', () => {
  describe('1. "Attribute keys are sanitized like names"', () => {
    const rows: readonly { rule: string; attributes: Attributes; want: LabelPairs }[] = [
      { rule: 'invalid characters → _', attributes: { 'http.request.method': 'GET' }, want: [['http_request_method', 'GET']] },
      { rule: 'runs of _ are kept', attributes: { 'a..b': 'x', label__x: 'y' }, want: [['a__b', 'x'], ['label__x', 'y']] },
      { rule: '`0foo` → `key_0foo`', attributes: { '0foo': 'x' }, want: [['key_0foo', 'x']] },
      { rule: '`_foo` → `key_foo`', attributes: { _foo: 'x' }, want: [['key_foo', 'x']] },
      { rule: 'labels come out sorted by name', attributes: { zone: 'a', 'http.route': '/', code: '200' }, want: [['code', '200'], ['http_route', '/'], ['zone', 'a']] },
      { rule: 'label values are not escaped here (the exposition does that)', attributes: { path: 'C:\\dir "x"\n' }, want: [['path', 'C:\\dir "x"\n']] },
      { rule: 'an empty value is no label in Prometheus', attributes: { empty: '', kept: 'x' }, want: [['kept', 'x']] },
    ];
    for (const { rule, attributes, want } of rows) {
      it(`${rule}: ${JSON.stringify(attributes)}`, () => {
        const { labels, drops } = build(attributes);
        assert.deepEqual(labels, want);
        assert.deepEqual(drops, []);
      });
    }
  });

  describe('1. "an empty key is dropped and counted": the onDrop callback is called', () => {
    const rows: readonly { rule: string; attributes: Attributes; reserved?: string; want: LabelPairs; drops: Drop[] }[] = [
      { rule: 'the empty key', attributes: { '': 'x', ok: 'y' }, want: [['ok', 'y']], drops: [{ reason: 'invalid_label_name', key: '' }] },
      { rule: 'a key of only underscores', attributes: { ___: 'x' }, want: [], drops: [{ reason: 'invalid_label_name', key: '___' }] },
      { rule: '`__name__` is the metric name, not a label', attributes: { __name__: 'x', ok: 'y' }, want: [['ok', 'y']], drops: [{ reason: 'reserved_label_name', key: '__name__' }] },
      { rule: '`le` on a histogram is written by the exposition', attributes: { le: '5' }, reserved: 'le', want: [], drops: [{ reason: 'reserved_label_name', key: 'le' }] },
      { rule: '`quantile` on a summary is written by the exposition', attributes: { quantile: '0.5' }, reserved: 'quantile', want: [], drops: [{ reason: 'reserved_label_name', key: 'quantile' }] },
      { rule: '`le` is an ordinary label elsewhere', attributes: { le: '5' }, want: [['le', '5']], drops: [] },
    ];
    for (const { rule, attributes, reserved, want, drops } of rows) {
      it(`${rule}: ${JSON.stringify(attributes)}`, () => {
        const got = build(attributes, { reserved });
        assert.deepEqual(got.labels, want);
        assert.deepEqual(got.drops, drops);
      });
    }
  });

  describe('2. "Two keys that sanitize to the same label are merged: the values joined with ;, ordered by the original keys"', () => {
    const rows: readonly { rule: string; attributes: Attributes; want: LabelPairs }[] = [
      { rule: '`a.b` and `a_b`', attributes: { 'a.b': 'x', a_b: 'y' }, want: [['a_b', 'x;y']] },
      { rule: '`a.b` and `a_b`, given in the other order', attributes: { a_b: 'y', 'a.b': 'x' }, want: [['a_b', 'x;y']] },
      { rule: 'three keys, in code-unit order of the keys', attributes: { a_b: '3', 'a.b': '2', 'a-b': '1' }, want: [['a_b', '1;2;3']] },
      { rule: '`_foo` and `key_foo`', attributes: { key_foo: 'b', _foo: 'a' }, want: [['key_foo', 'a;b']] },
      { rule: 'non-string values are merged as text', attributes: { 'x.y': 1, x_y: true }, want: [['x_y', '1;true']] },
      { rule: 'other labels are untouched', attributes: { 'a.b': 'x', a_b: 'y', c: 'z' }, want: [['a_b', 'x;y'], ['c', 'z']] },
    ];
    for (const { rule, attributes, want } of rows) {
      it(`${rule}: ${JSON.stringify(attributes)}`, () => {
        assert.deepEqual(build(attributes).labels, want);
      });
    }

    it('runs of _ are kept, so `a..b` and `a_b` are two labels, and `a..b` and `a__b` one', () => {
      assert.deepEqual(build({ 'a..b': 'x', a_b: 'y' }).labels, [['a__b', 'x'], ['a_b', 'y']]);
      assert.deepEqual(build({ 'a..b': 'x', a__b: 'y' }).labels, [['a__b', 'x;y']]);
    });

    it('with label_name_preserve_multiple_underscores off `a..b` and `a_b` are one label', () => {
      assert.deepEqual(build({ 'a..b': 'x', a_b: 'y' }, { preserveMultipleUnderscores: false }).labels, [['a_b', 'x;y']]);
    });

    it('without escaping (UTF-8 names) `a.b` and `a_b` are two labels', () => {
      assert.deepEqual(build({ a_b: 'y', 'a.b': 'x' }, { escape: false }).labels, [['a.b', 'x'], ['a_b', 'y']]);
    });
  });

  describe('3. "Non-string values: ints and doubles as decimal text, bools true/false, arrays and maps as JSON"', () => {
    const rows: readonly { rule: string; value: unknown; want: string }[] = [
      { rule: 'an int', value: 42, want: '42' },
      { rule: 'a negative int', value: -7, want: '-7' },
      { rule: 'zero', value: 0, want: '0' },
      { rule: 'a double', value: 3.14, want: '3.14' },
      { rule: 'a small double', value: 0.000001, want: '0.000001' },
      { rule: 'a large integral double', value: 1e21, want: '1e+21' },
      { rule: 'an int64 beyond 2^53 (bigint)', value: 9007199254740993n, want: '9007199254740993' },
      { rule: 'bool true', value: true, want: 'true' },
      { rule: 'bool false', value: false, want: 'false' },
      { rule: 'an array', value: ['a', 1, true], want: '["a",1,true]' },
      { rule: 'an empty array', value: [], want: '[]' },
      { rule: 'a map', value: { a: 1, b: 'x' }, want: '{"a":1,"b":"x"}' },
      { rule: 'a nested map and array', value: { list: [1, 2], map: { k: false } }, want: '{"list":[1,2],"map":{"k":false}}' },
      { rule: 'bytes, base64 (as OTLP AnyValue bytes)', value: new Uint8Array([1, 2, 3]), want: 'AQID' },
    ];
    for (const { rule, value, want } of rows) {
      it(`${rule}: ${rule.startsWith('an int64') ? String(value) : JSON.stringify(value) ?? String(value)} → ${JSON.stringify(want)}`, () => {
        assert.equal(formatAttributeValue(value), want);
        assert.deepEqual(build({ attr: value }).labels, [['attr', want]]);
      });
    }

    const absent: readonly { rule: string; value: unknown }[] = [
      { rule: 'undefined', value: undefined },
      { rule: 'null', value: null },
      { rule: 'the empty string', value: '' },
    ];
    for (const { rule, value } of absent) {
      it(`${rule} is no label`, () => {
        assert.equal(formatAttributeValue(value), '');
        assert.deepEqual(build({ attr: value }).labels, []);
      });
    }
  });

  describe('context labels: defaults vs overrides', () => {
    const context: ContextLabels = {
      defaults: [['service_name', 'checkout']],
      overrides: [['otel_scope_name', 'my.scope'], ['job', 'shop/checkout']],
    };
    const rows: readonly { rule: string; attributes: Attributes; want: LabelPairs }[] = [
      {
        rule: 'defaults and overrides are added to a point without them',
        attributes: { method: 'GET' },
        want: [['job', 'shop/checkout'], ['method', 'GET'], ['otel_scope_name', 'my.scope'], ['service_name', 'checkout']],
      },
      {
        rule: 'a default does not replace the point attribute of that name',
        attributes: { 'service.name': 'mine' },
        want: [['job', 'shop/checkout'], ['otel_scope_name', 'my.scope'], ['service_name', 'mine']],
      },
      {
        rule: 'an override replaces the point attribute of that name',
        attributes: { job: 'mine', otel_scope_name: 'mine' },
        want: [['job', 'shop/checkout'], ['otel_scope_name', 'my.scope'], ['service_name', 'checkout']],
      },
    ];
    for (const { rule, attributes, want } of rows) {
      it(rule, () => {
        assert.deepEqual(build(attributes, { context }).labels, want);
      });
    }
  });
});

describe('sortLabelPairs', () => {
  it('sorts by name, the last value of a name wins, empty values are no label', () => {
    assert.deepEqual(
      sortLabelPairs([
        ['b', '1'],
        ['a', '2'],
        ['b', '3'],
        ['c', ''],
      ]),
      [
        ['a', '2'],
        ['b', '3'],
      ],
    );
  });
});

describe('compareCodeUnits', () => {
  const rows: readonly [string, string, number][] = [
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['B', 'a', -1],
    ['a.b', 'a_b', -1],
    ['a_b', 'ab', -1],
  ];
  for (const [a, b, want] of rows) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${want}`, () => {
      assert.equal(compareCodeUnits(a, b), want);
    });
  }
});
