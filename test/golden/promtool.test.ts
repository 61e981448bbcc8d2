/**
 * `promtool check metrics` (Prometheus 2.42) on every text golden file: Prometheus' own parser
 * must accept it. promtool exits 1 on a parse error (the test fails) and 3 when it only has lint
 * warnings (naming advice such as "use base unit seconds"): those are printed as diagnostics and
 * judged by a person, see the table below.
 *
 * Without promtool on PATH the test fails in CI (`CI` set) and is skipped elsewhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { GOLDEN_PROGRAMS } from './goldenPrograms.ts';

const PROMTOOL = 'promtool';
/** promtool's exit codes (cmd/promtool): success, failure (parse error), lint problems. */
const EXIT_SUCCESS = 0;
const EXIT_LINT_PROBLEMS = 3;

/**
 * Lint warnings the golden files are known to draw, and why they are not product problems. A
 * warning not listed here fails the test, so that a new one is looked at, not scrolled past.
 */
const ACCEPTED_WARNINGS: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^db_client_connection_count non-histogram and non-summary metrics should not have "_count" suffix$/,
    reason: 'the OpenTelemetry semantic-convention name db.client.connection.count, translated as Prometheus translates OTLP; renaming it is not the bridge\'s job',
  },
  {
    pattern: /^\S+_milliseconds use base unit "seconds" instead of "milliseconds"$/,
    reason: 'MAPPING.md maps the UCUM unit ms to _milliseconds (as Prometheus\' otlptranslator does); the bridge does not rescale values',
  },
];

function promtoolAvailable(): boolean {
  const probe = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0;
}

const textGoldenFiles = GOLDEN_PROGRAMS.flatMap((program) => program.outputs.map((output) => `${output}.prom`));

describe('promtool check metrics on the text golden files', () => {
  if (!promtoolAvailable()) {
    if (process.env.CI) {
      test('promtool is installed', () => {
        assert.fail(`${PROMTOOL} is not on PATH; CI must install Prometheus (Debian package prometheus) to lint the golden files.`);
      });
    } else {
      test('promtool check metrics', { skip: `${PROMTOOL} is not on PATH (install the Debian package prometheus to run this check)` }, () => {});
    }
    return;
  }

  for (const file of textGoldenFiles) {
    test(file, async (t) => {
      const body = await readFile(new URL(`./${file}`, import.meta.url), 'utf8');
      const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
      assert.equal(result.error, undefined, `could not run ${PROMTOOL}: ${String(result.error)}`);
      const output = `${result.stdout}${result.stderr}`.trim();
      assert.ok(
        result.status === EXIT_SUCCESS || result.status === EXIT_LINT_PROBLEMS,
        `promtool check metrics rejected ${file} (exit ${String(result.status)}):\n${output}`,
      );
      const warnings = output === '' ? [] : output.split('\n');
      for (const warning of warnings) t.diagnostic(`promtool: ${warning}`);
      // Every family has a HELP line, described or not (src/translate/familyHelp.ts).
      assert.deepEqual(warnings.filter((warning) => warning.endsWith(' no help text')), [], `families without HELP in ${file}`);
      const unexplained = warnings.filter((warning) => !ACCEPTED_WARNINGS.some(({ pattern }) => pattern.test(warning)));
      assert.deepEqual(unexplained, [], `promtool warnings on ${file} that nobody has judged yet (add them with a reason, or fix the product)`);
      if (result.status === EXIT_LINT_PROBLEMS) assert.ok(warnings.length > 0, 'promtool exited 3 without saying why');
    });
  }
});
