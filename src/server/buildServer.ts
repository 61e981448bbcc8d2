import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { VERSION } from '../version.ts';
import { renderLandingPage } from './landingPage.ts';
import { metricsPlugin, normalizePath } from './metricsPlugin.ts';
import type { MetricsSource } from './metricsSource.ts';

export interface ServerOptions {
  readonly source: MetricsSource;
  /** Metrics path. Default `/metrics`. */
  readonly endpoint?: string;
  /** Passed to fastify (logger and the like). */
  readonly fastify?: FastifyServerOptions;
}

/**
 * The exporter's HTTP app: the metrics path, `/-/healthy`, `/-/ready`, a landing page at `/`,
 * 404 elsewhere. It does not listen; the caller does.
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const endpoint = normalizePath(options.endpoint ?? '/metrics');
  const app = Fastify({ logger: false, ...options.fastify });
  app.register(metricsPlugin, { source: options.source, path: endpoint });
  app.get('/-/healthy', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('OK\n'));
  app.get('/-/ready', async (_request, reply) => {
    const ready = options.source.isReady();
    return reply.code(ready ? 200 : 503).type('text/plain; charset=utf-8').send(ready ? 'Ready\n' : 'Not ready\n');
  });
  if (endpoint !== '/') {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(renderLandingPage(endpoint, VERSION)));
  }
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send(`Not found: ${request.url}. Metrics are at ${endpoint}.\n`),
  );
  return app;
}
