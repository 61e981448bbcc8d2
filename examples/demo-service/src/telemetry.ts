/**
 * The OpenTelemetry SDK set up from the standard environment: resource from `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES`, an OTLP exporter that reads `OTEL_EXPORTER_OTLP_ENDPOINT` (and the
 * other `OTEL_EXPORTER_OTLP_*` variables) itself, pushing every `OTEL_METRIC_EXPORT_INTERVAL` ms.
 */
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { DemoSettings } from './settings.ts';

export const SERVICE_VERSION = '0.1.0';

export async function createMeterProvider(settings: DemoSettings): Promise<MeterProvider> {
  const detected = detectResources({ detectors: [envDetector] });
  // Defaults first: whatever the environment says wins.
  const resource = resourceFromAttributes({
    'service.name': 'demo-service',
    'service.version': SERVICE_VERSION,
    'service.instance.id': settings.defaultInstanceId,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
  }).merge(detected);
  const exporter = await createExporter(settings);
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: settings.exportIntervalMs,
    exportTimeoutMillis: settings.exportTimeoutMs,
  });
  return new MeterProvider({ resource, readers: [reader] });
}

/** Only the exporter for the chosen protocol is loaded. */
async function createExporter(settings: DemoSettings): Promise<PushMetricExporter> {
  if (settings.protocol === 'grpc') {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
    return new OTLPMetricExporter();
  }
  const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter();
}
