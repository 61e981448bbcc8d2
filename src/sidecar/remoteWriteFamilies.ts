import type { Family } from '../model/family.ts';
import { DROP_REASONS } from '../outputs/push/remoteWrite/endpointStats.ts';
import type { EndpointStatus } from '../outputs/push/remoteWrite/RemoteWriteOutput.ts';
import { family, sample } from './sidecarFamilies.ts';

export const REMOTE_WRITE_SAMPLES_SENT_METRIC_NAME = 'otel_prom_bridge_remote_write_samples_sent_total';
export const REMOTE_WRITE_HISTOGRAMS_SENT_METRIC_NAME = 'otel_prom_bridge_remote_write_histograms_sent_total';
export const REMOTE_WRITE_BYTES_SENT_METRIC_NAME = 'otel_prom_bridge_remote_write_sent_bytes_total';
export const REMOTE_WRITE_SAMPLES_RETRIED_METRIC_NAME = 'otel_prom_bridge_remote_write_samples_retried_total';
export const REMOTE_WRITE_SAMPLES_DROPPED_METRIC_NAME = 'otel_prom_bridge_remote_write_samples_dropped_total';
export const REMOTE_WRITE_REQUESTS_METRIC_NAME = 'otel_prom_bridge_remote_write_requests_total';
export const REMOTE_WRITE_QUEUE_METRIC_NAME = 'otel_prom_bridge_remote_write_queue_samples';
export const REMOTE_WRITE_SHARDS_METRIC_NAME = 'otel_prom_bridge_remote_write_shards';
export const REMOTE_WRITE_NEWEST_SENT_METRIC_NAME = 'otel_prom_bridge_remote_write_newest_sent_timestamp_seconds';
export const REMOTE_WRITE_LAG_METRIC_NAME = 'otel_prom_bridge_remote_write_lag_seconds';
export const REMOTE_WRITE_FALLBACKS_METRIC_NAME = 'otel_prom_bridge_remote_write_protocol_fallbacks_total';

/**
 * Remote write's own metrics, one series per endpoint (`endpoint` is its name): what was sent,
 * retried and dropped (by reason), requests by outcome, the queue, the shards in use, how far
 * behind the newest sample sent is, and 2.0 → 1.0 fallbacks. None without endpoints.
 */
export function buildRemoteWriteFamilies(endpoints: readonly EndpointStatus[], nowMs: number): Family[] {
  if (endpoints.length === 0) return [];
  const per = (value: (status: EndpointStatus) => number) => endpoints.map((status) => sample([['endpoint', status.name]], { kind: 'number', value: value(status) }, nowMs));
  const families: Family[] = [
    family(REMOTE_WRITE_SAMPLES_SENT_METRIC_NAME, 'counter', 'Samples (and stale markers) the remote-write endpoint accepted.', per((s) => s.stats.samplesSent)),
    family(REMOTE_WRITE_HISTOGRAMS_SENT_METRIC_NAME, 'counter', 'Native histograms the remote-write endpoint accepted.', per((s) => s.stats.histogramsSent)),
    { ...family(REMOTE_WRITE_BYTES_SENT_METRIC_NAME, 'counter', 'Bytes of snappy-compressed requests the remote-write endpoint accepted.', per((s) => s.stats.bytesSent)), unit: 'bytes' },
    family(REMOTE_WRITE_SAMPLES_RETRIED_METRIC_NAME, 'counter', 'Samples sent again after a request failed in a way worth retrying (5xx, 429, no answer), once per retry.', per((s) => s.stats.samplesRetried)),
    family(
      REMOTE_WRITE_SAMPLES_DROPPED_METRIC_NAME,
      'counter',
      'Samples that never reached the remote-write endpoint, by reason: queue_full (the oldest pushed out), http_4xx and http_429 (refused, not retried), shutdown (still queued at stop), encode_error.',
      endpoints.flatMap((status) => DROP_REASONS.map((reason) => sample([['endpoint', status.name], ['reason', reason]], { kind: 'number', value: status.stats.samplesDropped[reason] }, nowMs))),
    ),
    family(
      REMOTE_WRITE_REQUESTS_METRIC_NAME,
      'counter',
      'Remote-write requests by outcome: sent (2xx), retried (5xx, 429, no answer; sent again) and failed (refused for good).',
      endpoints.flatMap((status) =>
        (['sent', 'retried', 'failed'] as const).map((outcome) => sample([['endpoint', status.name], ['outcome', outcome]], { kind: 'number', value: status.stats.requests[outcome] }, nowMs)),
      ),
    ),
    family(REMOTE_WRITE_QUEUE_METRIC_NAME, 'gauge', 'Samples queued for the remote-write endpoint, not yet in a request.', per((s) => s.stats.queueLength)),
    family(REMOTE_WRITE_SHARDS_METRIC_NAME, 'gauge', 'Requests the remote-write endpoint may have in flight at once now (between min_shards and max_shards).', per((s) => s.stats.shards)),
    family(REMOTE_WRITE_FALLBACKS_METRIC_NAME, 'counter', 'Times the endpoint showed it takes only remote write 1.0 (415, or 2xx without written headers) and 1.0 was sent instead of 2.0.', per((s) => s.stats.fallbacks)),
  ];
  const sent = endpoints.filter((status) => status.stats.newestSentTimestampMs > 0);
  if (sent.length > 0) {
    families.push(
      {
        ...family(REMOTE_WRITE_NEWEST_SENT_METRIC_NAME, 'gauge', 'Time of the newest sample the remote-write endpoint accepted, in seconds since the epoch.', sent.map((s) => sample([['endpoint', s.name]], { kind: 'number', value: s.stats.newestSentTimestampMs / 1000 }, nowMs))),
        unit: 'seconds',
      },
      {
        ...family(REMOTE_WRITE_LAG_METRIC_NAME, 'gauge', 'How far behind now the newest sample the remote-write endpoint accepted is.', sent.map((s) => sample([['endpoint', s.name]], { kind: 'number', value: Math.max(0, nowMs - s.stats.newestSentTimestampMs) / 1000 }, nowMs))),
        unit: 'seconds',
      },
    );
  }
  return families;
}
