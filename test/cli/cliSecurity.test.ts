/**
 * The built CLI (`node dist/cli.js`) with auth and TLS settings, as a child process on free loopback
 * ports: secrets from flags, variables and files never show (`--check-config` and the start log
 * line mask them), the start line is JSON naming every endpoint, and bad secret or certificate
 * files stop it with exit 2 and one line. Needs `npm run build` first (`npm test` does it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitOf, runCli as runChild, type CliChild } from '../helpers/cliChild.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { findLogLine, parseLogLines } from '../helpers/logLines.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { makeSelfSignedCert, skipUnlessOpenssl, type SelfSignedCert } from '../helpers/selfSignedCert.ts';
import { TIMEOUT_MS } from '../sidecar/sidecarHarness.ts';
import { httpsGet } from '../helpers/httpsGet.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every secret these tests use: none may appear in any output. */
const SECRETS = ['metrics-T0KEN', 'otlp-PASSW0RD', 'file-T0KEN'];

/** The CLI with only the variables given (none of this process's OTEL_PROM_BRIDGE_*). */
function runCli(args: readonly string[], env: Record<string, string> = {}): CliChild {
  return runChild(args, env);
}

async function exitCode(cli: CliChild): Promise<number | null> {
  return (await exitOf(cli, TIMEOUT_MS)).code;
}

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} shows in: ${text}`);
}


describe('the CLI with auth and TLS settings', () => {
  it('--check-config shows secrets from a flag and a variable as *** and secret files by path', async () => {
    const tokenFile = writeFile('check-token', 'file-T0KEN\n');
    const cli = runCli(['--check-config', '--metrics-bearer-token', 'metrics-T0KEN', '--otlp-basic-auth-username', 'app'], {
      OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_PASSWORD: 'otlp-PASSW0RD',
    });
    assert.equal(await exitCode(cli), 0, cli.stderr);
    assert.match(cli.stdout, /^metrics_bearer_token: "\*\*\*" # --metrics-bearer-token$/m);
    assert.match(cli.stdout, /^otlp_basic_auth_password: "\*\*\*" # OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_PASSWORD$/m);
    assert.match(cli.stdout, /^otlp_basic_auth_username: app # --otlp-basic-auth-username$/m);
    assert.match(cli.stdout, /^metrics_basic_auth_password: "" # default$/m, 'an unset secret is shown empty');
    assertNoSecret(cli.stdout + cli.stderr);

    const fromFile = runCli(['--check-config', '--otlp-bearer-token-file', tokenFile]);
    assert.equal(await exitCode(fromFile), 0, fromFile.stderr);
    assert.match(fromFile.stdout, new RegExp(`^otlp_bearer_token_file: ${tokenFile.replaceAll('.', '\\.')} # --otlp-bearer-token-file$`, 'm'));
    assertNoSecret(fromFile.stdout + fromFile.stderr);
  });

  const failures: [what: string, args: () => string[], line: () => string][] = [
    ['a missing secret file', () => ['--metrics-bearer-token-file', join(dir, 'none')], () => `cannot read metrics_bearer_token_file ${join(dir, 'none')}: ENOENT: no such file or directory, open '${join(dir, 'none')}'.`],
    ['an empty secret file', () => ['--otlp-bearer-token-file', writeFile('empty', '\n')], () => `otlp_bearer_token_file ${join(dir, 'empty')} is empty; it must hold the secret.`],
    [
      'a secret and its file',
      () => ['--otlp-bearer-token', 'metrics-T0KEN', '--otlp-bearer-token-file', writeFile('token', 'file-T0KEN')],
      () => 'otlp_bearer_token and otlp_bearer_token_file are both set; set only one of them.',
    ],
    [
      'bearer and basic on the metrics listener',
      () => ['--metrics-bearer-token', 'metrics-T0KEN', '--metrics-basic-auth-username', 'p', '--metrics-basic-auth-password', 'otlp-PASSW0RD'],
      () => 'metrics_bearer_token and metrics_basic_auth_username are both set: a listener takes a bearer token or basic auth, not both; leave one out.',
    ],
    ['a certificate without its key', () => ['--otlp-grpc-tls-cert-file', writeFile('lonely.pem', 'x')], () => 'otlp_grpc_tls_cert_file is set without otlp_grpc_tls_key_file; set both or neither.'],
    [
      'a certificate that is not PEM',
      () => ['--metrics-tls-cert-file', writeFile('bad-cert.pem', 'garbage\n'), '--metrics-tls-key-file', writeFile('bad-key.pem', 'garbage\n')],
      () => `metrics_tls_cert_file ${join(dir, 'bad-cert.pem')} is not a PEM certificate: error:0480006C:PEM routines::no start line.`,
    ],
  ];
  for (const [what, args, line] of failures) {
    for (const check of [false, true]) {
      it(`${what}${check ? ' (with --check-config)' : ''}: exit 2 with one line`, async () => {
        const cli = runCli([...args(), ...(check ? ['--check-config'] : []), '--metrics-listen', '127.0.0.1:0', '--otlp-http-listen', '127.0.0.1:0', '--otlp-grpc-listen', '127.0.0.1:0']);
        assert.equal(await exitCode(cli), 2);
        assert.equal(cli.stdout, '');
        assert.equal(cli.stderr, `otel-prom-bridge: ${line()}\n`);
        assertNoSecret(cli.stderr);
      });
    }
  }

  describe('running with TLS and secrets from a file and a variable', { skip: skipUnlessOpenssl() }, () => {
    let cert: SelfSignedCert;
    before(() => {
      cert = makeSelfSignedCert();
    });
    after(() => cert?.remove());

    it('logs one JSON start line with https endpoints, TLS, auth kinds and the masked config, and serves with the secrets', async () => {
      const [metricsPort, httpPort, grpcPort] = await freePorts(3);
      const tokenFile = writeFile('metrics-token', 'file-T0KEN\n');
      const cli = runCli(
        [
          '--metrics-listen', `127.0.0.1:${metricsPort}`,
          '--otlp-http-listen', `127.0.0.1:${httpPort}`,
          '--otlp-grpc-listen', `127.0.0.1:${grpcPort}`,
          '--metrics-tls-cert-file', cert.certPath,
          '--metrics-tls-key-file', cert.keyPath,
          '--metrics-bearer-token-file', tokenFile,
          '--drain-period', '0s',
        ],
        {
          OTEL_PROM_BRIDGE_OTLP_GRPC_TLS_CERT_FILE: cert.certPath,
          OTEL_PROM_BRIDGE_OTLP_GRPC_TLS_KEY_FILE: cert.keyPath,
          OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_USERNAME: 'app',
          OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_PASSWORD: 'otlp-PASSW0RD',
        },
      );
      try {
        const started = await pollUntil('the start log line', () => findLogLine(cli.stderr, /listening$/) ?? (cli.child.exitCode !== null ? assert.fail(cli.stderr) : undefined), TIMEOUT_MS);
        assert.equal(started.level, 'info');
        assert.deepEqual(started.endpoints, {
          otlpHttp: { enabled: true, url: `http://127.0.0.1:${httpPort}/v1/metrics`, tls: false, auth: 'basic' },
          otlpGrpc: { enabled: true, url: `https://127.0.0.1:${grpcPort}`, tls: true, auth: 'basic' },
          metrics: { enabled: true, url: `https://127.0.0.1:${metricsPort}/metrics`, tls: true, auth: 'bearer' },
        });
        const config = started.config as Record<string, unknown>;
        assert.equal(config.otlp_basic_auth_password, '***');
        assert.equal(config.otlp_basic_auth_username, 'app');
        assert.equal(config.metrics_bearer_token_file, tokenFile);
        assert.equal(config.metrics_tls_cert_file, cert.certPath);
        assert.equal(config.otlp_grpc_tls_key_file, cert.keyPath);

        // The token file's trailing newline is not part of the token.
        const url = `https://127.0.0.1:${metricsPort}/metrics`;
        assert.equal((await httpsGet(url, cert.cert, { authorization: 'Bearer file-T0KEN' })).status, 200);
        assert.equal((await httpsGet(url, cert.cert, { authorization: 'Bearer another-token' })).status, 401);
        const basic = Buffer.from('app:otlp-PASSW0RD').toString('base64');
        const pushed = await fetch(`http://127.0.0.1:${httpPort}/v1/metrics`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` },
          body: '{}',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        assert.equal(pushed.status, 200, await pushed.text());
      } finally {
        cli.child.kill('SIGTERM');
        assert.equal(await exitCode(cli), 0);
      }
      assert.equal(cli.stdout, '');
      const lines = parseLogLines(cli.stderr);
      assert.deepEqual(lines.map((line) => line.msg.replace(/:.*/, '')), [`otel-prom-bridge ${VERSION} listening`, 'SIGTERM received, stopping', 'stopped']);
      assertNoSecret(cli.stderr);
    });
  });
});
