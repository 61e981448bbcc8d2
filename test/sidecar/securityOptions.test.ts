/** The embedded Sidecar's `auth` and `tls` options: wrong ones throw at construction, never showing the secret. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListenerAuth } from '../../src/net/auth/listenerAuth.ts';
import { Sidecar } from '../../src/sidecar/Sidecar.ts';

describe('Sidecar auth and tls options', () => {
  const wrongAuth: [what: string, auth: unknown][] = [
    ['an empty token', { kind: 'bearer', token: '' }],
    ['a token that is not text', { kind: 'bearer', token: 42 }],
    ['a username with a colon', { kind: 'basic', username: 'a:b', password: 'Secr3t-value' }],
    ['no password', { kind: 'basic', username: 'a', password: '' }],
    ['an unknown kind', { kind: 'digest', token: 'Secr3t-value' }],
  ];
  for (const [what, auth] of wrongAuth) {
    it(`${what} throws, naming the option and not the secret`, () => {
      assert.throws(
        () => new Sidecar({ otlpGrpc: { auth: auth as ListenerAuth } }),
        (error: Error) => error instanceof TypeError && error.message.startsWith('Sidecar option otlpGrpc.auth must be ') && !error.message.includes('Secr3t'),
      );
    });
  }

  it('a tls option without a key throws naming it', () => {
    assert.throws(() => new Sidecar({ metrics: { tls: { cert: 'PEM', key: '' } } }), { name: 'TypeError', message: 'Sidecar option metrics.tls must be { cert, key }, both PEM text; leave it out for no TLS.' });
  });

  it('good options construct', () => {
    const sidecar = new Sidecar({
      metrics: { auth: { kind: 'basic', username: 'prometheus', password: 'pw' } },
      otlpHttp: { auth: { kind: 'bearer', token: 't' } },
    });
    assert.equal(sidecar.isReady(), false);
  });
});
