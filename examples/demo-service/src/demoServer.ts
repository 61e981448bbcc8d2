/**
 * A small shop API on node:http, with latencies and failures like a real one's:
 *
 * | route | typical latency | answers |
 * | --- | --- | --- |
 * | `GET /api/products` | 30 ms | 200 |
 * | `GET /api/products/{id}` | 12 ms | 200; 404 for an unknown id |
 * | `POST /api/cart` | 45 ms | 201; 400 for a body that is not `{"productId": n, "quantity": n}` |
 * | `POST /api/checkout` | 180 ms, 2 % ten times slower | 200; 503 about 4 % (payment provider unavailable), 500 about 1 % |
 * | `GET /healthz` | — | 200 |
 * | anything else | — | 404, with no `http.route` |
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpServerMetrics } from './httpServerMetrics.ts';
import { simulateWork } from './latency.ts';

export const PRODUCT_COUNT = 100;
const MAX_BODY_BYTES = 64 * 1024;

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

interface Route {
  readonly method: string;
  /** The route template, as `http.route`. */
  readonly route: string;
  readonly pattern: RegExp;
  handle(match: RegExpExecArray, request: IncomingMessage): Promise<Reply>;
}

const PRODUCTS = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
  id: i + 1,
  name: `Product ${i + 1}`,
  priceCents: 199 + ((i * 7919) % 9800),
}));

const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    route: '/api/products',
    pattern: /^\/api\/products$/,
    async handle() {
      await simulateWork(30);
      return { status: 200, body: PRODUCTS.slice(0, 20) };
    },
  },
  {
    method: 'GET',
    route: '/api/products/{id}',
    pattern: /^\/api\/products\/(\d+)$/,
    async handle(match) {
      await simulateWork(12);
      const product = PRODUCTS[Number(match[1]) - 1];
      return product === undefined ? { status: 404, body: { error: 'no such product' } } : { status: 200, body: product };
    },
  },
  {
    method: 'POST',
    route: '/api/cart',
    pattern: /^\/api\/cart$/,
    async handle(_match, request) {
      const body = await readJson(request);
      await simulateWork(45);
      const valid = isRecord(body) && Number.isInteger(body.productId) && Number.isInteger(body.quantity) && (body.quantity as number) > 0;
      return valid ? { status: 201, body: { added: body } } : { status: 400, body: { error: 'expected {"productId": n, "quantity": n > 0}' } };
    },
  },
  {
    method: 'POST',
    route: '/api/checkout',
    pattern: /^\/api\/checkout$/,
    async handle(_match, request) {
      await readJson(request);
      await simulateWork(180, 0.02);
      const roll = Math.random();
      if (roll < 0.04) return { status: 503, body: { error: 'payment provider unavailable' } };
      if (roll < 0.05) return { status: 500, body: { error: 'internal error' } };
      return { status: 200, body: { orderId: Math.floor(Math.random() * 1e9) } };
    },
  },
  {
    method: 'GET',
    route: '/healthz',
    pattern: /^\/healthz$/,
    handle: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
  },
];

/** The server, not listening; every request is measured with `metrics`. */
export function buildDemoServer(metrics: HttpServerMetrics): Server {
  return createServer((request, response) => {
    const setRoute = metrics.track(request, response);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      setRoute(route.route);
      if (request.method !== route.method) {
        send(response, { status: 405, body: { error: `use ${route.method}` } });
        return;
      }
      route.handle(match, request).then(
        (reply) => send(response, reply),
        () => send(response, { status: 500, body: { error: 'internal error' } }),
      );
      return;
    }
    request.resume();
    send(response, { status: 404, body: { error: 'not found' } });
  });
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return;
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** The request's JSON body, or undefined when it is not JSON; bodies over 64 KiB are cut off. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) break;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
