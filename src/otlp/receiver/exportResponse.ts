/**
 * `opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse`, the answer to an
 * accepted export, in protobuf (OTLP/gRPC, OTLP/HTTP `application/x-protobuf`) and in JSON
 * (OTLP/HTTP `application/json`). A response without `partial_success` means all was accepted.
 */

/** What the receiver reports back: how many data points it refused and why (both zero/empty: none). */
export interface PartialSuccess {
  readonly rejectedDataPoints: number;
  /** Human-readable reasons; '' for none. */
  readonly errorMessage: string;
}

/**
 * Protobuf: field 1 `partial_success` (ExportMetricsPartialSuccess: field 1 `rejected_data_points`
 * int64, field 2 `error_message` string), left out when nothing was refused. Empty bytes otherwise.
 */
export function encodeExportResponseProtobuf(result: PartialSuccess): Buffer {
  if (!hasPartialSuccess(result)) return Buffer.alloc(0);
  const inner: number[] = [];
  if (result.rejectedDataPoints > 0) {
    inner.push(0x08); // field 1, varint
    pushVarint(inner, result.rejectedDataPoints);
  }
  if (result.errorMessage !== '') {
    const message = Buffer.from(result.errorMessage, 'utf8');
    inner.push(0x12); // field 2, length-delimited
    pushVarint(inner, message.length);
    return Buffer.concat([outerHeader(inner.length + message.length), Buffer.from(inner), message]);
  }
  return Buffer.concat([outerHeader(inner.length), Buffer.from(inner)]);
}

/** JSON (proto3 JSON mapping: int64 as a string, lowerCamelCase names): `{}` when all was accepted. */
export function encodeExportResponseJson(result: PartialSuccess): string {
  if (!hasPartialSuccess(result)) return '{}';
  const partialSuccess: Record<string, string> = {};
  if (result.rejectedDataPoints > 0) partialSuccess.rejectedDataPoints = String(result.rejectedDataPoints);
  if (result.errorMessage !== '') partialSuccess.errorMessage = result.errorMessage;
  return JSON.stringify({ partialSuccess });
}

function hasPartialSuccess(result: PartialSuccess): boolean {
  return result.rejectedDataPoints > 0 || result.errorMessage !== '';
}

/** Tag and length of field 1 (`partial_success`) for a message of `length` bytes. */
function outerHeader(length: number): Buffer {
  const header = [0x0a];
  pushVarint(header, length);
  return Buffer.from(header);
}

/** Appends a non-negative integer (below 2^53) as a protobuf varint. */
export function pushVarint(out: number[], value: number): void {
  let rest = Math.max(0, Math.trunc(value));
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}
