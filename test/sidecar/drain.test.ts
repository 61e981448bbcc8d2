/**
 * Draining: after `drain()` the sidecar refuses new OTLP exports (HTTP 503 with Retry-After, gRPC
 * UNAVAILABLE), counts them as `draining`, lets the one in flight finish, answers `/-/ready` with
 * 503 and goes on serving `/metrics` and `/-/healthy`; `shutdown()` closes the listeners after the
 * drain period. Uploads are held open on raw sockets: nothing here sleeps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { isListening } from '../helpers/isListening.ts';
import { jsonRequest, protobufRequest } from '../helpers/otlpRequests.ts';
import { grpcExportError } from '../helpers/sendExport.ts';
import { bounded, holdUpload } from './heldUpload.ts';
import { decodeStatus, get, scrape, startSidecar, TIMEOUT_MS, valueOf } from './sidecarHarness.ts';

function postProtobuf(url: string, body: Uint8Array): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

describe('Sidecar drain', () => {
  it('refuses new exports, finishes the one in flight, keeps /metrics and /-/healthy, turns /-/ready 503', async () => {
    const { sidecar, addresses } = await startSidecar();
    try {
      const held = await holdUpload(addresses.otlpHttp.url, jsonRequest('in-flight', [{ name: 'last', value: 9 }]));
      let drained = false;
      const draining = sidecar.drain().then(() => {
        drained = true;
      });
      assert.equal(sidecar.isDraining(), true);

      const ready = await get(new URL('/-/ready', addresses.metrics.url).href);
      assert.equal(ready.status, 503);
      assert.equal(await ready.text(), 'Not ready\n');
      assert.equal((await get(new URL('/-/healthy', addresses.metrics.url).href)).status, 200);

      const refused = await postProtobuf(addresses.otlpHttp.url, protobufRequest('late', [{ name: 'late', value: 1 }]));
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      const status = decodeStatus(new Uint8Array(await refused.arrayBuffer()));
      assert.equal(status.code, grpc.status.UNAVAILABLE);
      assert.match(status.message, /shutting down/);
      const grpcError = await grpcExportError(addresses.otlpGrpc.port, protobufRequest('late', [{ name: 'late', value: 1 }]), TIMEOUT_MS);
      assert.equal(grpcError?.code, grpc.status.UNAVAILABLE);
      assert.equal(drained, false, 'drain() waits for the upload in flight');

      const answer = await held.finish();
      assert.equal(answer.status, 200, answer.body);
      await bounded(draining, 'drain() to resolve once the upload in flight is answered');

      const families = await scrape(addresses);
      assert.equal(valueOf(families, 'last_total', { job: 'in-flight' }), 9);
      assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'draining' }), 1);
      assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'grpc', outcome: 'draining' }), 1);
      assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'success' }), 1);
    } finally {
      await sidecar.stop();
    }
  });

  it('drain() with nothing in flight resolves at once; start() after stop() takes exports again', async () => {
    const { sidecar } = await startSidecar();
    try {
      await bounded(sidecar.drain(), 'drain() with nothing in flight');
      await sidecar.stop();
      const again = await sidecar.start();
      assert.equal(sidecar.isDraining(), false);
      assert.equal((await get(new URL('/-/ready', again.metrics.url).href)).status, 200);
      assert.equal((await postProtobuf(again.otlpHttp.url, protobufRequest('back', [{ name: 'back', value: 1 }]))).status, 200);
    } finally {
      await sidecar.stop();
    }
  });

  it('shutdown(): /metrics answers for the drain period with the data pushed before, then every listener is closed', async () => {
    const drainPeriodMs = 300;
    const { sidecar, addresses } = await startSidecar({ drainPeriodMs });
    assert.equal((await postProtobuf(addresses.otlpHttp.url, protobufRequest('final', [{ name: 'final', value: 5 }]))).status, 200);
    const startedAt = performance.now();
    const stopped = sidecar.shutdown();
    try {
      assert.equal(valueOf(await scrape(addresses), 'final_total', { job: 'final' }), 5);
      assert.equal((await postProtobuf(addresses.otlpHttp.url, protobufRequest('final', [{ name: 'final', value: 6 }]))).status, 503);
      await bounded(stopped, 'shutdown()');
      assert.ok(performance.now() - startedAt >= drainPeriodMs - 5, 'not before the drain period');
      for (const endpoint of [addresses.metrics, addresses.otlpHttp, addresses.otlpGrpc]) assert.equal(await isListening(endpoint.port, 1000), false);
    } finally {
      await sidecar.stop();
    }
  });
});
