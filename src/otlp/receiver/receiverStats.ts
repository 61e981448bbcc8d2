/** Which OTLP transport a request came over. */
export type ReceiverProtocol = 'http' | 'grpc';

/** How an export request ended, as the `outcome` label of the bridge's own metrics. */
export type RequestOutcome =
  /** Every data point accepted. */
  | 'success'
  /** Decoded; some data points refused (reported in `partial_success`). */
  | 'partial_success'
  /** Malformed protobuf, JSON or gzip: refused whole (HTTP 400, gRPC INVALID_ARGUMENT). */
  | 'malformed'
  /** A content type or encoding the receiver does not speak (HTTP 415). */
  | 'unsupported_media_type'
  /** Over the size limit, before or after inflating (HTTP 413, gRPC RESOURCE_EXHAUSTED). */
  | 'too_large'
  /** Refused unread because the bridge is overloaded (HTTP 503 with Retry-After, gRPC UNAVAILABLE); clients retry. */
  | 'overloaded'
  /** Refused unread because the bridge is draining before it stops (HTTP 503 with Retry-After, gRPC UNAVAILABLE); clients retry. */
  | 'draining'
  /** Refused unread for missing or wrong credentials (HTTP 401, gRPC UNAUTHENTICATED). */
  | 'unauthenticated'
  /** A failure of the bridge itself (HTTP 500, gRPC INTERNAL). */
  | 'internal_error';

/**
 * Counts of what the OTLP receivers did, by protocol and outcome, for the bridge's own metrics.
 * Only gRPC messages past the receiver's hard backstop (its limit + 1 MiB), which `@grpc/grpc-js`
 * refuses before they reach the handler, are not seen here.
 */
export class ReceiverStats {
  readonly #requests = new Map<string, number>();
  readonly #points = new Map<string, number>();

  /** Records one request and the data points it had accepted and refused. */
  record(protocol: ReceiverProtocol, outcome: RequestOutcome, acceptedPoints = 0, rejectedPoints = 0): void {
    increment(this.#requests, `${protocol}\u0000${outcome}`, 1);
    if (acceptedPoints > 0) increment(this.#points, `${protocol}\u0000accepted`, acceptedPoints);
    if (rejectedPoints > 0) increment(this.#points, `${protocol}\u0000rejected`, rejectedPoints);
  }

  /** Requests so far: `[protocol, outcome, count]`. */
  requests(): [ReceiverProtocol, RequestOutcome, number][] {
    return [...this.#requests].map(([key, count]) => {
      const [protocol, outcome] = key.split('\u0000') as [ReceiverProtocol, RequestOutcome];
      return [protocol, outcome, count];
    });
  }

  /** Data points so far: `[protocol, 'accepted' | 'rejected', count]`. */
  dataPoints(): [ReceiverProtocol, 'accepted' | 'rejected', number][] {
    return [...this.#points].map(([key, count]) => {
      const [protocol, outcome] = key.split('\u0000') as [ReceiverProtocol, 'accepted' | 'rejected'];
      return [protocol, outcome, count];
    });
  }
}

function increment(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
