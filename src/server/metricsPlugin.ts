import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { buildMetricsResponse } from './metricsResponse.ts';
import type { MetricsSource } from './metricsSource.ts';

export interface MetricsPluginOptions {
  /** The exporter or reader whose metrics to serve. */
  readonly source: MetricsSource;
  /** Route path. Default `/metrics`. */
  readonly path?: string;
}

/**
 * A fastify plugin that adds the metrics route to an existing app:
 * `app.register(metricsPlugin, { source: exporter })`.
 */
export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app: FastifyInstance, options) => {
  if (options.source === undefined || typeof options.source.render !== 'function') {
    throw new TypeError('metricsPlugin needs a `source` option: the PrometheusExporter or PeriodicPrometheusReader to serve.');
  }
  const path = normalizePath(options.path ?? '/metrics');
  app.get(path, async (request, reply) => {
    const response = await buildMetricsResponse(options.source, request.headers.accept, request.headers['accept-encoding']);
    return reply.code(response.statusCode).headers(response.headers).send(response.body);
  });
};

// Lets the route be registered on the user's app itself, not in an encapsulated child context.
Object.assign(metricsPlugin, { [Symbol.for('skip-override')]: true });

export function normalizePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
