/**
 * The HTTP server metrics of the OpenTelemetry semantic conventions (stable HTTP conventions):
 * `http.server.request.duration` (histogram, seconds, the advised bucket boundaries) and
 * `http.server.active_requests` (up-down counter), recorded for every request a node:http server
 * answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Attributes, Meter } from '@opentelemetry/api';

/** The boundaries semantic conventions advise for `http.server.request.duration`. */
export const REQUEST_DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

export interface HttpServerMetrics {
  /**
   * Call when a request arrives; returns the function to call with its route template (undefined
   * when no route matched) once a handler is chosen. The duration is recorded when the response
   * closes, with the status code it was sent with.
   */
  track(request: IncomingMessage, response: ServerResponse): (route: string | undefined) => void;
}

export function createHttpServerMetrics(meter: Meter): HttpServerMetrics {
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: REQUEST_DURATION_BOUNDARIES },
  });
  const active = meter.createUpDownCounter('http.server.active_requests', {
    unit: '{request}',
    description: 'Number of active HTTP server requests.',
  });
  return {
    track(request, response) {
      const start = performance.now();
      const method = KNOWN_METHODS.has(request.method ?? '') ? (request.method as string) : '_OTHER';
      const common: Attributes = { 'http.request.method': method, 'url.scheme': 'http' };
      active.add(1, common);
      let route: string | undefined;
      response.once('close', () => {
        active.add(-1, common);
        const status = response.statusCode;
        const attributes: Attributes = { ...common, 'http.response.status_code': status };
        if (route !== undefined) attributes['http.route'] = route;
        // Semantic conventions: server errors carry error.type, the status code as a string.
        if (status >= 500) attributes['error.type'] = String(status);
        else if (!response.writableFinished) attributes['error.type'] = 'aborted';
        duration.record((performance.now() - start) / 1000, attributes);
      });
      return (matched) => {
        route = matched;
      };
    },
  };
}
