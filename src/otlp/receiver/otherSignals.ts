import type * as grpc from '@grpc/grpc-js';

/**
 * Traces and logs sent to the bridge: `OTEL_EXPORTER_OTLP_ENDPOINT` pointed at it sends every signal
 * of an app, and the bridge takes metrics only. They are refused with a status the OTLP exporters
 * do not retry (HTTP 404, gRPC UNIMPLEMENTED), a message saying what to set instead, and counted
 * (`outcome="unsupported_signal"`).
 */
export const OTHER_SIGNALS = [
  { signal: 'traces', httpPath: '/v1/traces', grpcPath: '/opentelemetry.proto.collector.trace.v1.TraceService/Export' },
  { signal: 'logs', httpPath: '/v1/logs', grpcPath: '/opentelemetry.proto.collector.logs.v1.LogsService/Export' },
] as const;

export type OtherSignal = (typeof OTHER_SIGNALS)[number]['signal'];

export function otherSignalMessage(signal: OtherSignal): string {
  return `otel-prom-bridge receives OTLP metrics only, not ${signal}: point OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (not OTEL_EXPORTER_OTLP_ENDPOINT) at the bridge, and send ${signal} to a tracing or logging backend`;
}

/** The signal an OTLP/HTTP path is for, when it is one the bridge does not take. */
export function otherSignalOfHttpPath(url: string): OtherSignal | undefined {
  const path = url.split('?', 1)[0];
  return OTHER_SIGNALS.find((entry) => entry.httpPath === path)?.signal;
}

const passThrough = (value: Buffer): Buffer => value;

/** A gRPC service definition for the other signal's Export, its messages left as bytes (never read). */
export function otherSignalService(signal: OtherSignal): grpc.ServiceDefinition<grpc.UntypedServiceImplementation> {
  const entry = OTHER_SIGNALS.find((candidate) => candidate.signal === signal)!;
  return {
    Export: {
      path: entry.grpcPath,
      originalName: 'export',
      requestStream: false,
      responseStream: false,
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: passThrough,
      responseDeserialize: passThrough,
    },
  };
}
