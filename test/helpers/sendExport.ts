/**
 * Sending one OTLP export over the raw transports (HTTP via fetch, gRPC via grpc-js) and reading
 * what the answer means: full success, partial success, refusal to retry, or refusal for good.
 */
import * as grpc from '@grpc/grpc-js';
import { METRICS_EXPORT_PATH } from '../../src/otlp/receiver/grpcReceiver.ts';
import { readFields } from './readFields.ts';

export type Encoding = 'protobuf' | 'json';

/** What became of one export: stored whole, stored in part, refused for the client to retry (503/UNAVAILABLE), or refused for good. */
export type ExportAnswer =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'partial'; readonly rejected: number; readonly message: string }
  | { readonly kind: 'retry'; readonly detail: string }
  | { readonly kind: 'refused'; readonly status: number; readonly detail: string };

/** `partial_success` of a protobuf `ExportMetricsServiceResponse` (field 1: rejected_data_points 1, error_message 2). */
function protobufPartial(bytes: Uint8Array): ExportAnswer {
  for (const field of readFields(bytes)) {
    if (field.number !== 1 || !(field.value instanceof Uint8Array)) continue;
    let rejected = 0;
    let text = '';
    for (const inner of readFields(field.value)) {
      if (inner.number === 1 && typeof inner.value === 'number') rejected = inner.value;
      if (inner.number === 2 && inner.value instanceof Uint8Array) text = Buffer.from(inner.value).toString('utf8');
    }
    if (rejected > 0 || text !== '') return { kind: 'partial', rejected, message: text };
  }
  return { kind: 'accepted' };
}

/** POSTs one export to the OTLP/HTTP receiver and says what became of it. */
export async function postExport(url: string, encoding: Encoding, body: Uint8Array | string, timeoutMs = 30_000): Promise<ExportAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return readExportAnswer(response.status, encoding, new Uint8Array(await response.arrayBuffer()));
}

/** What an OTLP/HTTP answer (`status`, body `bytes` in `encoding`) says became of the export. */
export function readExportAnswer(status: number, encoding: Encoding, bytes: Uint8Array): ExportAnswer {
  if (status === 503) return { kind: 'retry', detail: `503 ${Buffer.from(bytes).toString('utf8')}` };
  if (status !== 200) return { kind: 'refused', status, detail: Buffer.from(bytes).toString('utf8') };
  if (encoding === 'protobuf') return protobufPartial(bytes);
  const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as { partialSuccess?: { rejectedDataPoints?: string | number; errorMessage?: string } };
  const partial = json.partialSuccess;
  if (partial === undefined) return { kind: 'accepted' };
  return { kind: 'partial', rejected: Number(partial.rejectedDataPoints ?? 0), message: partial.errorMessage ?? '' };
}

const identity = (bytes: Buffer): Buffer => bytes;

/** One OTLP/gRPC Export of raw protobuf bytes on `client`, and what became of it. */
export function grpcExport(client: grpc.Client, body: Uint8Array, timeoutMs = 30_000): Promise<ExportAnswer> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(body), { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error === null) resolve(protobufPartial(response ?? Buffer.alloc(0)));
      else if (error.code === grpc.status.UNAVAILABLE) resolve({ kind: 'retry', detail: `UNAVAILABLE ${error.details}` });
      else resolve({ kind: 'refused', status: error.code, detail: error.details });
    });
  });
}

/** A plaintext channel to the OTLP/gRPC receiver on loopback `port`; the caller closes it. */
export function grpcClient(port: number): grpc.Client {
  return new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** One OTLP/gRPC Export of raw bytes on a channel of its own, closed after; the call's error (null on success). */
export function grpcExportError(port: number, body: Uint8Array, timeoutMs = 30_000): Promise<grpc.ServiceError | null> {
  const client = grpcClient(port);
  return new Promise<grpc.ServiceError | null>((resolve) => {
    client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(body), { deadline: Date.now() + timeoutMs }, (error) => resolve(error));
  }).finally(() => client.close());
}
