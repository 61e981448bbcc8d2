/**
 * The auth and TLS settings become each listener's credentials and certificate; secret and PEM
 * files are read at start; every conflict or bad file is one line naming the settings, never the secret.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/configError.ts';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { toSidecarSettings } from '../../src/sidecar/toSidecarSettings.ts';
import type { SidecarSettings } from '../../src/sidecar/sidecarSettings.ts';
import { makeSelfSignedCert, skipUnlessOpenssl, type SelfSignedCert } from '../helpers/selfSignedCert.ts';

/** Files by path; reading another fails as the file system would. */
function files(entries: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = entries[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
}

function sidecarSettings(argv: string[], fileSystem: Record<string, string> = {}, env: Record<string, string> = {}): SidecarSettings {
  const command = loadConfig({ argv, env });
  assert.ok(command.kind === 'run');
  return toSidecarSettings(command.config.values, { readFile: files(fileSystem) });
}

function failure(argv: string[], fileSystem: Record<string, string> = {}, env: Record<string, string> = {}): string {
  try {
    sidecarSettings(argv, fileSystem, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.doesNotMatch(error.message, /\n/, 'one line');
    assert.doesNotMatch(error.message, /hunter2|t0ken/, 'no secret in the message');
    return error.message;
  }
  return assert.fail('expected a ConfigError');
}

describe('auth settings', () => {
  it('none: every listener open', () => {
    const config = sidecarSettings([]);
    assert.equal(config.auth.metrics, undefined);
    assert.equal(config.auth.otlpHttp, undefined);
    assert.equal(config.auth.otlpGrpc, undefined);
  });

  const cases: [what: string, argv: string[], fileSystem: Record<string, string>, env: Record<string, string>, metrics: unknown, otlp: unknown][] = [
    ['a metrics bearer token from the flag', ['--metrics-bearer-token', 't0ken'], {}, {}, { kind: 'bearer', token: 't0ken' }, undefined],
    ['a metrics bearer token from the variable', [], {}, { OTEL_PROM_BRIDGE_METRICS_BEARER_TOKEN: 't0ken' }, { kind: 'bearer', token: 't0ken' }, undefined],
    ['a bearer token file, its trailing newline left out', ['--metrics-bearer-token-file', '/s/token'], { '/s/token': 't0ken\n' }, {}, { kind: 'bearer', token: 't0ken' }, undefined],
    ['a file with CRLF newlines', ['--otlp-bearer-token-file', '/s/token'], { '/s/token': 't0ken\r\n\r\n' }, {}, undefined, { kind: 'bearer', token: 't0ken' }],
    ['spaces are part of the secret', ['--otlp-bearer-token-file', '/s/token'], { '/s/token': ' t0ken \n' }, {}, undefined, { kind: 'bearer', token: ' t0ken ' }],
    [
      'basic auth with the password from a file',
      ['--metrics-basic-auth-username', 'prometheus', '--metrics-basic-auth-password-file', '/s/password'],
      { '/s/password': 'hunter2\n' },
      {},
      { kind: 'basic', username: 'prometheus', password: 'hunter2' },
      undefined,
    ],
    [
      'basic auth for OTLP from variables',
      [],
      {},
      { OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_USERNAME: 'app', OTEL_PROM_BRIDGE_OTLP_BASIC_AUTH_PASSWORD: 'hunter2' },
      undefined,
      { kind: 'basic', username: 'app', password: 'hunter2' },
    ],
  ];
  for (const [what, argv, fileSystem, env, metrics, otlp] of cases) {
    it(what, () => {
      const config = sidecarSettings(argv, fileSystem, env);
      assert.deepEqual(config.auth.metrics, metrics);
      // One setting for both OTLP receivers.
      assert.deepEqual(config.auth.otlpHttp, otlp);
      assert.deepEqual(config.auth.otlpGrpc, otlp);
    });
  }

  const errors: [what: string, argv: string[], fileSystem: Record<string, string>, line: string][] = [
    ['a value and its file', ['--metrics-bearer-token', 't0ken', '--metrics-bearer-token-file', '/s/token'], { '/s/token': 'x' }, 'metrics_bearer_token and metrics_bearer_token_file are both set; set only one of them.'],
    [
      'a password and its file',
      ['--otlp-basic-auth-username', 'a', '--otlp-basic-auth-password', 'hunter2', '--otlp-basic-auth-password-file', '/s/p'],
      { '/s/p': 'x' },
      'otlp_basic_auth_password and otlp_basic_auth_password_file are both set; set only one of them.',
    ],
    [
      'bearer and basic on one listener',
      ['--metrics-bearer-token', 't0ken', '--metrics-basic-auth-username', 'a', '--metrics-basic-auth-password', 'hunter2'],
      {},
      'metrics_bearer_token and metrics_basic_auth_username are both set: a listener takes a bearer token or basic auth, not both; leave one out.',
    ],
    [
      'a bearer token file and a basic password',
      ['--otlp-bearer-token-file', '/s/token', '--otlp-basic-auth-password', 'hunter2'],
      { '/s/token': 't0ken' },
      'otlp_bearer_token_file and otlp_basic_auth_password are both set: a listener takes a bearer token or basic auth, not both; leave one out.',
    ],
    ['a username without a password', ['--metrics-basic-auth-username', 'a'], {}, 'metrics_basic_auth_username is set without metrics_basic_auth_password or metrics_basic_auth_password_file; set the password too.'],
    ['a password without a username', ['--otlp-basic-auth-password-file', '/s/p'], { '/s/p': 'hunter2' }, 'otlp_basic_auth_password_file is set without otlp_basic_auth_username; set the username too.'],
    ['a missing secret file', ['--metrics-bearer-token-file', '/s/none'], {}, "cannot read metrics_bearer_token_file /s/none: ENOENT: no such file or directory, open '/s/none'."],
    ['an empty secret file', ['--otlp-bearer-token-file', '/s/empty'], { '/s/empty': '' }, 'otlp_bearer_token_file /s/empty is empty; it must hold the secret.'],
    ['a secret file of newlines only', ['--otlp-bearer-token-file', '/s/empty'], { '/s/empty': '\n\n' }, 'otlp_bearer_token_file /s/empty is empty; it must hold the secret.'],
  ];
  for (const [what, argv, fileSystem, line] of errors) it(`${what} → ${JSON.stringify(line)}`, () => assert.equal(failure(argv, fileSystem), line));
});

describe('TLS settings', { skip: skipUnlessOpenssl() }, () => {
  let pair: SelfSignedCert;
  let other: SelfSignedCert;
  before(() => {
    pair = makeSelfSignedCert();
    other = makeSelfSignedCert();
  });
  after(() => {
    pair?.remove();
    other?.remove();
  });
  const fileSystem = () => ({ '/tls/cert.pem': pair.cert, '/tls/key.pem': pair.key, '/tls/other-key.pem': other.key, '/tls/garbage.pem': 'not PEM at all\n' });

  for (const listener of ['metrics', 'otlp-http', 'otlp-grpc'] as const) {
    const key = listener.replace('-', '_');
    const property = ({ metrics: 'metrics', 'otlp-http': 'otlpHttp', 'otlp-grpc': 'otlpGrpc' } as const)[listener];
    it(`--${listener}-tls-cert-file and --${listener}-tls-key-file give that listener the certificate and key, and only it`, () => {
      const config = sidecarSettings([`--${listener}-tls-cert-file`, '/tls/cert.pem', `--${listener}-tls-key-file`, '/tls/key.pem'], fileSystem());
      assert.deepEqual(config.tls[property], { cert: pair.cert, key: pair.key });
      for (const others of (['metrics', 'otlpHttp', 'otlpGrpc'] as const).filter((name) => name !== property)) assert.equal(config.tls[others], undefined);
    });
    it(`${key}: both or neither`, () => {
      assert.equal(failure([`--${listener}-tls-cert-file`, '/tls/cert.pem'], fileSystem()), `${key}_tls_cert_file is set without ${key}_tls_key_file; set both or neither.`);
      assert.equal(failure([`--${listener}-tls-key-file`, '/tls/key.pem'], fileSystem()), `${key}_tls_key_file is set without ${key}_tls_cert_file; set both or neither.`);
    });
  }

  it('an unreadable certificate names the setting', () =>
    assert.equal(
      failure(['--metrics-tls-cert-file', '/tls/none.pem', '--metrics-tls-key-file', '/tls/key.pem'], fileSystem()),
      "cannot read metrics_tls_cert_file /tls/none.pem: ENOENT: no such file or directory, open '/tls/none.pem'.",
    ));
  it('a certificate that is not PEM names the setting', () =>
    assert.match(failure(['--otlp-http-tls-cert-file', '/tls/garbage.pem', '--otlp-http-tls-key-file', '/tls/key.pem'], fileSystem()), /^otlp_http_tls_cert_file \/tls\/garbage\.pem is not a PEM certificate: .+\.$/));
  it('a key that is not PEM names the setting', () =>
    assert.match(failure(['--otlp-grpc-tls-cert-file', '/tls/cert.pem', '--otlp-grpc-tls-key-file', '/tls/garbage.pem'], fileSystem()), /^otlp_grpc_tls_key_file \/tls\/garbage\.pem is not a PEM private key: .+\.$/));
  it('a key swapped for the certificate names the setting', () =>
    assert.match(failure(['--metrics-tls-cert-file', '/tls/key.pem', '--metrics-tls-key-file', '/tls/cert.pem'], fileSystem()), /^metrics_tls_cert_file \/tls\/key\.pem is not a PEM certificate: /));
  it("another certificate's key names both", () =>
    assert.match(
      failure(['--metrics-tls-cert-file', '/tls/cert.pem', '--metrics-tls-key-file', '/tls/other-key.pem'], fileSystem()),
      /^metrics_tls_cert_file \/tls\/cert\.pem and metrics_tls_key_file \/tls\/other-key\.pem do not go together: .+\.$/,
    ));
});
