import * as grpc from '@grpc/grpc-js';
import { OTHER_SIGNALS, otherSignalMessage, otherSignalService } from './otherSignals.ts';
import type { Logger } from '../../model/dropCounter.ts';
import { checkAuthorization, type ListenerAuth } from '../../net/auth/listenerAuth.ts';
import type { TlsCredentials } from '../../net/tls/tlsCredentials.ts';
import { OtlpDecodeError } from '../decode/OtlpDecodeError.ts';
import { exportMetrics, type MetricsConsumer } from './exportMetrics.ts';
import { encodeExportResponseProtobuf } from './exportResponse.ts';
import type { LoadShedder } from './loadShedder.ts';
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from '../../config/defaults.ts';
import type { ReceiverStats, RequestOutcome } from './receiverStats.ts';

/** The full method path OTLP/gRPC metric exporters call. */
export const METRICS_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

const passThrough = (bytes: Buffer): Buffer => bytes;

/**
 * How far above the receiver's own limit `@grpc/grpc-js`'s limit is set: messages up to it reach the
 * handler, which refuses those over the limit itself (so they are counted); grpc-js refuses the
 * rest, uncounted, as a hard backstop.
 */
export const GRPC_LIMIT_MARGIN_BYTES = 1024 * 1024;
const GRPC_MAX_LIMIT = 2 ** 31 - 1;

/**
 * `opentelemetry.proto.collector.metrics.v1.MetricsService`, defined by hand: messages travel as raw
 * bytes (no .proto loading, no generated code) and the handler decodes them with the bridge's own
 * protobuf decoder.
 */
export const metricsServiceDefinition: grpc.ServiceDefinition<grpc.UntypedServiceImplementation> = {
  Export: {
    path: METRICS_EXPORT_PATH,
    originalName: 'export',
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  },
};

export interface GrpcReceiverOptions {
  /** Where decoded metrics go. */
  readonly consumer: MetricsConsumer;
  /**
   * Largest message accepted, inflated, in bytes; refused with RESOURCE_EXHAUSTED in the handler.
   * grpc-js's own `grpc.max_receive_message_length` is 1 MiB more, as a backstop. @default 16 MiB
   */
  readonly maxRequestBytes?: number;
  /** The time a request is received at, in ms since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** Counts requests and data points by outcome. @default none */
  readonly stats?: ReceiverStats;
  /** Where failures of the bridge itself are logged (warn), and refused calls with the reason (debug). @default none */
  readonly logger?: Logger;
  /**
   * Credentials every call must carry in its `authorization` metadata (`Bearer <token>` or
   * `Basic <base64>`, as over HTTP); others get UNAUTHENTICATED. @default none (open)
   */
  readonly auth?: ListenerAuth;
  /** Serve TLS with this certificate and key (no client certificates asked). @default plaintext */
  readonly tls?: TlsCredentials;
  /** Refuses exports with UNAVAILABLE while the bridge is overloaded or draining; its `start()`/`stop()` are the caller's. @default none */
  readonly loadShedder?: LoadShedder;
  /**
   * A connection is asked to go away (GOAWAY) after this long, and closed `maxConnectionAgeGraceMs`
   * later with whatever calls it still has: a client that opens a call and never finishes its
   * message (a slowloris) cannot hold it for ever. Clients reconnect at once. @default 120 000
   */
  readonly maxConnectionAgeMs?: number;
  /** See `maxConnectionAgeMs`. @default 30 000 (the OTLP/HTTP request timeout) */
  readonly maxConnectionAgeGraceMs?: number;
}

/** Default `maxConnectionAgeMs`: a gRPC connection is recycled every 2 minutes (and a stalled call with it). */
export const DEFAULT_MAX_CONNECTION_AGE_MS = 120_000;

function wholeMilliseconds(name: string, value: number): number {
  // grpc-js keeps these in signed 32-bit timers.
  if (!Number.isSafeInteger(value) || value < 1 || value > GRPC_MAX_LIMIT) throw new RangeError(`GrpcReceiver option ${name} must be a whole number of milliseconds from 1 to 2147483647; got ${String(value)}.`);
  return value;
}

/** Where a gRPC receiver listens. */
export interface GrpcBoundAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * OTLP/gRPC metrics receiver on `@grpc/grpc-js`. Answers `Export` with an
 * `ExportMetricsServiceResponse` (with `partial_success` when points were refused);
 * UNAUTHENTICATED without the credentials `auth` asks for;
 * INVALID_ARGUMENT with the reason for a malformed request; RESOURCE_EXHAUSTED over the size limit
 * (checked in the handler on the inflated message, and by grpc-js past the backstop, also while
 * inflating a gzip message); UNAVAILABLE while overloaded, which clients retry; INTERNAL when the
 * bridge itself fails.
 */
export class GrpcReceiver {
  readonly #consumer: MetricsConsumer;
  readonly #limit: number;
  readonly #clock: () => number;
  readonly #stats: ReceiverStats | undefined;
  readonly #logger: Logger | undefined;
  readonly #loadShedder: LoadShedder | undefined;
  readonly #maxConnectionAgeMs: number;
  readonly #maxConnectionAgeGraceMs: number;
  readonly #auth: ListenerAuth | undefined;
  readonly #tls: TlsCredentials | undefined;
  #server: grpc.Server | undefined;

