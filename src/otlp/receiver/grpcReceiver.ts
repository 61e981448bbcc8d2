import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../model/dropCounter.ts';
import { OtlpDecodeError } from '../OtlpDecodeError.ts';
import { exportMetrics, type MetricsConsumer } from './exportMetrics.ts';
import { encodeExportResponseProtobuf } from './exportResponse.ts';
import type { LoadShedder } from './loadShedder.ts';
import { DEFAULT_MAX_REQUEST_BYTES } from './receiverDefaults.ts';
import type { ReceiverStats } from './receiverStats.ts';

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
  /** Where failures of the bridge itself are logged. @default none */
  readonly logger?: Logger;
  /** Refuses exports with UNAVAILABLE while the bridge is overloaded or draining; its `start()`/`stop()` are the caller's. @default none */
  readonly loadShedder?: LoadShedder;
}

/** Where a gRPC receiver listens. */
export interface GrpcBoundAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * OTLP/gRPC metrics receiver on `@grpc/grpc-js`. Answers `Export` with an
 * `ExportMetricsServiceResponse` (with `partial_success` when points were refused);
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
  }

  /** Starts listening on `host:port` (port 0 picks a free one); resolves with the bound port. */
  async listen(host: string, port: number): Promise<GrpcBoundAddress> {
    if (this.#server !== undefined) throw new Error('GrpcReceiver is already listening; close() it first.');
    const server = new grpc.Server({ 'grpc.max_receive_message_length': Math.min(this.#limit + GRPC_LIMIT_MARGIN_BYTES, GRPC_MAX_LIMIT) });
    server.addService(metricsServiceDefinition, { Export: this.#export });
    const target = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
    const bound = await new Promise<number>((resolve, reject) => {
      server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
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

  readonly #export: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const refusal = this.#loadShedder?.refusal();
    if (refusal !== undefined) {
      this.#stats?.record('grpc', refusal.cause);
      callback({ code: grpc.status.UNAVAILABLE, details: refusal.reason });
      return;
    }
    if (call.request.length > this.#limit) {
      this.#stats?.record('grpc', 'too_large');
      callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: `the request message is ${call.request.length} bytes, larger than the limit of ${this.#limit} bytes` });
      return;
    }
    let outcome;
    try {
      outcome = exportMetrics(call.request, 'protobuf', this.#consumer, this.#clock());
    } catch (error) {
      if (error instanceof OtlpDecodeError) {
        this.#stats?.record('grpc', 'malformed');
        callback({ code: grpc.status.INVALID_ARGUMENT, details: `malformed protobuf ExportMetricsServiceRequest: ${error.message}` });
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger?.warn(`OTLP/gRPC receiver could not store a request: ${reason}`);
      this.#stats?.record('grpc', 'internal_error');
      callback({ code: grpc.status.INTERNAL, details: `the bridge failed to store the metrics: ${reason}` });
      return;
    }
    this.#stats?.record('grpc', outcome.rejectedDataPoints > 0 ? 'partial_success' : 'success', outcome.acceptedDataPoints, outcome.rejectedDataPoints);
    callback(null, encodeExportResponseProtobuf(outcome));
  };
}
