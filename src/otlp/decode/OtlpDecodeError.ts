/**
 * A malformed OTLP request: the receiver answers it with 400 Bad Request and drops it whole.
 *
 * The message starts with the path of the field where decoding stopped, in the names of the
 * encoding that was read (`resource_metrics[0].scope_metrics[1].metrics[2].sum.data_points[0]`
 * for protobuf, `resourceMetrics[0].scopeMetrics[1]...` for JSON), then says what was wrong.
 */
export class OtlpDecodeError extends Error {
  /** Where decoding stopped, e.g. `resource_metrics[0].scope_metrics[0].metrics[3].name`; `request` for the top level. */
  readonly path: string;
  /** What was wrong there, e.g. `truncated varint`. */
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'OtlpDecodeError';
    this.path = path;
    this.problem = problem;
  }
}
