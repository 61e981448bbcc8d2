/**
 * What the OTLP decoders leave out of a request that is otherwise accepted is counted by reason in
 * `otel_prom_bridge_translation_dropped_total`, over both receivers, besides being reported to the
 * client in `partial_success`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { METRICS_EXPORT_PATH } from '../../../src/otlp/receiver/grpcReceiver.ts';
import { fixed64, message, string, varint } from '../../helpers/protobufWriter.ts';
import type { ParsedFamily } from '../../helpers/parseExposition.ts';
import { scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../../sidecar/sidecarHarness.ts';

const NOW_NS = '1700000000000000000';
const START_NS = '1699999940000000000';

/** One request with a good counter and one case of each thing the decoders leave out. */
const REQUEST = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'drops' } }] },
      scopeMetrics: [
        {
          scope: { name: 'drops-test' },
          metrics: [
            { name: 'good', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: START_NS, timeUnixNano: NOW_NS, asDouble: 3 }] } },
            // metric_without_data: one metric, no points.
            { name: 'nothing', description: 'a metric of a type this bridge does not know' },
            // invalid_temporality: the metric and its two points.
            {
              name: 'unspecified',
              sum: {
                aggregationTemporality: 0,
                isMonotonic: true,
                dataPoints: [
                  { timeUnixNano: NOW_NS, asDouble: 1 },
                  { timeUnixNano: NOW_NS, asDouble: 2, attributes: [{ key: 'k', value: { stringValue: 'v' } }] },
                ],
              },
            },
            // invalid_histogram_buckets: three counts for one bound.
            {
              name: 'crooked',
              histogram: { aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: START_NS, timeUnixNano: NOW_NS, count: '3', explicitBounds: [1], bucketCounts: ['1', '1', '1'] }] },
            },
            // profiling_field_ignored: the attribute's key_strindex is read as absent, the point kept.
            {
              name: 'profiled',
              gauge: { dataPoints: [{ timeUnixNano: NOW_NS, asDouble: 4, attributes: [{ key: 'region', keyStrindex: 7, value: { stringValue: 'eu' } }] }] },
            },
          ],
        },
      ],
    },
  ],
};

const REASONS = ['metric_without_data', 'invalid_temporality', 'invalid_histogram_buckets', 'profiling_field_ignored'] as const;
/** What one request adds to each reason's count. */
const PER_REQUEST: Record<(typeof REASONS)[number], number> = { metric_without_data: 1, invalid_temporality: 2, invalid_histogram_buckets: 1, profiling_field_ignored: 1 };

function dropped(families: readonly ParsedFamily[], reason: string): number {
  const found = families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_translation_dropped_total' && s.labels.reason === reason);
  return found?.value ?? 0;
}

describe('decoder drops are counted by reason', () => {
  let running: RunningSidecar;
  before(async () => {
    running = await startSidecar();
  });
  after(async () => {
    await running.sidecar.stop();
  });

  it('OTLP/HTTP JSON: each reason\'s counter moves; the rest of the request is accepted', async () => {
    const before = await scrape(running.addresses);
    const response = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(REQUEST),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    assert.equal(answer.partialSuccess.rejectedDataPoints, '3'); // two points of `unspecified`, one of `crooked`
    const families = await scrape(running.addresses);
    for (const reason of REASONS) {
      assert.equal(dropped(families, reason) - dropped(before, reason), PER_REQUEST[reason], `otel_prom_bridge_translation_dropped_total{reason="${reason}"}`);
    }
    assert.equal(valueOf(families, 'good_total', { job: 'drops' }), 3);
    assert.equal(valueOf(families, 'profiled', { job: 'drops' }), 4);
  });

  it('OTLP/gRPC protobuf: a metric without data and a temporality of 0 are counted too', async () => {
    const before = await scrape(running.addresses);
    const resource = message(1, message(1, string(1, 'service.name'), message(2, string(1, 'drops-grpc'))));
    const request = message(
      1,
      resource,
      message(
        2,
        message(1, string(1, 'drops-test')),
        message(2, string(1, 'nothing')),
        // sum with one point and aggregation_temporality UNSPECIFIED (0)
        message(2, string(1, 'unspecified'), message(7, message(1, fixed64(3, 1_700_000_000_000_000_000n)), varint(2, 0), varint(3, 1))),
      ),
    );
    const client = new grpc.Client(`127.0.0.1:${running.addresses.otlpGrpc.port}`, grpc.credentials.createInsecure());
    try {
      const identity = (bytes: Buffer): Buffer => bytes;
      const response = await new Promise<Buffer | undefined>((resolve, reject) => {
        client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(request), { deadline: Date.now() + TIMEOUT_MS }, (error, value) => (error ? reject(error) : resolve(value)));
      });
      assert.equal(Number(ProtobufMetricsSerializer.deserializeResponse(response!).partialSuccess?.rejectedDataPoints), 1);
    } finally {
      client.close();
    }
    const families = await scrape(running.addresses);
    assert.equal(dropped(families, 'metric_without_data') - dropped(before, 'metric_without_data'), 1);
    assert.equal(dropped(families, 'invalid_temporality') - dropped(before, 'invalid_temporality'), 1);
  });

  it('a malformed request is refused whole and counts no drops', async () => {
    const before = await scrape(running.addresses);
    const broken = JSON.stringify(REQUEST).replace('"asDouble":3', '"asDouble":{}');
    const response = await fetch(running.addresses.otlpHttp.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: broken, signal: AbortSignal.timeout(TIMEOUT_MS) });
    assert.equal(response.status, 400);
    await response.body?.cancel();
    const families = await scrape(running.addresses);
    for (const reason of REASONS) assert.equal(dropped(families, reason), dropped(before, reason), reason);
  });
});
