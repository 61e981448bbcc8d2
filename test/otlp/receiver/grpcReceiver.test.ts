/**
 * The OTLP/gRPC receiver's answers to a raw grpc-js client (bytes in, bytes out): status codes for
 * bad input, ExportMetricsServiceResponse for good input, and /metrics served after each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { GRPC_LIMIT_MARGIN_BYTES, GrpcReceiver, METRICS_EXPORT_PATH } from '../../../src/otlp/receiver/grpcReceiver.ts';
import { protobufRequest } from '../../helpers/otlpRequests.ts';
import { scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../../sidecar/sidecarHarness.ts';

const LIMIT = 64 * 1024;
/** grpc-js's number for gzip in `grpc.default_compression_algorithm`. */
const GZIP = 2;

interface CallResult {
  readonly error: grpc.ServiceError | null;
  readonly response: Buffer | undefined;
}

/** One Export call with raw bytes, bounded by a deadline. */
function exportCall(client: grpc.Client, body: Uint8Array): Promise<CallResult> {
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve) => {
    client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(body), { deadline: Date.now() + TIMEOUT_MS }, (error, response) =>
      resolve({ error, response }),
    );
  });
}

function tooLarge(families: Parameters<typeof valueOf>[0]): number {
  const found = families.flatMap((family) => family.samples).find((s) => s.name === 'otel_prom_bridge_otlp_requests_total' && s.labels.protocol === 'grpc' && s.labels.outcome === 'too_large');
  return found?.value ?? 0;
}

describe('OTLP/gRPC receiver', () => {
  let running: RunningSidecar;
  let plain: grpc.Client;
  let gzip: grpc.Client;
  before(async () => {
    running = await startSidecar({ maxRequestBytes: LIMIT });
    const target = `127.0.0.1:${running.addresses.otlpGrpc.port}`;
    plain = new grpc.Client(target, grpc.credentials.createInsecure());
    gzip = new grpc.Client(target, grpc.credentials.createInsecure(), { 'grpc.default_compression_algorithm': GZIP });
  });
  after(async () => {
    plain.close();
    gzip.close();
    await running.sidecar.stop();
  });

  it('answers INVALID_ARGUMENT with the decoder\'s reason to malformed protobuf; /metrics still answers', async () => {
    const { error } = await exportCall(plain, Uint8Array.from([0x0a, 0x05, 0x01]));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error.details, /^malformed protobuf ExportMetricsServiceRequest: resource_metrics\[0\]/);
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'grpc', outcome: 'malformed' }), 1);
  });

  it('answers RESOURCE_EXHAUSTED to a message over the limit, counted as too_large; exactly the limit passes to the decoder', async () => {
    const before = tooLarge(await scrape(running.addresses));
    const { error } = await exportCall(plain, new Uint8Array(LIMIT + 1));
    assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(error.details, `the request message is ${LIMIT + 1} bytes, larger than the limit of ${LIMIT} bytes`);
    assert.equal(tooLarge(await scrape(running.addresses)), before + 1);
    // LIMIT zero bytes: within the limit, and malformed (field number 0).
    const { error: atLimit } = await exportCall(plain, new Uint8Array(LIMIT));
    assert.equal(atLimit?.code, grpc.status.INVALID_ARGUMENT);
  });

  it('counts a gzip message inflating past the limit (up to the grpc-js backstop) as too_large', async () => {
    const before = tooLarge(await scrape(running.addresses));
    const { error } = await exportCall(gzip, new Uint8Array(2 * LIMIT));
    assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(error.details, `the request message is ${2 * LIMIT} bytes, larger than the limit of ${LIMIT} bytes`);
    assert.equal(tooLarge(await scrape(running.addresses)), before + 1);
  });

  it('past the backstop (limit + 1 MiB) grpc-js itself answers RESOURCE_EXHAUSTED, plain or gzip; /metrics still answers', async () => {
    const plainError = (await exportCall(plain, new Uint8Array(LIMIT + GRPC_LIMIT_MARGIN_BYTES + 1))).error;
    assert.equal(plainError?.code, grpc.status.RESOURCE_EXHAUSTED);
    const { error } = await exportCall(gzip, new Uint8Array(64 * LIMIT));
    assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(error.details, /decompresses to a size larger than/);
    await scrape(running.addresses);
  });

  it('answers OK with an empty response to an empty request', async () => {
    const { error, response } = await exportCall(plain, new Uint8Array(0));
    assert.equal(error, null);
    assert.equal(response?.length, 0);
  });

  it('takes a gzip request and reports refused points in partial_success', async () => {
    const { error, response } = await exportCall(gzip, protobufRequest('grpc-partial', [{ name: 'kept', value: 9 }, { name: 'nan_counter', value: NaN }]));
    assert.equal(error, null);
    const decoded = ProtobufMetricsSerializer.deserializeResponse(response!);
    assert.equal(Number(decoded.partialSuccess?.rejectedDataPoints), 1);
    assert.match(decoded.partialSuccess?.errorMessage ?? '', /NaN/);
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'kept_total', { job: 'grpc-partial' }), 9);
    assert.equal(valueOf(families, 'otel_prom_bridge_otlp_data_points_total', { protocol: 'grpc', outcome: 'accepted' }), 1);
    assert.equal(valueOf(families, 'otel_prom_bridge_otlp_data_points_total', { protocol: 'grpc', outcome: 'rejected' }), 1);
  });

  it('answers UNIMPLEMENTED to another method', async () => {
    const identity = (bytes: Buffer): Buffer => bytes;
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      plain.makeUnaryRequest('/opentelemetry.proto.collector.trace.v1.TraceService/Export', identity, identity, Buffer.alloc(0), { deadline: Date.now() + TIMEOUT_MS }, (e) => resolve(e));
    });
    assert.equal(error?.code, grpc.status.UNIMPLEMENTED);
  });
});

describe('GrpcReceiver on its own', () => {
  const consumer = { consume: () => ({ acceptedPoints: 0, rejectedPoints: 0, errors: [] }) };

  it('answers INTERNAL, not a crash, when the consumer throws', async () => {
    const receiver = new GrpcReceiver({
      consumer: {
        consume: () => {
          throw new Error('store exploded');
        },
      },
    });
    const { port } = await receiver.listen('127.0.0.1', 0);
    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const { error } = await exportCall(client, protobufRequest('boom', [{ name: 'x', value: 1 }]));
      assert.equal(error?.code, grpc.status.INTERNAL);
      assert.match(error.details, /store exploded/);
    } finally {
      client.close();
      await receiver.close();
    }
  });

  it('refuses wrong options at once and names the address it cannot bind', async () => {
    assert.throws(() => new GrpcReceiver({ consumer, maxRequestBytes: 2 ** 31 }), /^RangeError: GrpcReceiver option maxRequestBytes must be a whole number of bytes from 1 to 2147483647; got 2147483648\.$/);
    const first = new GrpcReceiver({ consumer });
    const { port } = await first.listen('127.0.0.1', 0);
    try {
      await assert.rejects(new GrpcReceiver({ consumer }).listen('127.0.0.1', port), new RegExp(`^Error: OTLP/gRPC receiver could not listen on 127\\.0\\.0\\.1:${port}: `));
    } finally {
      await first.close();
    }
  });
});
