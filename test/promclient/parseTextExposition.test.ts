import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTextExposition } from '../../src/promclient/parseTextExposition.ts';

describe('parseTextExposition: aggregated client output back into getMetricsAsJSON()\'s shape', () => {
  it('text 0.0.4: HELP and TYPE, labels with escapes, histogram samples by their own names', () => {
    const problems: string[] = [];
    const text = [
      '# HELP jobs_total Jobs \\\\ done\\nnow',
      '# TYPE jobs_total counter',
      'jobs_total{queue="m\\"a\\\\il\\n",kind="x"} 3',
      '',
      '# HELP dur_seconds Time',
      '# TYPE dur_seconds histogram',
      'dur_seconds_bucket{le="0.1"} 1',
      'dur_seconds_bucket{le="+Inf"} 2',
      'dur_seconds_sum 0.55',
      'dur_seconds_count 2',
      'loose_value 7 1700000000000',
      'not a sample',
    ].join('\n');
    assert.deepEqual(parseTextExposition(text, (problem) => problems.push(problem)), [
      { name: 'jobs_total', help: 'Jobs \\ done\nnow', type: 'counter', values: [{ metricName: 'jobs_total', labels: { queue: 'm"a\\il\n', kind: 'x' }, value: 3 }] },
      {
        name: 'dur_seconds',
        help: 'Time',
        type: 'histogram',
        values: [
          { metricName: 'dur_seconds_bucket', labels: { le: '0.1' }, value: 1 },
          { metricName: 'dur_seconds_bucket', labels: { le: '+Inf' }, value: 2 },
          { metricName: 'dur_seconds_sum', labels: {}, value: 0.55 },
          { metricName: 'dur_seconds_count', labels: {}, value: 2 },
        ],
      },
      { name: 'loose_value', help: '', type: 'untyped', values: [{ metricName: 'loose_value', labels: {}, value: 7 }] },
    ]);
    assert.deepEqual(problems, ['line 12 is not a sample: "not a sample"']);
  });

  it('OpenMetrics: a counter family named by its _total sample, UNIT, exemplars, _created and EOF passed over', () => {
    const text = [
      '# TYPE jobs counter',
      '# UNIT jobs jobs',
      '# HELP jobs Jobs',
      'jobs_total{q="a"} 3 # {trace_id="abc"} 1 1700000000.1',
      'jobs_created{q="a"} 1700000000',
      '# TYPE up gauge',
      'up NaN',
      'down -Inf',
      '# EOF',
    ].join('\n');
    const metrics = parseTextExposition(text, assert.fail);
    assert.deepEqual(metrics.map(({ name, type, help }) => [name, type, help]), [['jobs_total', 'counter', 'Jobs'], ['up', 'gauge', ''], ['down', 'untyped', '']]);
    assert.deepEqual(metrics[0]?.values, [{ metricName: 'jobs_total', labels: { q: 'a' }, value: 3 }]);
    assert.ok(Number.isNaN(metrics[1]?.values[0]?.value));
    assert.equal(metrics[2]?.values[0]?.value, -Infinity);
  });
});