  constructor(options: GrpcReceiverOptions) {
    if (options.consumer === undefined || typeof options.consumer.consume !== 'function') {
      throw new TypeError('GrpcReceiver needs a `consumer` option: the object that takes the decoded metrics (`consume(resourceMetrics, receivedAtMs)`).');
    }
    const limit = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    // grpc-js keeps the limit in a signed 32-bit field.
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > GRPC_MAX_LIMIT) {
      throw new RangeError(`GrpcReceiver option maxRequestBytes must be a whole number of bytes from 1 to 2147483647; got ${String(limit)}.`);
    }
    this.#consumer = options.consumer;
    this.#limit = limit;
    this.#clock = options.clock ?? Date.now;
    this.#stats = options.stats;
    this.#logger = options.logger;
    this.#loadShedder = options.loadShedder;
    this.#maxConnectionAgeMs = wholeMilliseconds('maxConnectionAgeMs', options.maxConnectionAgeMs ?? DEFAULT_MAX_CONNECTION_AGE_MS);
    this.#maxConnectionAgeGraceMs = wholeMilliseconds('maxConnectionAgeGraceMs', options.maxConnectionAgeGraceMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    this.#auth = options.auth;
    this.#tls = options.tls;
  }

  /** Starts listening on `host:port` (port 0 picks a free one); resolves with the bound port. */
  async listen(host: string, port: number): Promise<GrpcBoundAddress> {
    if (this.#server !== undefined) throw new Error('GrpcReceiver is already listening; close() it first.');
    const server = new grpc.Server({
      'grpc.max_receive_message_length': Math.min(this.#limit + GRPC_LIMIT_MARGIN_BYTES, GRPC_MAX_LIMIT),
      'grpc.max_connection_age_ms': this.#maxConnectionAgeMs,
      'grpc.max_connection_age_grace_ms': this.#maxConnectionAgeGraceMs,
    });
    server.addService(metricsServiceDefinition, { Export: this.#export });
    for (const { signal } of OTHER_SIGNALS) {
      server.addService(otherSignalService(signal), {
        Export: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => this.#refuse(callback, performance.now(), 'unsupported_signal', grpc.status.UNIMPLEMENTED, otherSignalMessage(signal)),
      });
    }
    const target = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
    const tls = this.#tls;
    const credentials =
      tls === undefined ? grpc.ServerCredentials.createInsecure() : grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }], false);
    const bound = await new Promise<number>((resolve, reject) => {
      server.bindAsync(target, credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
    }).catch((error: Error) => {
      server.forceShutdown();
      throw new Error(`OTLP/gRPC receiver could not listen on ${target}: ${error.message}`, { cause: error });
    });
    this.#server = server;
    return { host, port: bound };
  }

  /**
   * Stops listening: calls in progress may finish for up to `graceMs`, then the rest are cancelled.
   * Resolves once the server is down; listen() may be called again.
   */
  async close(graceMs = 5000): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Counts and logs (debug) a refused call, and answers it. */
  #refuse(callback: grpc.sendUnaryData<Buffer>, startedAt: number, outcome: RequestOutcome, code: grpc.status, details: string): void {
    this.#stats?.refused('grpc', outcome, secondsSince(startedAt), details);
    this.#logger?.debug(`OTLP/gRPC call refused with ${grpc.status[code]} (${outcome}): ${details}`);
    callback({ code, details });
  }

  readonly #export: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const startedAt = performance.now();
    if (this.#auth !== undefined) {
      const header = call.metadata.get('authorization')[0];
      const refusal = checkAuthorization(this.#auth, typeof header === 'string' ? header : undefined);
      if (refusal !== undefined) return this.#refuse(callback, startedAt, 'unauthenticated', grpc.status.UNAUTHENTICATED, refusal.message);
    }
    const refusal = this.#loadShedder?.refusal();
    if (refusal !== undefined) return this.#refuse(callback, startedAt, refusal.cause, grpc.status.UNAVAILABLE, refusal.reason);
    if (call.request.length > this.#limit) {
      return this.#refuse(callback, startedAt, 'too_large', grpc.status.RESOURCE_EXHAUSTED, `the request message is ${call.request.length} bytes, larger than the limit of ${this.#limit} bytes`);
    }
    let outcome;
    try {
      outcome = exportMetrics(call.request, 'protobuf', this.#consumer, this.#clock());
    } catch (error) {
      if (error instanceof OtlpDecodeError) return this.#refuse(callback, startedAt, 'malformed', grpc.status.INVALID_ARGUMENT, `malformed protobuf ExportMetricsServiceRequest: ${error.message}`);
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger?.warn(`OTLP/gRPC receiver could not store a request: ${reason}`);
      this.#stats?.record('grpc', 'internal_error', secondsSince(startedAt));
      callback({ code: grpc.status.INTERNAL, details: `the bridge failed to store the metrics: ${reason}` });
      return;
    }
    this.#stats?.record('grpc', outcome.rejectedDataPoints > 0 ? 'partial_success' : 'success', secondsSince(startedAt), outcome.acceptedDataPoints, outcome.rejectedDataPoints);
    callback(null, encodeExportResponseProtobuf(outcome));
  };
}

function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
