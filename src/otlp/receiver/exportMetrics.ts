import type { ApplyResult } from '../../model/applyResult.ts';
import type { ResourceMetrics } from '../../otelData/otelData.ts';
import { decodeExportMetricsServiceRequestJson } from '../decode/json/decodeExportMetricsServiceRequestJson.ts';
import { decodeExportMetricsServiceRequest } from '../decode/protobuf/decodeExportMetricsServiceRequest.ts';
import type { OtlpDropReason } from '../decode/OtlpDecodeOptions.ts';
import type { PartialSuccess } from './exportResponse.ts';
import { hasMoreKeysThan, MAX_POINT_ATTRIBUTES } from '../../model/pointProblem.ts';
import { OtlpDecodeError } from '../decode/OtlpDecodeError.ts';

/** How an OTLP request body is encoded. */
export type OtlpEncoding = 'protobuf' | 'json';

/** Where decoded metrics go (the sidecar's series store, resource by resource): one call per request. */
export interface MetricsConsumer {
  /** Takes one request's metrics; says how many points it accepted and refused, and why. Should not throw. */
  consume(resourceMetrics: readonly ResourceMetrics[], receivedAtMs: number): ApplyResult;
  /**
   * Told, once a request has decoded (before `consume`), what the decoder left out: per reason, how
   * many things (data points; one per metric or field when no point went with it) and a detail
   * naming the first. For the bridge's drop counters. @default none
   */
  recordDecodeDrops?(reason: OtlpDropReason, count: number, detail: string): void;
}

/** What became of one export request that decoded: the `partial_success` to answer, and what was accepted. */
export interface ExportOutcome extends PartialSuccess {
  readonly acceptedDataPoints: number;
}

/** At most this many distinct reasons go into `error_message`. */
const MAX_REASONS = 10;

const DROP_REASONS: Record<OtlpDropReason, string> = {
  metric_without_data: 'the metric has none of gauge, sum, histogram, exponential_histogram, summary; left out',
  invalid_temporality: 'the aggregation temporality is neither DELTA nor CUMULATIVE; the metric was left out',
  invalid_histogram_buckets: 'bucket_counts must be empty or have one more entry than explicit_bounds; the point was left out',
  profiling_field_ignored: 'a profiling-only field (key_strindex, string_value_strindex) was ignored',
};

/**
 * Decodes an `ExportMetricsServiceRequest` and hands its resources to `consumer`. An empty body is
 * an empty request (nothing changes). Points the decoder left out and points the consumer refused
 * add up to `rejectedDataPoints`, their distinct reasons to `errorMessage`; what the decoder left
 * out also goes to `consumer.recordDecodeDrops`, by reason.
 *
 * Throws the decoder's `OtlpDecodeError` when the body is malformed (nothing is consumed then), and
 * whatever the consumer throws.
 */
export function exportMetrics(body: Uint8Array, encoding: OtlpEncoding, consumer: MetricsConsumer, receivedAtMs: number): ExportOutcome {
  if (body.length === 0) return { acceptedDataPoints: 0, rejectedDataPoints: 0, errorMessage: '' };
  const reasons = new ReasonList();
  let rejected = 0;
  const drops = new Map<OtlpDropReason, { count: number; detail: string }>();
  const options = {
    onDrop: (reason: OtlpDropReason, path: string, droppedDataPoints: number) => {
      rejected += droppedDataPoints;
      const detail = `${path}: ${DROP_REASONS[reason]}`;
      reasons.add(detail);
      const tally = drops.get(reason);
      if (tally === undefined) drops.set(reason, { count: Math.max(1, droppedDataPoints), detail });
      else tally.count += Math.max(1, droppedDataPoints);
    },
  };
  const decoded = encoding === 'protobuf' ? decodeExportMetricsServiceRequest(body, options) : decodeExportMetricsServiceRequestJson(body, options);
  checkContextAttributes(decoded, encoding);
  // Counted only once the whole request decoded: a malformed one is refused whole, not counted as drops.
  for (const [reason, { count, detail }] of drops) consumer.recordDecodeDrops?.(reason, count, detail);
  if (decoded.length === 0) return { acceptedDataPoints: 0, rejectedDataPoints: rejected, errorMessage: reasons.text() };
  const result = consumer.consume(decoded, receivedAtMs);
  for (const error of result.errors) reasons.add(error);
  return { acceptedDataPoints: result.acceptedPoints, rejectedDataPoints: rejected + result.rejectedPoints, errorMessage: reasons.text() };
}

/**
 * Most attributes a resource or a scope may carry. They become labels of every series they hold
 * (and `target_info`); a million of them took seconds of the event loop to translate. A request
 * with more is refused whole as malformed; a point with too many is refused alone (`invalid_point`).
 */
export const MAX_CONTEXT_ATTRIBUTES = MAX_POINT_ATTRIBUTES;

/** Throws `OtlpDecodeError` naming the first resource or scope with more than `MAX_CONTEXT_ATTRIBUTES` attributes. */
function checkContextAttributes(decoded: readonly ResourceMetrics[], encoding: OtlpEncoding): void {
  const names = encoding === 'protobuf' ? ['resource_metrics', 'scope_metrics'] : ['resourceMetrics', 'scopeMetrics'];
  const problem = `more than ${MAX_CONTEXT_ATTRIBUTES} attributes`;
  decoded.forEach((resourceMetrics, r) => {
    if (hasMoreKeysThan(resourceMetrics.resource.attributes, MAX_CONTEXT_ATTRIBUTES)) throw new OtlpDecodeError(`${names[0]}[${r}].resource.attributes`, problem);
    resourceMetrics.scopeMetrics.forEach((scopeMetrics, s) => {
      const attributes = scopeMetrics.scope.attributes;
      if (attributes !== undefined && hasMoreKeysThan(attributes, MAX_CONTEXT_ATTRIBUTES)) throw new OtlpDecodeError(`${names[0]}[${r}].${names[1]}[${s}].scope.attributes`, problem);
    });
  });
}

/** Distinct reasons, the first `MAX_REASONS` of them, and a note when more were left out. */
class ReasonList {
  readonly #reasons: string[] = [];
  #more = false;

  add(reason: string): void {
    if (this.#reasons.includes(reason)) return;
    if (this.#reasons.length < MAX_REASONS) this.#reasons.push(reason);
    else this.#more = true;
  }

  text(): string {
    return (this.#more ? [...this.#reasons, 'more problems were left out of this message'] : this.#reasons).join('; ');
  }
}
