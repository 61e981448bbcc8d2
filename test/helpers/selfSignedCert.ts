/**
 * A self-signed certificate for localhost and 127.0.0.1 (EC P-256, two days), made with the
 * `openssl` binary into a fresh temp dir. Without openssl the TLS tests are skipped, except under
 * CI, where they run and fail saying what is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCi } from './prometheus.ts';

const OPENSSL = '/usr/bin/openssl';

export interface SelfSignedCert {
  readonly dir: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM text. */
  readonly cert: string;
  readonly key: string;
  /** Removes the temp dir. */
  remove(): void;
}

/** For node:test's `skip`: a message when openssl is missing and CI is not set; false otherwise. */
export function skipUnlessOpenssl(): string | false {
  return existsSync(OPENSSL) || isCi() ? false : `${OPENSSL} not found: the TLS tests need it to make a certificate (with CI set they fail instead of being skipped)`;
}

export function makeSelfSignedCert(): SelfSignedCert {
  if (!existsSync(OPENSSL)) throw new Error(`${OPENSSL} not found: the TLS tests need it to make a self-signed certificate${isCi() ? '; CI is set, so this fails instead of skipping' : ''}.`);
  const dir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    OPENSSL,
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '2', '-keyout', keyPath, '-out', certPath],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
  );
  return {
    dir,
    certPath,
    keyPath,
    cert: readFileSync(certPath, 'utf8'),
    key: readFileSync(keyPath, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
