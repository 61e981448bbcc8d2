/**
 * The demo service's settings, from the environment: the OpenTelemetry SDK's standard variables for
 * where and how often to push, and a few `DEMO_*` ones for the service itself.
 */
import { hostname } from 'node:os';

export type OtlpProtocol = 'http/protobuf' | 'grpc';

export interface DemoSettings {
  /** `DEMO_HOST`: where the service listens. @default '0.0.0.0' */
  readonly host: string;
  /** `DEMO_PORT`: its port; 0 picks a free one. @default 8080 */
  readonly port: number;
  /** `DEMO_TRAFFIC_RPS`: requests per second the service sends itself; 0 for none. @default 20 */
  readonly trafficRps: number;
  /** `DEMO_TRAFFIC_CONCURRENCY`: requests in flight at most from the traffic generator. @default 4 */
  readonly trafficConcurrency: number;
  /** `OTEL_METRIC_EXPORT_INTERVAL`: ms between pushes (the SDK's standard variable). @default 60000 */
  readonly exportIntervalMs: number;
  /** `OTEL_METRIC_EXPORT_TIMEOUT`: ms a push may take. @default 30000 */
  readonly exportTimeoutMs: number;
  /** `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`. @default 'http/protobuf' */
  readonly protocol: OtlpProtocol;
  /** `service.instance.id` when `OTEL_RESOURCE_ATTRIBUTES` has none: the host name (a container's or pod's name). */
  readonly defaultInstanceId: string;
}

/** Reads the settings; a wrong value throws a message naming the variable, the value and what is allowed. */
export function readDemoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const exportIntervalMs = integer(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1, 3_600_000);
  return {
    host: text(env, 'DEMO_HOST') ?? '0.0.0.0',
    port: integer(env, 'DEMO_PORT', 8080, 0, 65_535),
    trafficRps: integer(env, 'DEMO_TRAFFIC_RPS', 20, 0, 10_000),
    trafficConcurrency: integer(env, 'DEMO_TRAFFIC_CONCURRENCY', 4, 1, 256),
    exportIntervalMs,
    // The SDK requires the timeout not to exceed the interval.
    exportTimeoutMs: Math.min(integer(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, 1, 3_600_000), exportIntervalMs),
    protocol: protocol(env),
    defaultInstanceId: hostname(),
  };
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}.`);
  }
  return value;
}

function protocol(env: NodeJS.ProcessEnv): OtlpProtocol {
  const name = text(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL';
  const value = text(env, name) ?? 'http/protobuf';
  if (value === 'http/protobuf' || value === 'grpc') return value;
  throw new RangeError(`${name} must be http/protobuf or grpc for the demo service; got ${JSON.stringify(value)}.`);
}
