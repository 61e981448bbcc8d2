import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics } from '../../../src/exposition/openmetrics/openMetricsFormat.ts';
import { readExposition } from '../../../src/exposition/renderExposition.ts';
import { renderText, TEXT_CONTENT_TYPE } from '../../../src/exposition/text/textFormat.ts';
import { DropCounter } from '../../../src/model/dropCounter.ts';
import { buildDropFamily } from '../../../src/model/dropFamily.ts';
import type { Family, MetricType, Series } from '../../../src/model/family.ts';
import { PullOutput } from '../../../src/outputs/pull/PullOutput.ts';
import { renderLabelText } from '../../../src/translate/labelText.ts';

function family(name: string, type: MetricType, values: Record<string, number>): Family {
  const series = Object.entries(values).map(([job, value]): Series => {
    const labels = [['job', job]] as const;
    return { labels, labelText: renderLabelText(labels), data: { kind: 'number', value }, timeMs: 0, startTimeMs: undefined };
  });
  return { name, type, help: '', unit: '', series: new Map(series.map((s) => [s.labelText, s])) };
}

describe('PullOutput: one scrape composed from its sources', () => {
  it('asks its sources in order; an earlier one wins a conflict, which is counted, and a last source sees the count', async () => {
    const drops = new DropCounter();
    const asked: string[] = [];
    const pull = new PullOutput({
      sources: [
        () => (asked.push('store'), [family('b_total', 'counter', { a: 1 })]),
        async () => (asked.push('registries'), [family('b_total', 'counter', { a: 2, z: 3 }), family('a', 'gauge', { a: 4 }), family('b_total', 'gauge', { q: 5 })]),
        () => (asked.push('drops'), [buildDropFamily(drops, 0)]),
      ],
      drops,
      renderOptions: {},
    });
    const families = await pull.families();
    assert.deepEqual(asked, ['store', 'registries', 'drops']);
    assert.equal(
      renderText(families),
      [
        '# TYPE a gauge',
        'a{job="a"} 4',
        '# TYPE b_total counter',
        'b_total{job="a"} 1',
        'b_total{job="z"} 3',
        '# HELP otel_prom_bridge_translation_dropped_total Metrics, series and labels the bridge left out of its output, by reason (see the logs for which).',
        '# TYPE otel_prom_bridge_translation_dropped_total counter',
        'otel_prom_bridge_translation_dropped_total{reason="duplicate_series"} 1',
        'otel_prom_bridge_translation_dropped_total{reason="type_conflict"} 1',
        '',
      ].join('\n'),
    );
  });

  it('streams the format the scraper asks for, and renders it whole', async () => {
    const families = [family('up', 'gauge', { a: 1 })];
    const pull = new PullOutput({ sources: [() => families], drops: new DropCounter(), renderOptions: {} });
    const scrape = await pull.stream('application/openmetrics-text;version=1.0.0');
    assert.equal(scrape.format.name, 'openmetrics');
    assert.equal(scrape.escaping, 'underscores');
    assert.deepEqual(await readExposition(scrape), { contentType: `${OPENMETRICS_CONTENT_TYPE}; escaping=underscores`, body: renderOpenMetrics(families) });
    assert.deepEqual(await pull.render(undefined), { contentType: `${TEXT_CONTENT_TYPE}; escaping=underscores`, body: renderText(families) });
  });

  it('escapes names as the scraper asks, whatever the render options say, and names the escaping in the content type', async () => {
    const labels = [['http.method', 'GET']] as const;
    const utf8: Family = {
      name: 'http.server.requests_total',
      type: 'counter',
      help: '',
      unit: '',
      series: new Map([[renderLabelText(labels), { labels, labelText: renderLabelText(labels), data: { kind: 'number', value: 1 }, timeMs: 0, startTimeMs: undefined }]]),
    };
    const pull = new PullOutput({ sources: [() => [utf8]], drops: new DropCounter(), renderOptions: { escaping: 'values' } });
    const prometheus3 = await pull.stream('application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.3');
    assert.equal(prometheus3.format.name, 'openmetrics');
    assert.equal(prometheus3.escaping, 'allow-utf-8');
    assert.deepEqual(await readExposition(prometheus3), {
      contentType: `${OPENMETRICS_CONTENT_TYPE}; escaping=allow-utf-8`,
      body: '# TYPE "http.server.requests" counter\n{"http.server.requests_total","http.method"="GET"} 1\n# EOF\n',
    });
    assert.deepEqual(await pull.render('text/plain'), {
      contentType: `${TEXT_CONTENT_TYPE}; escaping=underscores`,
      body: '# TYPE http_server_requests_total counter\nhttp_server_requests_total{http_method="GET"} 1\n',
    });
  });

  it('rejects when a source does, before anything is written', async () => {
    const pull = new PullOutput({
      sources: [
        () => {
          throw new Error('collection failed');
        },
      ],
      drops: new DropCounter(),
      renderOptions: {},
    });
    await assert.rejects(pull.stream(undefined), { message: 'collection failed' });
  });

  it('needs a source', () => {
    assert.throws(() => new PullOutput({ sources: [], drops: new DropCounter(), renderOptions: {} }), { message: 'A PullOutput needs at least one source of families.' });
  });
});
