import { pushVarint } from './exportResponse.ts';

/** The `google.rpc.Code` values the receiver answers with (the same numbers as gRPC status codes). */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type RpcCode = (typeof RpcCode)[keyof typeof RpcCode];

/** The `google.rpc.Code` that goes with an HTTP error status in OTLP/HTTP error bodies. */
export function rpcCodeForHttpStatus(statusCode: number): RpcCode {
  switch (statusCode) {
    case 401:
      return RpcCode.UNAUTHENTICATED;
    case 404:
      return RpcCode.NOT_FOUND;
    case 405:
      return RpcCode.UNIMPLEMENTED;
    case 413:
      return RpcCode.RESOURCE_EXHAUSTED;
    case 429:
    case 503:
      return RpcCode.UNAVAILABLE;
    default:
      return statusCode >= 500 ? RpcCode.INTERNAL : RpcCode.INVALID_ARGUMENT;
  }
}

/**
 * `google.rpc.Status` in protobuf (field 1 `code` int32, field 2 `message` string; no details), the
 * body of an OTLP/HTTP error answer to a protobuf request.
 */
export function encodeStatusProtobuf(code: RpcCode, message: string): Buffer {
  const head: number[] = [0x08]; // field 1, varint
  pushVarint(head, code);
  const text = Buffer.from(message, 'utf8');
  if (text.length === 0) return Buffer.from(head);
  head.push(0x12); // field 2, length-delimited
  pushVarint(head, text.length);
  return Buffer.concat([Buffer.from(head), text]);
}

/** `google.rpc.Status` in JSON, the body of an OTLP/HTTP error answer to a JSON request. */
export function encodeStatusJson(code: RpcCode, message: string): string {
  return JSON.stringify({ code, message });
}
