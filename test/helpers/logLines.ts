import assert from 'node:assert/strict';

/** One JSON log line of the CLI (pino): `level` as a word, `time`, `msg` and fields of its own. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly time: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Every line of `output` parsed as JSON (a line that is not fails the test); a trailing partial line is left out. */
export function parseLogLines(output: string): LogLine[] {
  const complete = output.slice(0, output.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        assert.fail(`a log line that is not JSON: ${line}`);
      }
      assert.ok(typeof parsed === 'object' && parsed !== null && typeof (parsed as LogLine).msg === 'string', `a log line without msg: ${line}`);
      return parsed as LogLine;
    });
}

/** The first log line whose `msg` matches, or undefined. */
export function findLogLine(output: string, msg: RegExp): LogLine | undefined {
  return parseLogLines(output).find((line) => msg.test(line.msg));
}
