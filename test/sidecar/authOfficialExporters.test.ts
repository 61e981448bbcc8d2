/**
 * The official OTLP exporters push to a sidecar whose OTLP receivers ask for a bearer token: with
 * the token (gRPC metadata, HTTP headers) their points are stored; without it the export fails
 * with UNAUTHENTICATED (gRPC) or 401 (HTTP), is not retried, and is counted. Raw gRPC calls check
 * basic auth in `authorization` metadata and the UNAUTHENTICATED details.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { METRICS_EXPORT_PATH } from '../../src/otlp/receiver/grpcReceiver.ts';
import type { SidecarAddresses } from '../../src/sidecar/sidecarAddresses.ts';
import { protobufRequest } from '../helpers/otlpRequests.ts';
import { samplesOf, scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from './sidecarHarness.ts';

const TOKEN = 'otlp-T0KEN';

/**
 * Records one counter value through `exporter` and flushes; resolves with the export's result
 * (the reader only logs a failure, so the exporter is wrapped to see it).
 */
async function pushOnce(exporter: PushMetricExporter, instance: string, value: number): Promise<ExportResult> {
  const results: ExportResult[] = [];
  const recording: PushMetricExporter = {
    export: (metrics, done) => exporter.export(metrics, (result) => (results.push(result), done(result))),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
  };
  const reader = new PeriodicExportingMetricReader({ exporter: recording, exportIntervalMillis: 3_600_000, exportTimeoutMillis: TIMEOUT_MS });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'auth-exporters', 'service.instance.id': instance }), readers: [reader] });
  provider.getMeter('auth-test').createCounter('auth.pushed').add(value);
  await reader.forceFlush().catch(() => undefined);
  // Not provider.shutdown(): it would export once more. The reader's timer is unref'd.
  await exporter.shutdown();
  assert.equal(results.length, 1, 'one export');
  return results[0]!;
}

function withToken(): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${TOKEN}`);
  return metadata;
}

const EXPORTERS: Record<string, { protocol: 'grpc' | 'http'; withToken: (a: SidecarAddresses) => PushMetricExporter; without: (a: SidecarAddresses) => PushMetricExporter; refusal: RegExp }> = {
  'exporter-metrics-otlp-grpc': {
    protocol: 'grpc',
    withToken: (a) => new GrpcExporter({ url: a.otlpGrpc.url, timeoutMillis: TIMEOUT_MS, metadata: withToken() }),
    without: (a) => new GrpcExporter({ url: a.otlpGrpc.url, timeoutMillis: TIMEOUT_MS }),
    refusal: /UNAUTHENTICATED|missing credentials/,
  },
  'exporter-metrics-otlp-proto': {
    protocol: 'http',
    withToken: (a) => new ProtoExporter({ url: a.otlpHttp.url, timeoutMillis: TIMEOUT_MS, headers: { Authorization: `Bearer ${TOKEN}` } }),
    without: (a) => new ProtoExporter({ url: a.otlpHttp.url, timeoutMillis: TIMEOUT_MS }),
    refusal: /401|Unauthorized/,
  },
};

describe('the official OTLP exporters and a bearer token', () => {
  let running: RunningSidecar;
  before(async () => {
    const auth = { kind: 'bearer', token: TOKEN } as const;
    running = await startSidecar({ otlpHttp: { auth }, otlpGrpc: { auth } });
  });
  after(async () => {
    await running.sidecar.stop();
  });

  for (const [name, exporter] of Object.entries(EXPORTERS)) {
    it(`${name} with the token: stored`, async () => {
      assert.equal((await pushOnce(exporter.withToken(running.addresses), name, 4)).code, ExportResultCode.SUCCESS);
      assert.equal(valueOf(await scrape(running.addresses), 'auth_pushed_total', { instance: name }), 4);
    });
    it(`${name} without the token: the export fails, refused as unauthenticated, once`, async () => {
      const count = () => samplesOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: exporter.protocol, outcome: 'unauthenticated' }).reduce((sum, s) => sum + s.value, 0);
      let families = await scrape(running.addresses);
      const before = count();
      const result = await pushOnce(exporter.without(running.addresses), `${name}-without`, 1);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.match(String(result.error), exporter.refusal);
      families = await scrape(running.addresses);
      assert.equal(count(), before + 1, 'not retried');
      assert.deepEqual(samplesOf(families, 'auth_pushed_total', { instance: `${name}-without` }), []);
    });
  }
});

describe('OTLP/gRPC calls and their authorization metadata', () => {
  let running: RunningSidecar;
  const debug: string[] = [];
  before(async () => {
    running = await startSidecar({
      logger: { warn: () => undefined, debug: (message) => debug.push(message) },
      otlpHttp: { enabled: false },
      otlpGrpc: { auth: { kind: 'basic', username: 'app', password: 'grpc-PASSW0RD' } },
    });
  });
  after(async () => {
    await running.sidecar.stop();
  });

  /** One Export with `authorization` metadata (none when undefined); the error, null on success. */
  function exportWith(authorization: string | undefined): Promise<ServiceError | null> {
    const client = new Client(new URL(running.addresses.otlpGrpc.url).host, credentials.createInsecure());
    const metadata = new Metadata();
    if (authorization !== undefined) metadata.set('authorization', authorization);
    const identity = (bytes: Buffer): Buffer => bytes;
    const body = Buffer.from(protobufRequest('grpc-basic', [{ name: 'grpc_basic', value: 2 }]));
    return new Promise<ServiceError | null>((resolve) => {
      client.makeUnaryRequest(METRICS_EXPORT_PATH, identity, identity, body, metadata, { deadline: Date.now() + TIMEOUT_MS }, (error) => resolve(error));
    }).finally(() => client.close());
  }

  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
  const cases: [what: string, authorization: string | undefined, details: RegExp | undefined][] = [
    ['the right username and password', basic('app:grpc-PASSW0RD'), undefined],
    ['no metadata', undefined, /^missing credentials: send an Authorization: Basic header$/],
    ['a wrong password', basic('app:grpc-PASSW0Rd'), /^wrong credentials: the username or password is not the one configured$/],
    ['a bearer token', 'Bearer grpc-PASSW0RD', /^the Authorization header is not of the Basic scheme this endpoint asks for$/],
  ];
  for (const [what, authorization, details] of cases) {
    it(`${what} → ${details === undefined ? 'OK' : 'UNAUTHENTICATED'}`, async () => {
      debug.length = 0;
      const error = await exportWith(authorization);
      if (details === undefined) {
        assert.equal(error, null);
        return;
      }
      assert.equal(error?.code, status.UNAUTHENTICATED);
      assert.match(error.details, details);
      assert.deepEqual(debug, [`OTLP/gRPC call refused with UNAUTHENTICATED (unauthenticated): ${error.details}`]);
    });
  }
});
