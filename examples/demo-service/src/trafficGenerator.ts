/**
 * Traffic the demo service sends itself: a weighted mix of browsing, carts and checkouts (with a
 * few bad requests and unknown paths), at about `rps` requests per second from `concurrency` loops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PRODUCT_COUNT } from './demoServer.ts';

interface Call {
  readonly weight: number;
  request(): { path: string; init?: RequestInit };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

const CALLS: readonly Call[] = [
  { weight: 30, request: () => ({ path: '/api/products' }) },
  // About one id in eleven is unknown: a 404.
  { weight: 35, request: () => ({ path: `/api/products/${randomInt(1, PRODUCT_COUNT + 10)}` }) },
  {
    weight: 15,
    request: () => ({ path: '/api/cart', init: json(Math.random() < 0.05 ? { productId: 'many' } : { productId: randomInt(1, PRODUCT_COUNT), quantity: randomInt(1, 3) }) }),
  },
  { weight: 10, request: () => ({ path: '/api/checkout', init: json({ cart: randomInt(1, 1e6) }) }) },
  { weight: 8, request: () => ({ path: '/healthz' }) },
  { weight: 2, request: () => ({ path: '/favicon.ico' }) },
];
const TOTAL_WEIGHT = CALLS.reduce((sum, call) => sum + call.weight, 0);

function pickCall(): Call {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const call of CALLS) {
    roll -= call.weight;
    if (roll < 0) return call;
  }
  return CALLS[0]!;
}

export interface TrafficOptions {
  /** e.g. `http://127.0.0.1:8080` */
  readonly baseUrl: string;
  readonly rps: number;
  readonly concurrency: number;
  /** Called with each failure to reach the service (not with 4xx/5xx answers). */
  readonly onError?: (error: unknown) => void;
}

/** Starts the loops; the returned function stops them and resolves once they are done. */
export function startTraffic(options: TrafficOptions): () => Promise<void> {
  if (options.rps <= 0) return () => Promise.resolve();
  const controller = new AbortController();
  const { signal } = controller;
  // Each loop sends one request every `periodMs` on average.
  const periodMs = (1000 * options.concurrency) / options.rps;

  async function loop(): Promise<void> {
    while (!signal.aborted) {
      const started = Date.now();
      const { path, init } = pickCall().request();
      try {
        const response = await fetch(new URL(path, options.baseUrl), { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]) });
        await response.arrayBuffer();
      } catch (error) {
        if (!signal.aborted) options.onError?.(error);
      }
      const wait = Math.max(0, periodMs * (0.5 + Math.random()) - (Date.now() - started));
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
  }

  const loops = Array.from({ length: options.concurrency }, () => loop());
  return async () => {
    controller.abort();
    await Promise.all(loops);
  };
}
