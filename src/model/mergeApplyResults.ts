import { ApplyTally, type ApplyResult } from './applyResult.ts';

/**
 * One result for several applies (the resources of one request applied one by one): the counts
 * added up, the reasons deduplicated and bounded as a single apply's would be.
 */
export function mergeApplyResults(results: readonly ApplyResult[]): ApplyResult {
  if (results.length === 1) return results[0]!;
  const tally = new ApplyTally();
  for (const result of results) tally.add(result);
  return tally.result();
}
