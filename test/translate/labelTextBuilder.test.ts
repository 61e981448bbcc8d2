import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelText, renderLabelText } from '../../src/translate/labelText.ts';
import { LabelTextBuilder } from '../../src/translate/labelTextBuilder.ts';
import type { Attributes } from '../../src/otelData/otelData.ts';
import { NO_CONTEXT_LABELS, type ContextLabels, type LabelDropReason, type LabelSetOptions } from '../../src/translate/labelPlan.ts';
import { buildLabelPairs } from '../../src/translate/labelSet.ts';

type Drop = readonly [LabelDropReason, string];

/** The reference: label pairs built, then rendered; and the drops counted on the way. */
function reference(attributes: Attributes, context: ContextLabels, options: LabelSetOptions): { text: string; drops: Drop[] } {
  const drops: Drop[] = [];
  const text = renderLabelText(buildLabelPairs(attributes, context, { ...options, onDrop: (reason, key) => drops.push([reason, key]) }));
  return { text, drops };
}

const CONTEXTS: readonly { name: string; context: ContextLabels }[] = [
  { name: 'no context', context: NO_CONTEXT_LABELS },
  {
    name: 'job, instance and scope labels',
    context: { defaults: [], overrides: [['otel_scope_name', 'lib'], ['otel_scope_version', '1.0'], ['job', 'shop/checkout'], ['instance', 'i-1']] },
  },
  {
    name: 'promoted resource attributes (defaults) and overrides of attribute names',
    context: { defaults: [['service_name', 'svc'], ['zone', 'eu "west"'], ['a_b', 'default']], overrides: [['method', 'FORCED'], ['z_last', 'z']] },
  },
  { name: 'a default given twice (the first wins)', context: { defaults: [['region', 'first'], ['region', 'second']], overrides: [] } },
];

const ATTRIBUTES: readonly Attributes[] = [
  {},
  { method: 'GET', status: 200, route: '/api/v1/items/7' },
  { route: '/x', method: 'GET', status: 200 }, // the same keys in another order
  { 'http.request.method': 'POST', 'http.response.status_code': 404 },
  { 'a.b': 'x', a_b: 'y' }, // two keys, one name: merged with `;` in key order
  { 'a.b': '', a_b: 'y' }, // an empty value leaves the merged one alone
  { 'a.b': '', a_b: '' }, // both empty: the context default, if any
  { zone: '' }, // empty: the default applies
  { zone: 'attribute wins' }, // set: the default does not apply
  { method: 'replaced by the override' },
  { quote: 'say "hi"\\n', newline: 'a\nb' }, // escaped
  { '': 'x', ___: 'y', __name__: 'z', le: '5', quantile: '0.5', ok: true }, // drops, and reserved names
  { '': '', ok: 1 }, // an empty value is not counted as a drop
  { n: 1.5, big: 1e21, inf: Infinity, nan: Number.NaN, neg: -0, flag: false },
  { list: ['a', 1, true], map: { y: 2, x: 1 }, bytes: new Uint8Array([1, 2, 3]), big: 12345678901234567890n },
  { 'café.ünïcode': 'välue', 'http.method': 'GET' }, // sanitized, or quoted without escaping
];

