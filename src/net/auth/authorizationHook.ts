import type { onRequestAsyncHookHandler } from 'fastify';
import { authChallenge, checkAuthorization, type AuthRefusal, type ListenerAuth } from './listenerAuth.ts';

export interface AuthorizationHookOptions {
  readonly auth: ListenerAuth;
  /** Paths answered without credentials (exact, without the query): the probes. */
  readonly openPaths: readonly string[];
  /** Called once per refused request (to count and log it). */
  readonly onRefused?: (refusal: AuthRefusal, request: { method: string; url: string }) => void;
}

/**
 * A fastify `onRequest` hook that answers 401 with a `WWW-Authenticate` challenge and a plain-text
 * message, unless the request carries the credentials or asks for an open path. Every other path
 * (routes added later by anyone, and 404s) is behind it.
 */
export function buildAuthorizationHook({ auth, openPaths, onRefused }: AuthorizationHookOptions): onRequestAsyncHookHandler {
  const open = new Set(openPaths);
  const challenge = authChallenge(auth);
  return async (request, reply) => {
    if (open.has(request.url.split('?', 1)[0]!)) return undefined;
    const refusal = checkAuthorization(auth, request.headers.authorization);
    if (refusal === undefined) return undefined;
    onRefused?.(refusal, { method: request.method, url: request.url });
    return reply.code(401).header('www-authenticate', challenge).type('text/plain; charset=utf-8').send(`Unauthorized: ${refusal.message}.\n`);
  };
}
