import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../../src/otelData/otelData.ts';
import { parseLabelText } from '../../src/translate/labelText.ts';
import { buildHarness, gauge, hist, histogram, num, resourceMetrics, SECOND, SIDECAR, T0 } from './storeFixtures.ts';

const T1 = T0 + 10 * SECOND;

const ATTRIBUTES: readonly Attributes[] = [
  {},
  { method: 'GET', status: 200, route: '/api/v1/items/7' },
  { route: '/x', method: 'GET', status: 200 }, // the same keys in another order
  { 'a.b': 'x', a_b: 'y' }, // two keys, one name: merged
  { 'a.b': '', a_b: '' }, // no value: no label (or the promoted default)
  { zone: '' }, // the promoted default applies
  { zone: 'attribute wins' },
  { job: 'replaced by the resource' },
  { quote: 'say "hi"\\n', newline: 'a\nb', comma: 'a,b="c"' }, // escaped
  { __name__: 'z', le: '5', ok: true }, // reserved names left out
  { 'café.ünïcode': 'välue', n: 1.5, list: ['a', 1] },
];

/** Every series of the store: its label pairs, and its label text parsed back. */
function pairsAndParsed(families: ReturnType<ReturnType<typeof buildHarness>['store']['families']>) {
  return families.flatMap((family) => [...family.series.values()].map((series) => ({ where: `${family.name}{${series.labelText}}`, pairs: series.labels, parsed: parseLabelText(series.labelText) })));
}

describe('StoredSeries.labels: the pairs its label text holds, sorted by name, without parsing it back', () => {
  for (const [name, settings] of [
    ['plain', {}],
    ['sidecar: job, instance and target_info', SIDECAR],
    ['scope labels and promoted resource attributes', { ...SIDECAR, scopeLabels: true, promoteResourceAttributes: { keys: ['zone', 'region'] } }],
    ['UTF-8 names kept', { translationStrategy: 'NoUTF8EscapingWithSuffixes' as const }],
  ] as const) {
    for (const snapshot of [false, true]) {
      it(`${name}; ${snapshot ? 'replaceWith (in-process)' : 'apply (pushers)'}`, () => {
        const { store } = buildHarness(settings);
        const resource = { 'service.name': 'svc', 'service.instance.id': 'i-"1"', zone: 'eu\\west', region: '' };
        const metrics = [gauge('g', ATTRIBUTES.map((attributes, i) => num(i, T0, T1, attributes))), histogram('h', 'cumulative', [hist([1, 2], [1], T0, T1, { attributes: { le: 'x', q: 'y' } })])];
        const data = resourceMetrics(metrics, resource);
        if (snapshot) store.replaceWith(data);
        else store.apply(data);
        const all = pairsAndParsed(store.families());
        assert.ok(all.length >= 8, `${all.length} series`);
        for (const { where, pairs, parsed } of all) assert.deepEqual(pairs, parsed, where);
      });
    }
  }

  it('series of the same attribute keys share one layout', () => {
    const { store } = buildHarness(SIDECAR);
    store.apply(resourceMetrics([gauge('g', [num(1, T0, T1, { a: '1' }), num(2, T0, T1, { a: '2' }), num(3, T0, T1, { b: '3' })])], { 'service.name': 'svc' }));
    const series = store.families().find((family) => family.name === 'g')!.series;
    const layoutOf = (labelText: string) => (series.get(labelText) as unknown as { layout: object }).layout;
    assert.equal(layoutOf('a="1",job="svc"'), layoutOf('a="2",job="svc"'));
    assert.notEqual(layoutOf('a="1",job="svc"'), layoutOf('b="3",job="svc"'));
  });
});
