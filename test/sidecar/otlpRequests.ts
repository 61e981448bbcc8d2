/**
 * Small hand-made ExportMetricsServiceRequests for the receiver tests: monotonic cumulative sums
 * with one point each, in protobuf and in JSON, from one resource.
 */
import { double, fixed64, message, string, varint } from '../otlp/protobufWriter.ts';

export interface CounterPoint {
  readonly name: string;
  readonly value: number;
}

const NOW_NS = 1_700_000_000_000_000_000n;
const START_NS = NOW_NS - 60_000_000_000n;

/** Protobuf: field numbers from opentelemetry-proto `metrics/v1/metrics.proto`. */
export function protobufRequest(service: string, points: readonly CounterPoint[]): Uint8Array {
  const resource = message(1, message(1, string(1, 'service.name'), message(2, string(1, service))));
  const metrics = points.map(({ name, value }) =>
    message(
      2,
      string(1, name),
      // sum: data_points, aggregation_temporality CUMULATIVE (2), is_monotonic
      message(7, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), double(4, value)), varint(2, 2), varint(3, 1)),
    ),
  );
  return message(1, resource, message(2, message(1, string(1, 'receiver-test')), ...metrics));
}

/** JSON (OTLP/JSON mapping): NaN and infinities as strings, 64-bit integers as strings. */
export function jsonRequest(service: string, points: readonly CounterPoint[]): string {
  const metrics = points.map(({ name, value }) => ({
    name,
    sum: {
      aggregationTemporality: 2,
      isMonotonic: true,
      dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), asDouble: Number.isFinite(value) ? value : String(value) }],
    },
  }));
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [{ scope: { name: 'receiver-test' }, metrics }],
      },
    ],
  });
}

