import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constantTimeEqual } from '../../../src/net/auth/constantTimeEqual.ts';
import { authChallenge, checkAuthorization, type AuthProblem, type ListenerAuth } from '../../../src/net/auth/listenerAuth.ts';

const BEARER: ListenerAuth = { kind: 'bearer', token: 's3cret-token' };
const BASIC: ListenerAuth = { kind: 'basic', username: 'prometheus', password: 'pa:ss wörd' };

function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

describe('checkAuthorization', () => {
  const cases: [auth: ListenerAuth, header: string | undefined, problem: AuthProblem | undefined][] = [
    [BEARER, 'Bearer s3cret-token', undefined],
    [BEARER, 'bearer s3cret-token', undefined],
    [BEARER, '  Bearer   s3cret-token  ', undefined],
    [BEARER, undefined, 'missing_credentials'],
    [BEARER, '', 'missing_credentials'],
    [BEARER, 'Bearer s3cret-tokeN', 'wrong_credentials'],
    [BEARER, 'Bearer s3cret-token-and-more', 'wrong_credentials'],
    [BEARER, 'Bearer s3cret', 'wrong_credentials'],
    [BEARER, 'Bearer', 'wrong_scheme'],
    [BEARER, 's3cret-token', 'wrong_scheme'],
    [BEARER, 'Token s3cret-token', 'wrong_scheme'],
    [BEARER, basic('prometheus:s3cret-token'), 'wrong_scheme'],
    [BASIC, basic('prometheus:pa:ss wörd'), undefined],
    [BASIC, basic('prometheus:pa:ss word'), 'wrong_credentials'],
    [BASIC, basic('Prometheus:pa:ss wörd'), 'wrong_credentials'],
    [BASIC, basic('prometheus'), 'wrong_credentials'],
    [BASIC, 'Basic !!!not-base64', 'wrong_credentials'],
    [BASIC, 'Bearer s3cret-token', 'wrong_scheme'],
    [BASIC, undefined, 'missing_credentials'],
  ];
  for (const [auth, header, problem] of cases) {
    it(`${auth.kind}: ${JSON.stringify(header)} → ${problem ?? 'accepted'}`, () => {
      const refusal = checkAuthorization(auth, header);
      assert.equal(refusal?.problem, problem);
      if (refusal !== undefined) {
        // The client learns what is wrong, never what it sent or what was expected.
        for (const secret of ['s3cret', 'pa:ss', 'prometheus']) assert.ok(!refusal.message.includes(secret), refusal.message);
      }
    });
  }

  it('messages name the problem in words', () => {
    assert.equal(checkAuthorization(BEARER, undefined)?.message, 'missing credentials: send an Authorization: Bearer header');
    assert.equal(checkAuthorization(BASIC, 'Bearer x')?.message, 'the Authorization header is not of the Basic scheme this endpoint asks for');
    assert.equal(checkAuthorization(BEARER, 'Bearer x')?.message, 'wrong credentials: the bearer token is not the one configured');
    assert.equal(checkAuthorization(BASIC, basic('a:b'))?.message, 'wrong credentials: the username or password is not the one configured');
  });
});

describe('authChallenge', () => {
  it('Bearer and Basic (with charset, RFC 7617) in the otel-prom-bridge realm', () => {
    assert.equal(authChallenge(BEARER), 'Bearer realm="otel-prom-bridge"');
    assert.equal(authChallenge(BASIC), 'Basic realm="otel-prom-bridge", charset="UTF-8"');
  });
});

describe('constantTimeEqual', () => {
  const cases: [a: string, b: string, equal: boolean][] = [
    ['', '', true],
    ['token', 'token', true],
    ['token', 'tokem', false],
    ['token', 'token-longer', false],
    ['wörd', 'word', false],
  ];
  for (const [a, b, equal] of cases) it(`${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${equal}`, () => assert.equal(constantTimeEqual(a, b), equal));
});
