import type { Family } from '../model/family.ts';
import { renderOpenMetrics, renderText, type RenderOptions } from './exposition.ts';
import { contentTypeOf, negotiateFormat } from './negotiate.ts';

/** Renders families in the format an `Accept` header asks for, with the matching content type. */
export function renderExposition(families: Iterable<Family>, accept: string | undefined, options: RenderOptions): { contentType: string; body: string } {
  const format = negotiateFormat(accept);
  const body = format === 'openmetrics' ? renderOpenMetrics(families, options) : renderText(families, options);
  return { contentType: contentTypeOf(format), body };
}
