import type { ResourceMetrics } from '../../../otelData/otelData.ts';
import { OtlpDecodeError } from '../OtlpDecodeError.ts';
import type { OtlpDecodeOptions } from '../OtlpDecodeOptions.ts';
import { decodeResourceMetrics } from './decodeResourceMetrics.ts';
import { describe, isObject, JsonWalker } from './JsonWalker.ts';

/**
 * Decoder for OTLP/JSON (`application/json`) `ExportMetricsServiceRequest` bodies: the proto3 JSON
 * mapping with OTLP's changes (trace and span ids in hex, enums as integers). It accepts what a
 * proto3 JSON parser accepts besides: snake_case field names, 64-bit integers as numbers or
 * strings, enum names, `null` for a field's default.
 *
 * `JsonWalker` reads each field as its proto3 type; one walker per message level; the rules shared
 * with the protobuf decoder are in `metricRules.ts`.
 */

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest` (the body as text, or as UTF-8 bytes) into the
 * bridge's data model.
 *
 * Unknown fields are ignored. Well-formed data that the model cannot hold is left out and reported
 * through `options.onDrop`. Invalid JSON, a value of the wrong type or nesting deeper than 64 throw
 * an {@link OtlpDecodeError} naming the field path.
 */
export function decodeExportMetricsServiceRequestJson(body: string | Uint8Array, options?: OtlpDecodeOptions): ResourceMetrics[] {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  let root: unknown;
  try {
    // JSON.parse builds deep input without recursing on the stack; the walk below checks the depth.
    root = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError('request', `invalid JSON: ${(error as Error).message}`);
  }
  const w = new JsonWalker(options);
  if (!isObject(root)) throw w.fail(`expected an object, got ${describe(root)}`);
  const resourceMetrics: ResourceMetrics[] = [];
  for (const key in root) {
    if (key === 'resourceMetrics' || key === 'resource_metrics') {
      const list = w.array(root[key], 'resourceMetrics');
      for (let i = 0; i < list.length; i++) {
        const message = w.enter(list[i], 'resourceMetrics', i);
        resourceMetrics.push(decodeResourceMetrics(w, message));
        w.leave();
      }
    }
  }
  return resourceMetrics;
}
