/** What one `apply` did with the points it was given, for OTLP's `partial_success`. */
export interface ApplyResult {
  readonly acceptedPoints: number;
  readonly rejectedPoints: number;
  /** Short sentences on what was refused and why, distinct, at most `MAX_ERROR_MESSAGES` (+1 saying more were left out). */
  readonly errors: string[];
}

export const MAX_ERROR_MESSAGES = 10;

/** Counts accepted and refused points during an apply and keeps the first distinct reasons. */
export class ApplyTally {
  acceptedPoints = 0;
  rejectedPoints = 0;
  readonly #errors: string[] = [];
  #unlisted = false;

  accept(): void {
    this.acceptedPoints++;
  }

  reject(message: string, points = 1): void {
    this.rejectedPoints += points;
    if (this.#errors.length >= MAX_ERROR_MESSAGES) this.#unlisted ||= !this.#errors.includes(message);
    else if (!this.#errors.includes(message)) this.#errors.push(message);
  }

  result(): ApplyResult {
    const errors = this.#unlisted ? [...this.#errors, 'other problems were left out of this list'] : [...this.#errors];
    return { acceptedPoints: this.acceptedPoints, rejectedPoints: this.rejectedPoints, errors };
  }
}
