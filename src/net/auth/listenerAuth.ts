/**
 * The credentials a listener asks for, and checking an `Authorization` header against them (RFC
 * 6750 bearer tokens, RFC 7617 basic auth). Refusals name the problem without echoing what was sent.
 */
import { constantTimeEqual } from './constantTimeEqual.ts';

export type ListenerAuth =
  | { readonly kind: 'bearer'; readonly token: string }
  /** The username has no colon (RFC 7617 splits user and password at the first one). */
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export type AuthKind = ListenerAuth['kind'];

/** Why a request was refused, for the debug log. */
export type AuthProblem = 'missing_credentials' | 'wrong_scheme' | 'wrong_credentials';

export interface AuthRefusal {
  readonly problem: AuthProblem;
  /** A plain sentence for the client; never contains what the client sent. */
  readonly message: string;
}

/** The realm of every challenge. */
export const AUTH_REALM = 'otel-prom-bridge';

const SCHEME: Record<AuthKind, string> = { bearer: 'Bearer', basic: 'Basic' };

/** The `WWW-Authenticate` value that goes with a 401 (the gRPC answer has no equivalent). */
export function authChallenge(auth: ListenerAuth): string {
  return auth.kind === 'bearer' ? `Bearer realm="${AUTH_REALM}"` : `Basic realm="${AUTH_REALM}", charset="UTF-8"`;
}

/** Undefined when `header` (an `Authorization` value) carries the right credentials; otherwise why not. */
export function checkAuthorization(auth: ListenerAuth, header: string | undefined): AuthRefusal | undefined {
  const scheme = SCHEME[auth.kind];
  if (header === undefined || header.trim() === '') {
    return { problem: 'missing_credentials', message: `missing credentials: send an Authorization: ${scheme} header` };
  }
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (match === null || match[1]!.toLowerCase() !== scheme.toLowerCase()) {
    return { problem: 'wrong_scheme', message: `the Authorization header is not of the ${scheme} scheme this endpoint asks for` };
  }
  const credentials = match[2]!;
  if (auth.kind === 'bearer') {
    return constantTimeEqual(credentials, auth.token) ? undefined : { problem: 'wrong_credentials', message: 'wrong credentials: the bearer token is not the one configured' };
  }
  // Compared whole, so that a right username with a wrong password takes as long as anything else.
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  return constantTimeEqual(decoded, `${auth.username}:${auth.password}`)
    ? undefined
    : { problem: 'wrong_credentials', message: 'wrong credentials: the username or password is not the one configured' };
}
