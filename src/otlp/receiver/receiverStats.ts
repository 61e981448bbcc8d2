/** Requests refused whole that the status page lists, the latest ones. */
export const MAX_RECENT_REQUEST_REFUSALS = 10;

/** Characters kept of each refusal message. */
const MAX_REFUSAL_MESSAGE_CHARS = 500;

/** One request refused whole: when (ms since the epoch), how it is counted, and what its client was told. */
export interface RequestRefusal {
  readonly atMs: number;
  readonly protocol: ReceiverProtocol;
  readonly outcome: RequestOutcome;
  readonly message: string;
}

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
  /** Traces or logs, which the bridge does not take (HTTP 404, gRPC UNIMPLEMENTED; not retried by OTLP exporters). */
  | 'unsupported_signal'
  /** A failure of the bridge itself (HTTP 500, gRPC INTERNAL). */
  | 'internal_error';

/**
 * Upper bounds of the request duration histogram, in seconds (without +Inf): from a small export
 * decoded in a fraction of a millisecond to a large one that waits behind a scrape.
 */
export const REQUEST_DURATION_BOUNDS_SECONDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** How long the requests of one protocol and outcome took. */
export interface RequestDurations {
  readonly protocol: ReceiverProtocol;
  readonly outcome: RequestOutcome;
  /** Per-bucket counts (not cumulative), one more than the bounds. */
  readonly counts: readonly number[];
  readonly count: number;
  readonly sumSeconds: number;
}

/**
 * Counts of what the OTLP receivers did, by protocol and outcome, for the bridge's own metrics.
 * Only gRPC messages past the receiver's hard backstop (its limit + 1 MiB), which `@grpc/grpc-js`
 * refuses before they reach the handler, are not seen here.
 */
export class ReceiverStats {
  readonly #clock: () => number;
  readonly #requests = new Map<string, number>();
  readonly #recentRefusals: RequestRefusal[] = [];
  readonly #points = new Map<string, number>();
  readonly #durations = new Map<string, { counts: number[]; count: number; sumSeconds: number }>();

  /**
   * Records one request, how long it took (over HTTP from its arrival, body read included; over
   * gRPC from the message reaching the handler, which is as early as grpc-js lets one see it) and
   * the data points it had accepted and refused.
   */
  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  record(protocol: ReceiverProtocol, outcome: RequestOutcome, seconds: number, acceptedPoints = 0, rejectedPoints = 0): void {
    const key = `${protocol}\u0000${outcome}`;
    increment(this.#requests, key, 1);
    this.#recordDuration(key, Number.isFinite(seconds) ? Math.max(0, seconds) : 0);
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

  /**
   * Records one request refused whole, with what its client was told: such a refusal names no
   * resource (its body was not read, or could not be), so the status page lists it on its own.
   */
  refused(protocol: ReceiverProtocol, outcome: RequestOutcome, seconds: number, message: string): void {
    this.record(protocol, outcome, seconds);
    this.#recentRefusals.push({ atMs: this.#clock(), protocol, outcome, message: message.slice(0, MAX_REFUSAL_MESSAGE_CHARS) });
    if (this.#recentRefusals.length > MAX_RECENT_REQUEST_REFUSALS) this.#recentRefusals.shift();
  }

  /** Requests refused whole: counts by protocol and outcome, and the latest ones. */
  refusedRequests(): { byOutcome: Record<string, number>; recent: RequestRefusal[] } {
    const byOutcome: Record<string, number> = {};
    for (const [protocol, outcome, count] of this.requests()) {
      if (outcome !== 'success' && outcome !== 'partial_success') byOutcome[`${protocol} ${outcome}`] = count;
    }
    return { byOutcome, recent: [...this.#recentRefusals] };
  }

  /** Request durations so far, by protocol and outcome. */
  durations(): RequestDurations[] {
    return [...this.#durations].map(([key, tally]) => {
      const [protocol, outcome] = key.split('\u0000') as [ReceiverProtocol, RequestOutcome];
      return { protocol, outcome, counts: [...tally.counts], count: tally.count, sumSeconds: tally.sumSeconds };
    });
  }

  #recordDuration(key: string, seconds: number): void {
    let tally = this.#durations.get(key);
    if (tally === undefined) {
      tally = { counts: new Array<number>(REQUEST_DURATION_BOUNDS_SECONDS.length + 1).fill(0), count: 0, sumSeconds: 0 };
      this.#durations.set(key, tally);
    }
    const bucket = REQUEST_DURATION_BOUNDS_SECONDS.findIndex((bound) => seconds <= bound);
    tally.counts[bucket === -1 ? REQUEST_DURATION_BOUNDS_SECONDS.length : bucket]!++;
    tally.count++;
    tally.sumSeconds += seconds;
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
