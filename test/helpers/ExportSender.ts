/** Sending exports to one sidecar over any of its transports, encoded from one spec. */
import type * as grpc from '@grpc/grpc-js';
import type { SidecarAddresses } from '../../src/sidecar/sidecarAddresses.ts';
import { encodeJson, encodeProtobuf, type ExportSpec } from './otlpRequests.ts';
import { grpcClient, grpcExport, postExport, type ExportAnswer } from './sendExport.ts';

/** The three ways in: the OTLP/HTTP receiver with each encoding, and OTLP/gRPC. */
export const TRANSPORTS = ['HTTP protobuf', 'HTTP JSON', 'gRPC'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Sends exports to one sidecar, each waited for at most `timeoutMs`; `close()` the gRPC channel at the end. */
export class ExportSender {
  readonly #addresses: SidecarAddresses;
  readonly #timeoutMs: number;
  #client: grpc.Client | undefined;

  constructor(addresses: SidecarAddresses, timeoutMs: number) {
    this.#addresses = addresses;
    this.#timeoutMs = timeoutMs;
  }

  /** The request's body for `transport`: the same bytes every time for the same spec. */
  encode(transport: Transport, spec: ExportSpec): Uint8Array | string {
    return transport === 'HTTP JSON' ? encodeJson(spec) : encodeProtobuf(spec);
  }

  /** Encodes and sends one export; resolves with what the sidecar answered. */
  send(transport: Transport, spec: ExportSpec): Promise<ExportAnswer> {
    return this.sendBody(transport, this.encode(transport, spec));
  }

  /** Sends a body `encode()` made (the very same bytes again, as a retry does). */
  sendBody(transport: Transport, body: Uint8Array | string): Promise<ExportAnswer> {
    switch (transport) {
      case 'HTTP protobuf':
        return postExport(this.#addresses.otlpHttp.url, 'protobuf', body, this.#timeoutMs);
      case 'HTTP JSON':
        return postExport(this.#addresses.otlpHttp.url, 'json', body, this.#timeoutMs);
      case 'gRPC':
        this.#client ??= grpcClient(this.#addresses.otlpGrpc.port);
        return grpcExport(this.#client, typeof body === 'string' ? Buffer.from(body) : body, this.#timeoutMs);
    }
  }

  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
}
