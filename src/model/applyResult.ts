import type { DropReason } from './dropCounter.ts';

/** What one `apply` did with the points it was given, for OTLP's `partial_success`. */
export interface ApplyResult {
  readonly acceptedPoints: number;
  readonly rejectedPoints: number;
  /** Points refused, by reason; absent when none was (or the consumer does not tell). */
  readonly rejectedByReason?: ReadonlyMap<DropReason, number>;
  /**
   * One sentence per distinct problem, starting with its reason and naming the first series it
   * refused (`out_of_order: metric "x": … (2 points; series x_total{a="1"}, x_total{a="2"})`), at most
   * `MAX_ERROR_MESSAGES` (+1 saying more were left out).
   */
  readonly errors: string[];
}

export const MAX_ERROR_MESSAGES = 10;

/** Series named per problem; the points count says how many more there were. */
export const MAX_SERIES_NAMED = 3;

/** One distinct problem of an apply, and the points and series it refused. */
interface Refusal {
  readonly message: string;
  points: number;
  readonly series: string[];
}

/** Counts accepted and refused points during an apply and keeps the first distinct problems. */
export class ApplyTally {
  acceptedPoints = 0;
  rejectedPoints = 0;
  readonly #byReason = new Map<DropReason, number>();
  /** By `reason: problem`, in the order first seen. */
  readonly #refusals = new Map<string, Refusal>();
  /** Messages of other results (`add`), listed as they are. */
  readonly #errors: string[] = [];
  #unlisted = false;

  accept(): void {
    this.acceptedPoints++;
  }

  /**
   * `points` refused for `reason`; `problem` says what was wrong (the metric and why), `nameSeries`
   * which series it would have written, when known (called only for the first few: a flood of
   * refusals builds no text it would not show).
   */
  reject(reason: DropReason, problem: string, points = 1, nameSeries?: () => string): void {
    this.rejectedPoints += points;
    this.#byReason.set(reason, (this.#byReason.get(reason) ?? 0) + points);
    const message = `${reason}: ${problem}`;
    let refusal = this.#refusals.get(message);
    if (refusal === undefined) {
      if (this.#refusals.size + this.#errors.length >= MAX_ERROR_MESSAGES) {
        this.#unlisted = true;
        return;
      }
      refusal = { message, points: 0, series: [] };
      this.#refusals.set(message, refusal);
    }
    refusal.points += points;
    if (nameSeries === undefined || refusal.series.length >= MAX_SERIES_NAMED) return;
    const series = nameSeries();
    if (!refusal.series.includes(series)) refusal.series.push(series);
  }

  /** Another apply's result, added to this one's. */
  add(result: ApplyResult): void {
    this.acceptedPoints += result.acceptedPoints;
    this.rejectedPoints += result.rejectedPoints;
    for (const [reason, points] of result.rejectedByReason ?? []) this.#byReason.set(reason, (this.#byReason.get(reason) ?? 0) + points);
    for (const error of result.errors) {
      if (this.#errors.includes(error)) continue;
      if (this.#refusals.size + this.#errors.length >= MAX_ERROR_MESSAGES) this.#unlisted = true;
      else this.#errors.push(error);
    }
  }

  result(): ApplyResult {
    const errors = [...[...this.#refusals.values()].map(describeRefusal), ...this.#errors];
    if (this.#unlisted) errors.push('other problems were left out of this list');
    const result = { acceptedPoints: this.acceptedPoints, rejectedPoints: this.rejectedPoints, errors };
    return this.#byReason.size === 0 ? result : { ...result, rejectedByReason: new Map(this.#byReason) };
  }
}

function describeRefusal({ message, points, series }: Refusal): string {
  if (series.length === 0) return message;
  const more = points > series.length ? ', …' : '';
  return `${message} (${points} point${points === 1 ? '' : 's'}; series ${series.join(', ')}${more})`;
}
