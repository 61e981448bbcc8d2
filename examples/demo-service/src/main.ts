/**
 * The demo service: serves the shop API, sends itself traffic, and pushes its metrics over OTLP.
 * Configured by the OpenTelemetry SDK's standard environment variables (`OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * `OTEL_METRIC_EXPORT_INTERVAL`) and `DEMO_HOST`, `DEMO_PORT`, `DEMO_TRAFFIC_RPS`,
 * `DEMO_TRAFFIC_CONCURRENCY`. On SIGTERM or SIGINT it stops the traffic and the server, pushes a
 * last time and exits 0.
 */
import type { AddressInfo } from 'node:net';
import { createHttpServerMetrics } from './httpServerMetrics.ts';
import { buildDemoServer } from './demoServer.ts';
import { registerRuntimeMetrics } from './runtimeMetrics.ts';
import { readDemoSettings } from './settings.ts';
import { createMeterProvider, SERVICE_VERSION } from './telemetry.ts';
import { startTraffic } from './trafficGenerator.ts';

function log(message: string): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'demo-service', msg: message })}\n`);
}

async function main(): Promise<void> {
  const settings = readDemoSettings(process.env);
  const provider = await createMeterProvider(settings);
  const stopRuntimeMetrics = registerRuntimeMetrics(provider.getMeter('demo-service/runtime', SERVICE_VERSION));
  const server = buildDemoServer(createHttpServerMetrics(provider.getMeter('demo-service/http', SERVICE_VERSION)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // The generator calls the service over loopback, whatever address it listens on.
  const loopback = settings.host.includes(':') ? '[::1]' : '127.0.0.1';
  let lastTrafficError = 0;
  const stopTraffic = startTraffic({
    baseUrl: `http://${loopback}:${port}`,
    rps: settings.trafficRps,
    concurrency: settings.trafficConcurrency,
    onError: (error) => {
      if (Date.now() - lastTrafficError < 10_000) return;
      lastTrafficError = Date.now();
      log(`traffic: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  // Printed once listening: tests and people read the port from it.
  process.stdout.write(`demo-service listening on http://${settings.host}:${port}, ${settings.trafficRps} requests/s of its own traffic, pushing OTLP (${settings.protocol}) every ${settings.exportIntervalMs} ms\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal} received, stopping`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    (async () => {
      await stopTraffic();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stopRuntimeMetrics();
      // A last push, with everything up to now.
      await provider.shutdown();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  log(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
