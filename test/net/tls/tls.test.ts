/**
 * TLS on every listener with a self-signed certificate (made with openssl for the test): an https
 * scrape trusting it as the CA, the official OTLP exporters pushing over https and grpcs, and
 * plaintext clients failing against the TLS ports.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { METRICS_EXPORT_PATH } from '../../../src/otlp/receiver/grpcReceiver.ts';
import { parseExposition, type ParsedFamily } from '../../helpers/parseExposition.ts';
import { makeSelfSignedCert, skipUnlessOpenssl, type SelfSignedCert } from '../../helpers/selfSignedCert.ts';
import { protobufRequest } from '../../helpers/otlpRequests.ts';
import { startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../../sidecar/sidecarHarness.ts';
import { httpsGet } from '../../helpers/httpsGet.ts';


async function pushOnce(exporter: PushMetricExporter, instance: string): Promise<ExportResult> {
  const results: ExportResult[] = [];
  const recording: PushMetricExporter = {
    export: (metrics, done) => exporter.export(metrics, (result) => (results.push(result), done(result))),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
  const reader = new PeriodicExportingMetricReader({ exporter: recording, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'tls-exporters', 'service.instance.id': instance }), readers: [reader] });
  provider.getMeter('tls-test').createCounter('tls.pushed').add(3);
  await reader.forceFlush().catch(() => undefined);
  // Not provider.shutdown(): it would export once more. The reader's timer is unref'd.
  await exporter.shutdown();
  assert.ok(results[0] !== undefined, 'one export');
  return results[0];
}

describe('TLS on every listener', { skip: skipUnlessOpenssl() }, () => {
  let cert: SelfSignedCert;
  let running: RunningSidecar;
  const TOKEN = 'tls-and-T0KEN';
  before(async () => {
    cert = makeSelfSignedCert();
    const tls = { cert: cert.cert, key: cert.key };
    running = await startSidecar({ metrics: { tls, auth: { kind: 'bearer', token: TOKEN } }, otlpHttp: { tls }, otlpGrpc: { tls } });
  });
  after(async () => {
    await running?.sidecar.stop();
    cert?.remove();
  });

  async function scrapeHttps(): Promise<ParsedFamily[]> {
    const { status, body } = await httpsGet(running.addresses.metrics.url, cert.cert, { authorization: `Bearer ${TOKEN}` });
    assert.equal(status, 200, body);
    return parseExposition(body, 'text');
  }

  it('reports https:// endpoints', () => {
    assert.match(running.addresses.metrics.url, /^https:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.match(running.addresses.otlpHttp.url, /^https:\/\/127\.0\.0\.1:\d+\/v1\/metrics$/);
    assert.match(running.addresses.otlpGrpc.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers an https scrape that trusts the certificate, with bearer auth on top; the probes stay open', async () => {
    await scrapeHttps();
    assert.equal((await httpsGet(running.addresses.metrics.url, cert.cert)).status, 401);
    assert.equal((await httpsGet(new URL('/-/healthy', running.addresses.metrics.url).href, cert.cert)).status, 200);
  });

  it('refuses a client that does not trust the certificate', async () => {
    await assert.rejects(
      new Promise((resolve, reject) => request(running.addresses.metrics.url, { timeout: TIMEOUT_MS }, resolve).once('error', reject).end()),
      /self-signed certificate|SELF_SIGNED/i,
    );
  });

  it('exporter-metrics-otlp-proto pushes over https with the certificate as its CA', async () => {
    const exporter = new ProtoExporter({ url: running.addresses.otlpHttp.url, timeoutMillis: TIMEOUT_MS, httpAgentOptions: { ca: cert.cert } });
    const result = await pushOnce(exporter, 'proto');
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assert.equal(valueOf(await scrapeHttps(), 'tls_pushed_total', { instance: 'proto' }), 3);
  });

  it('exporter-metrics-otlp-grpc pushes over TLS with the certificate as its CA', async () => {
    const exporter = new GrpcExporter({ url: running.addresses.otlpGrpc.url, timeoutMillis: TIMEOUT_MS, credentials: grpc.credentials.createSsl(Buffer.from(cert.cert)) });
    const result = await pushOnce(exporter, 'grpc');
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assert.equal(valueOf(await scrapeHttps(), 'tls_pushed_total', { instance: 'grpc' }), 3);
  });

  it('a plaintext HTTP request to a TLS port fails', async () => {
    for (const url of [running.addresses.metrics.url, running.addresses.otlpHttp.url]) {
      const plain = url.replace(/^https:/, 'http:');
      await assert.rejects(fetch(plain, { signal: AbortSignal.timeout(TIMEOUT_MS) }), TypeError, plain);
    }
  });

  it('a plaintext gRPC call to the TLS port fails', async () => {
    const client = new grpc.Client(new URL(running.addresses.otlpGrpc.url).host, grpc.credentials.createInsecure());
    const identity = (bytes: Buffer): Buffer => bytes;
    try {
      const error = await new Promise<grpc.ServiceError | null>((resolve) =>
        client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, Buffer.from(protobufRequest('plain', [{ name: 'plain', value: 1 }])), { deadline: Date.now() + 3_000 }, (failure) =>
          resolve(failure),
        ),
      );
      assert.ok(error !== null, 'the call failed');
      assert.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.INTERNAL].includes(error.code), `${error.code}: ${error.message}`);
    } finally {
      client.close();
    }
  });
});
