/**
 * The built CLI (`node dist/cli.js`) configured from a YAML file, environment variables and flags,
 * as a child process on free loopback ports. Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SETTING_NAMES, SETTINGS } from '../../src/config/schema.ts';
import { exitOf, runCli as runChild, type CliChild } from '../helpers/cliChild.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { findLogLine } from '../helpers/logLines.ts';
import { isListening } from '../helpers/isListening.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { jsonRequest } from '../helpers/otlpRequests.ts';
import { get, TIMEOUT_MS } from '../sidecar/sidecarHarness.ts';

const dir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with only the variables given (none of this process's OTEL_PROM_BRIDGE_*). */
function runCli(args: readonly string[], env: Record<string, string> = {}): CliChild {
  return runChild(args, env);
}

async function exitCode(cli: CliChild): Promise<number | null> {
  return (await exitOf(cli, TIMEOUT_MS)).code;
}

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the CLI configured from a file, variables and flags', () => {
  it('serves on the ports from the YAML file and the environment, with the translation settings applied', async () => {
    const [metricsPort, httpPort, filePort] = await freePorts(3);
    const file = writeConfig(
      'serve.yaml',
      [
        `metrics_listen: 127.0.0.1:${filePort}`,
        'metrics_path: /scrape',
        'otlp_grpc_listen: off',
        'namespace: cfg',
        'scope_labels: off',
        'target_info: off',
        'promote_resource_attributes: [service.name]',
        'log_level: debug',
        '',
      ].join('\n'),
    );
    const cli = runCli(['--config', file], {
      OTEL_PROM_BRIDGE_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
      OTEL_PROM_BRIDGE_OTLP_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    });
    try {
      const started = await pollUntil('the CLI to log that it listens', () => findLogLine(cli.stderr, /listening$/) ?? (cli.child.exitCode !== null ? assert.fail(cli.stderr) : undefined), TIMEOUT_MS);
      assert.deepEqual(started.endpoints, {
        otlpHttp: { enabled: true, url: `http://127.0.0.1:${httpPort}/v1/metrics`, tls: false, auth: 'none' },
        otlpGrpc: { enabled: false },
        metrics: { enabled: true, url: `http://127.0.0.1:${metricsPort}/scrape`, tls: false, auth: 'none' },
      });
      assert.equal(await isListening(filePort!, 500), false, 'the variable beat the file for metrics_listen');

      const pushed = await fetch(`http://127.0.0.1:${httpPort}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: jsonRequest('config-test', [{ name: 'pushed', value: 3 }]),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      assert.equal(pushed.status, 200);
      const text = await (await get(`http://127.0.0.1:${metricsPort}/scrape`)).text();
      const line = text.split('\n').find((l) => l.startsWith('cfg_pushed_total{'));
      assert.ok(line !== undefined, text);
      assert.match(line, /service_name="config-test"/);
      assert.doesNotMatch(line, /otel_scope_name/);
      assert.doesNotMatch(text, /^(# [A-Z]+ )?(cfg_)?target_info\b/m);
    } finally {
      cli.child.kill('SIGTERM');
      assert.equal(await exitCode(cli), 0);
    }
  });

  it('--check-config prints the effective configuration and exits 0 without listening', async () => {
    const [port] = await freePorts(1);
    const file = writeConfig('check.yaml', `metrics_listen: 127.0.0.1:${port}\nmax_series: 1000\n`);
    const cli = runCli(['--config', file, '--check-config', '--namespace', 'acme'], { OTEL_PROM_BRIDGE_LOG_LEVEL: 'warn' });
    assert.equal(await exitCode(cli), 0);
    assert.equal(cli.stderr, '');
    assert.match(cli.stdout, new RegExp(`^metrics_listen: 127\\.0\\.0\\.1:${port} # ${file.replaceAll('.', '\\.')}:metrics_listen$`, 'm'));
    assert.match(cli.stdout, /^namespace: acme # --namespace$/m);
    assert.match(cli.stdout, /^log_level: warn # OTEL_PROM_BRIDGE_LOG_LEVEL$/m);
    assert.match(cli.stdout, /^metric_expiration: 5m # default$/m);
  });

  const failures: [what: string, args: (file: string) => string[], env: Record<string, string>, yaml: string, line: string][] = [
    ['a bad flag', () => ['--max-series', '-3'], {}, '', 'max_series "-3" from --max-series is not valid (not a whole number); allowed: a whole number from 1 to 100000000.'],
    ['a bad variable', () => [], { OTEL_PROM_BRIDGE_METRIC_EXPIRATION: '10' }, '', 'metric_expiration "10" from OTEL_PROM_BRIDGE_METRIC_EXPIRATION is not valid (not a duration); allowed: a duration of at least 1s, e.g. 30s, 5m, 1h30m (units ms, s, m, h, d).'],
    ['a bad file value', (file) => ['--config', file], {}, 'max_request_body: 16XB\n', 'max_request_body "16XB" from FILE:max_request_body is not valid (not a size); allowed: a size from 1KiB to 1GiB, e.g. 512KiB, 16MiB, 1GiB, 10MB or bytes.'],
    ['an unknown file key', (file) => ['--config', file], {}, 'max_series: 5\nmax_sereis: 6\n', `FILE:2 has an unknown key "max_sereis" (did you mean "max_series"?); the keys are ${SETTING_NAMES.map((n) => SETTINGS[n].yamlKey).join(', ')}.`],
    ['a bad value with --check-config', (file) => ['--config', file, '--check-config'], {}, 'log_level: loud\n', 'log_level "loud" from FILE:log_level is not valid (not one of the allowed values); allowed: debug, info, warn, error or silent.'],
  ];
  failures.forEach(([what, args, env, yaml, line], index) => {
    it(`${what} exits 2 with one line`, async () => {
      const file = writeConfig(`bad-${index}.yaml`, yaml);
      const cli = runCli(args(file), env);
      assert.equal(await exitCode(cli), 2);
      assert.equal(cli.stdout, '');
      assert.equal(cli.stderr, `otel-prom-bridge: ${line.replaceAll('FILE', file)}\n`);
    });
  });

  it('--help lists every setting', async () => {
    const cli = runCli(['--help']);
    assert.equal(await exitCode(cli), 0);
    for (const name of SETTING_NAMES) {
      const setting = SETTINGS[name];
      for (const text of [setting.flag, setting.env, setting.yamlKey, setting.doc]) assert.ok(cli.stdout.includes(text), `${text} in --help`);
    }
  });
});
