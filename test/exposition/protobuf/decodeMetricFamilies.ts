import protobuf from 'protobufjs';

const PROTO = new URL('../../../proto/io/prometheus/client/metrics.proto', import.meta.url).pathname;

/** client_model's `MetricFamily`, loaded by protobufjs from the .proto the repository keeps. */
const metricFamilyType = protobuf.loadSync(PROTO).lookupType('io.prometheus.client.MetricFamily');

/** A decoded message as plain data: enums by name, 64-bit integers as numbers, absent fields absent. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Decoded = Record<string, any>;

/** Decodes a stream of varint-length-delimited `MetricFamily` messages, as Prometheus reads a protobuf scrape. */
export function decodeMetricFamilies(bytes: Uint8Array): Decoded[] {
  const reader = protobuf.Reader.create(bytes);
  const families: Decoded[] = [];
  while (reader.pos < reader.len) {
    const message = metricFamilyType.decodeDelimited(reader);
    families.push(metricFamilyType.toObject(message, { enums: String, longs: Number, arrays: false, defaults: false }));
  }
  return families;
}
