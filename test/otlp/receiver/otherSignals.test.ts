/**
 * Traces and logs sent to the sidecar (an app with `OTEL_EXPORTER_OTLP_ENDPOINT` pointed at it):
 * refused with a status the OTLP exporters do not retry (HTTP 404, gRPC UNIMPLEMENTED), a message
 * saying what to set instead, in the request's encoding, and counted as `unsupported_signal`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { parseExposition } from '../../helpers/parseExposition.ts';
import { decodeStatus, get, startSidecar, TIMEOUT_MS, valueOf } from '../../sidecar/sidecarHarness.ts';

const identity = (bytes: Buffer): Buffer => bytes;

describe('traces and logs sent to the bridge', () => {
  it('OTLP/HTTP: 404 with an OTLP Status naming the metrics endpoint variable, in protobuf or JSON; counted', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      const base = new URL(addresses.otlpHttp.url).origin;
      const traces = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0x00]), signal: AbortSignal.timeout(TIMEOUT_MS) });
      assert.equal(traces.status, 404);
      assert.equal(traces.headers.get('content-type'), 'application/x-protobuf');
      const status = decodeStatus(new Uint8Array(await traces.arrayBuffer()));
      assert.equal(status.code, 5); // NOT_FOUND, the gRPC code of an HTTP 404
      assert.match(status.message, /receives OTLP metrics only, not traces: point OTEL_EXPORTER_OTLP_METRICS_ENDPOINT/);

      const logs = await fetch(`${base}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceLogs":[]}', signal: AbortSignal.timeout(TIMEOUT_MS) });
      assert.equal(logs.status, 404);
      const json = (await logs.json()) as { code: number; message: string };
      assert.match(json.message, /not logs/);

      // Anything else is still a plain 404, not counted.
      assert.equal((await fetch(`${base}/elsewhere`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(TIMEOUT_MS) })).status, 404);
      const families = parseExposition(await (await get(addresses.metrics.url)).text(), 'text');
      assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'unsupported_signal' }), 2);
    } finally {
      await sidecar.stop();
    }
  });

  it('OTLP/gRPC: UNIMPLEMENTED with the same message for TraceService and LogsService; counted', async () => {
    const { sidecar, addresses } = await startSidecar();
    const client = new grpc.Client(`127.0.0.1:${addresses.otlpGrpc.port}`, grpc.credentials.createInsecure());
    try {
      for (const [path, signal] of [
        ['/opentelemetry.proto.collector.trace.v1.TraceService/Export', 'traces'],
        ['/opentelemetry.proto.collector.logs.v1.LogsService/Export', 'logs'],
      ] as const) {
        const error = await new Promise<grpc.ServiceError | null>((resolve) =>
          client.makeUnaryRequest(path, identity, identity, Buffer.alloc(0), { deadline: Date.now() + TIMEOUT_MS }, (failure) => resolve(failure)),
        );
        assert.equal(error?.code, grpc.status.UNIMPLEMENTED, signal);
        assert.match(error.details, new RegExp(`receives OTLP metrics only, not ${signal}`));
      }
      const families = parseExposition(await (await get(addresses.metrics.url)).text(), 'text');
      assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'grpc', outcome: 'unsupported_signal' }), 2);
    } finally {
      client.close();
      await sidecar.stop();
    }
  });
});
