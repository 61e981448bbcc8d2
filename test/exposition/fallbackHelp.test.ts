/**
 * A metric without a description gets a HELP all the same (src/translate/familyHelp.ts), in every
 * format: text 0.0.4, text 1.0.0, OpenMetrics and protobuf (the family's help field).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderExposition } from '../../src/exposition/renderExposition.ts';
import { renderProtobuf } from '../../src/exposition/protobuf/protobufFormat.ts';
import { DropCounter } from '../../src/model/dropCounter.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import type { OtelMetric } from '../../src/otelData/otelData.ts';
import { PLAIN } from '../model/storeFixtures.ts';
import { decodeMetricFamilies } from './protobuf/decodeMetricFamilies.ts';

const HELP = 'http.server.duration (OpenTelemetry histogram, unit ms; no description given)';

function families() {
  const store = new SeriesStore(PLAIN, new DropCounter());
  const metric: OtelMetric = {
    kind: 'histogram',
    temporality: 'cumulative',
    name: 'http.server.duration',
    unit: 'ms',
    description: '',
    points: [{ attributes: {}, timeMs: 1_700_000_000_000, count: 1, sum: 3, bounds: [10], counts: [1, 0] }],
  };
  store.apply({ resource: { attributes: {} }, scopeMetrics: [{ scope: { name: 's' }, metrics: [metric] }] });
  return store.families();
}

describe('the fallback HELP in every format', () => {
  for (const { name, accept, line } of [
    { name: 'text 0.0.4', accept: undefined, line: `# HELP http_server_duration_milliseconds ${HELP}` },
    { name: 'text 1.0.0', accept: 'text/plain;version=1.0.0', line: `# HELP http_server_duration_milliseconds ${HELP}` },
    { name: 'OpenMetrics', accept: 'application/openmetrics-text;version=1.0.0', line: `# HELP http_server_duration_milliseconds ${HELP}` },
  ]) {
    it(name, () => {
      const { body } = renderExposition(families(), accept, {});
      assert.ok(body.split('\n').includes(line), body);
    });
  }

  it('protobuf: the family\'s help field', () => {
    const [family] = decodeMetricFamilies(renderProtobuf(families()));
    assert.equal(family?.name, 'http_server_duration_milliseconds');
    assert.equal(family?.help, HELP);
  });
});
