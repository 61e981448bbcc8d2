import type { RemoteWriteMessage } from './remoteWriteEndpoint.ts';

/** Why samples never reached an endpoint. */
export const DROP_REASONS = ['queue_full', 'http_4xx', 'http_429', 'shutdown', 'encode_error'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** What an endpoint's writer did so far: its self-metrics and its row on the status page. */
export interface EndpointStats {
  /** Float samples (and stale markers) written. */
  samplesSent: number;
  /** Native histograms written. */
  histogramsSent: number;
  /** Compressed request bytes written. */
  bytesSent: number;
  /** Samples in requests that were sent again after a failure, once per retry. */
  samplesRetried: number;
  readonly samplesDropped: Record<DropReason, number>;
  readonly requests: { sent: number; retried: number; failed: number };
  /** 2.0 requests the receiver showed it does not take (then 1.0 is sent). */
  fallbacks: number;
  /** The message sent now. */
  message: RemoteWriteMessage;
  /** Requests that may be in flight at once now. */
  shards: number;
  queueLength: number;
  /** The newest sample time written, ms (0: none yet). */
  newestSentTimestampMs: number;
  lastSuccessMs: number;
  lastRequestDurationMs: number;
  /** Failures since the last success (0: healthy). */
  consecutiveFailures: number;
  lastError: string;
  lastErrorMs: number;
}

export function newEndpointStats(shards: number, message: RemoteWriteMessage): EndpointStats {
  return {
    samplesSent: 0,
    histogramsSent: 0,
    bytesSent: 0,
    samplesRetried: 0,
    samplesDropped: Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>,
    requests: { sent: 0, retried: 0, failed: 0 },
    fallbacks: 0,
    message,
    shards,
    queueLength: 0,
    newestSentTimestampMs: 0,
    lastSuccessMs: 0,
    lastRequestDurationMs: 0,
    consecutiveFailures: 0,
    lastError: '',
    lastErrorMs: 0,
  };
}
