import type { ResourceMetrics } from '../../../otelData/otelData.ts';
import type { OtlpDecodeOptions } from '../OtlpDecodeOptions.ts';
import { decodeRequest } from './decodeRequest.ts';
import { ProtobufReader } from './ProtobufReader.ts';

/**
 * Decoder for `opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest` (OTLP/gRPC and
 * OTLP/HTTP with `application/x-protobuf`), written for the receiver's hot path: one pass over the
 * bytes straight into the bridge's data model, no intermediate message objects, one reused state.
 * The wire reader is `ProtobufReader`; one walker per message level drives it; the rules shared
 * with the JSON decoder are in `metricRules.ts`.
 */

let pooledReader: ProtobufReader | undefined;

/**
 * Decodes an OTLP `ExportMetricsServiceRequest` in protobuf into the bridge's data model.
 *
 * Unknown fields are skipped. Well-formed data that the model cannot hold is left out and reported
 * through `options.onDrop` (see {@link OtlpDropReason}). Malformed bytes throw an
 * {@link OtlpDecodeError} naming the field path.
 */
export function decodeExportMetricsServiceRequest(bytes: Uint8Array, options?: OtlpDecodeOptions): ResourceMetrics[] {
  // A reader per call in progress: the pooled one, or a new one if a callback decodes again.
  const reader = pooledReader ?? new ProtobufReader();
  pooledReader = undefined;
  reader.start(bytes, options);
  try {
    return decodeRequest(reader);
  } finally {
    reader.release();
    pooledReader = reader;
  }
}
