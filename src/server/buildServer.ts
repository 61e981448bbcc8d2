import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { VERSION } from '../version.ts';
import { renderLandingPage } from './landingPage.ts';
import { metricsPlugin, normalizePath } from './metricsPlugin.ts';
import type { MetricsSource } from './metricsSource.ts';
import type { TlsCredentials } from '../net/tls/tlsCredentials.ts';
import { renderStatusPage, STATUS_JSON_PATH, STATUS_PAGE_CSP } from './statusPage.ts';
import type { StatusSummary } from './statusSummary.ts';

/** A connection on which nothing moved, either way, for this long is closed (fastify's `connectionTimeout`; `fastify` may override it). */
export const IDLE_CONNECTION_TIMEOUT_MS = 120_000;

export interface ServerOptions {
  readonly source: MetricsSource;
  /** Metrics path. Default `/metrics`. */
  readonly endpoint?: string;
  /** Passed to fastify (logger and the like). */
  readonly fastify?: FastifyServerOptions;
  /** Serve HTTPS with this certificate and key (PEM). @default plain HTTP */
  readonly tls?: TlsCredentials;
  /**
   * Gives the summary that `/` then shows as a status page instead of the landing page, and
   * `/api/v1/status` as JSON (the sidecar's). Called on each request. @default none
   */
  readonly statusPage?: () => StatusSummary;
}

/**
 * The exporter's HTTP app: the metrics path, `/-/healthy`, `/-/ready`, a landing page at `/`
 * (with `statusPage`, a status page there and its JSON at `/api/v1/status`), 404 elsewhere.
 * It does not listen; the caller does.
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const endpoint = normalizePath(options.endpoint ?? '/metrics');
  // fastify's types tie `https` to the server type; the app's routes and hooks are the same either way.
  const https = options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } };
  // A scraper that stops reading (or sending) is dropped after two minutes without progress: otherwise each
  // one held a rendered exposition in memory for as long as it kept its connection open.
  const app = Fastify({ logger: false, connectionTimeout: IDLE_CONNECTION_TIMEOUT_MS, ...options.fastify, ...https } as FastifyServerOptions);
  app.register(metricsPlugin, { source: options.source, path: endpoint });
  app.get('/-/healthy', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('OK\n'));
  app.get('/-/ready', async (_request, reply) => {
    const ready = options.source.isReady();
    return reply.code(ready ? 200 : 503).type('text/plain; charset=utf-8').send(ready ? 'Ready\n' : 'Not ready\n');
  });
  const statusPage = options.statusPage;
  if (endpoint !== '/') {
    app.get('/', async (_request, reply) => {
      if (statusPage === undefined) return reply.type('text/html; charset=utf-8').send(renderLandingPage(endpoint, VERSION));
      return reply
        .headers({ 'cache-control': 'no-store', 'content-security-policy': STATUS_PAGE_CSP, 'x-content-type-options': 'nosniff' })
        .type('text/html; charset=utf-8')
        .send(renderStatusPage(statusPage()));
    });
  }
  if (statusPage !== undefined && endpoint !== STATUS_JSON_PATH) {
    app.get(STATUS_JSON_PATH, async (_request, reply) => reply.headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).send(statusPage()));
  }
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send(`Not found: ${request.url}. Metrics are at ${endpoint}.\n`),
  );
  return app;
}