describe('LabelTextBuilder: the same text and drops as building label pairs and rendering them', () => {
  for (const { name, context } of CONTEXTS) {
    for (const escape of [true, false]) {
      for (const reserved of [undefined, 'le', 'quantile']) {
        for (const keepTexts of [false, true]) {
          it(`${name}; escape ${escape}; reserved ${reserved ?? 'none'}; keepTexts ${keepTexts}`, () => {
            const drops: Drop[] = [];
            const builder = new LabelTextBuilder(context, { escape, reserved, onDrop: (reason, key) => drops.push([reason, key]) }, keepTexts ? { kept: { entries: 0 } } : undefined);
            // Twice: the second time from what the builder kept.
            for (let round = 0; round < 2; round++) {
              for (const attributes of ATTRIBUTES) {
                const want = reference(attributes, context, { escape, reserved });
                drops.length = 0;
                assert.equal(builder.labelTextOf(attributes), want.text, `${JSON.stringify(attributes, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
                assert.deepEqual(drops, want.drops);
              }
            }
          });
        }
      }
    }
  }

  it('keeps one text per attribute values: a series already seen gets the very same string', () => {
    const builder = new LabelTextBuilder(NO_CONTEXT_LABELS, { escape: true }, { kept: { entries: 0 } });
    const first = builder.labelTextOf({ method: 'GET', status: 200 });
    assert.equal(builder.labelTextOf({ method: 'GET', status: 200 }), first);
    assert.equal(builder.labelTextOf({ method: 'GET', status: 201 }), 'method="GET",status="201"');
  });
});

describe('LabelTextBuilder: what it keeps, counted for its owner to bound', () => {
  const options: LabelSetOptions = { escape: true };

  it('counts each text and each sequence of keys it keeps, once', () => {
    const kept = { entries: 0 };
    const builder = new LabelTextBuilder(NO_CONTEXT_LABELS, options, { kept });
    builder.labelTextOf({ method: 'GET', status: 200 });
    assert.equal(kept.entries, 2, 'the keys method, status and one text');
    builder.labelTextOf({ method: 'GET', status: 200 });
    assert.equal(kept.entries, 2, 'found again, not kept again');
    builder.labelTextOf({ method: 'GET', status: 500 });
    assert.equal(kept.entries, 3, 'one more text');
    builder.labelTextOf({ route: '/x' });
    assert.equal(kept.entries, 5, 'new keys and their text');
  });

  it('keeps nothing when keepsText says no (a point refused for the series limit), and asks only about texts not kept', () => {
    const kept = { entries: 0 };
    const asked: string[] = [];
    const builder = new LabelTextBuilder(NO_CONTEXT_LABELS, options, { kept });
    const keepNone = (text: string) => {
      asked.push(text);
      return false;
    };
    for (let i = 0; i < 3; i++) assert.equal(builder.labelTextOf({ id: `user-${i}` }, keepNone), `id="user-${i}"`);
    assert.equal(builder.labelTextOf({ brand_new_key: 'x' }, keepNone), 'brand_new_key="x"');
    assert.equal(kept.entries, 0);
    assert.deepEqual(asked, ['id="user-0"', 'id="user-1"', 'id="user-2"', 'brand_new_key="x"']);

    builder.labelTextOf({ id: 'user-0' }); // now kept
    asked.length = 0;
    assert.equal(builder.labelTextOf({ id: 'user-0' }, keepNone), 'id="user-0"');
    assert.deepEqual(asked, [], 'a text kept is not asked about');
    assert.equal(kept.entries, 2);
  });

  it('keeps no text for values that are objects, only their keys', () => {
    const kept = { entries: 0 };
    const builder = new LabelTextBuilder(NO_CONTEXT_LABELS, options, { kept });
    assert.equal(builder.labelTextOf({ list: ['a', 'b'] }), 'list="[\\"a\\",\\"b\\"]"');
    assert.equal(kept.entries, 1);
  });

  it('a builder of a new generation takes over from the older one only what is asked for again, counted anew', () => {
    const olderKept = { entries: 0 };
    const older = new LabelTextBuilder(NO_CONTEXT_LABELS, options, { kept: olderKept });
    const texts = Array.from({ length: 10 }, (_, i) => older.labelTextOf({ id: `s${i}` }));
    assert.equal(olderKept.entries, 11);
    const kept = { entries: 0 };
    const builder = new LabelTextBuilder(NO_CONTEXT_LABELS, options, { kept, older });
    assert.equal(builder.labelTextOf({ id: 's3' }), texts[3]);
    assert.equal(builder.labelTextOf({ id: 's4' }), texts[4]);
    assert.equal(kept.entries, 3, 'the keys and two texts');
    assert.equal(builder.labelTextOf({ id: 's3' }, () => assert.fail('s3 is kept now')), texts[3]);
    builder.forgetOlder();
    assert.equal(builder.labelTextOf({ id: 's5' }), 'id="s5"', 'built again once the older builder is let go');
  });
});

describe('parseLabelText: the label pairs back from a label text', () => {
  const rows: readonly (readonly (readonly [string, string])[])[] = [
    [],
    [['method', 'GET']],
    [['a', 'x'], ['b', 'y,z="w"']],
    [['path', 'C:\\dir "x"\nnext']],
    [['http.method', 'GET'], ['odd "name"', 'v']],
    [['empty', '']],
  ];
  for (const pairs of rows) {
    it(JSON.stringify(pairs), () => {
      assert.deepEqual(parseLabelText(renderLabelText(pairs)), pairs);
    });
  }
});
