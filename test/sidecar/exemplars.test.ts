/**
 * Exemplars end to end: a hand-built OTLP/JSON request with exemplars on a monotonic sum point and a
 * histogram point, posted to a running sidecar, comes out of the OpenMetrics scrape as
 * `# {trace_id="…",span_id="…"} value timestamp` on the `_total` line and on the bucket the
 * exemplar's value falls in; the text 0.0.4 scrape, which has no exemplars, shows none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseExposition, type ParsedFamily, type ParsedSample } from '../helpers/parseExposition.ts';
import { get, startSidecar, TIMEOUT_MS, type RunningSidecar } from './sidecarHarness.ts';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';
const TEXT = 'text/plain;version=0.0.4';

const NOW_NS = '1700000000000000000';
const START_NS = '1699999940000000000';

const COUNTER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const COUNTER_SPAN = '00f067aa0ba902b7';
const HISTOGRAM_TRACE = '0af7651916cd43dd8448eb211c80319c';
const HISTOGRAM_SPAN = 'b7ad6b7169203331';

const REQUEST = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeMetrics: [
        {
          scope: { name: 'exemplars-test' },
          metrics: [
            {
              name: 'orders',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  {
                    startTimeUnixNano: START_NS,
                    timeUnixNano: NOW_NS,
                    asDouble: 12,
                    exemplars: [
                      {
                        traceId: COUNTER_TRACE,
                        spanId: COUNTER_SPAN,
                        asDouble: 2.5,
                        timeUnixNano: '1699999999123000000',
                        filteredAttributes: [{ key: 'customer', value: { stringValue: 'c-42' } }],
                      },
                    ],
                  },
                ],
              },
            },
            {
              name: 'request.duration',
              unit: 's',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    startTimeUnixNano: START_NS,
                    timeUnixNano: NOW_NS,
                    count: '3',
                    sum: 1.35,
                    explicitBounds: [0.1, 1],
                    bucketCounts: ['1', '2', '0'],
                    exemplars: [{ traceId: HISTOGRAM_TRACE, spanId: HISTOGRAM_SPAN, asDouble: 0.5, timeUnixNano: '1699999998500000000', filteredAttributes: [] }],
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

async function scrapeAs(running: RunningSidecar, accept: string): Promise<string> {
  const response = await get(running.addresses.metrics.url, { accept });
  assert.equal(response.status, 200);
  return response.text();
}

function sample(families: readonly ParsedFamily[], name: string, labels: Record<string, string> = {}): ParsedSample {
  const found = families.flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.equal(found.length, 1, `one ${name} ${JSON.stringify(labels)}`);
  return found[0]!;
}

describe('exemplars from OTLP to the OpenMetrics scrape', () => {
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar();
    const response = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(REQUEST),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{}');
  });
  after(async () => {
    await running.sidecar.stop();
  });

  it('OpenMetrics: the counter\'s _total line carries its exemplar (trace_id, span_id, attributes, value, timestamp)', async () => {
    const body = await scrapeAs(running, OPENMETRICS);
    assert.match(
      body,
      new RegExp(`^orders_total\\{[^}]*job="checkout"[^}]*\\} 12 # \\{trace_id="${COUNTER_TRACE}",span_id="${COUNTER_SPAN}",customer="c-42"\\} 2\\.5 1699999999\\.123$`, 'm'),
    );
    const families = parseExposition(body, 'openmetrics');
    assert.deepEqual(sample(families, 'orders_total', { job: 'checkout' }).exemplar, {
      labels: { trace_id: COUNTER_TRACE, span_id: COUNTER_SPAN, customer: 'c-42' },
      value: 2.5,
      timestamp: 1699999999.123,
    });
  });

  it('OpenMetrics: the histogram\'s exemplar is on the bucket its value falls in (le="1"), on no other', async () => {
    const body = await scrapeAs(running, OPENMETRICS);
    assert.match(
      body,
      new RegExp(`^request_duration_seconds_bucket\\{[^}]*le="1"[^}]*\\} 3 # \\{trace_id="${HISTOGRAM_TRACE}",span_id="${HISTOGRAM_SPAN}"\\} 0\\.5 1699999998\\.500$`, 'm'),
    );
    const families = parseExposition(body, 'openmetrics');
    assert.deepEqual(sample(families, 'request_duration_seconds_bucket', { job: 'checkout', le: '1' }).exemplar, {
      labels: { trace_id: HISTOGRAM_TRACE, span_id: HISTOGRAM_SPAN },
      value: 0.5,
      timestamp: 1699999998.5,
    });
    for (const le of ['0.1', '+Inf']) assert.equal(sample(families, 'request_duration_seconds_bucket', { job: 'checkout', le }).exemplar, undefined, `le="${le}"`);
    assert.equal(sample(families, 'request_duration_seconds_count', { job: 'checkout' }).value, 3);
  });

  it('text 0.0.4: the same samples, no exemplars', async () => {
    const body = await scrapeAs(running, TEXT);
    assert.doesNotMatch(body, / # \{/);
    assert.ok(!body.includes(COUNTER_TRACE) && !body.includes(HISTOGRAM_TRACE), 'no trace id in text 0.0.4');
    const families = parseExposition(body, 'text');
    assert.equal(sample(families, 'orders_total', { job: 'checkout' }).value, 12);
    assert.equal(sample(families, 'request_duration_seconds_bucket', { job: 'checkout', le: '1' }).value, 3);
    assert.ok(families.flatMap((f) => f.samples).every((s) => s.exemplar === undefined));
  });
});
