import { Agent, request } from 'node:http';

/** What a request got back: the status and the body's bytes as sent (compressed if it was). */
export interface HttpResult {
  readonly status: number;
  readonly body: Buffer;
  readonly contentEncoding: string | undefined;
}

/** One keep-alive connection pool per benchmark, as a scraper or an OTLP exporter holds. */
export function createAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** Sends a request and reads the whole answer, as raw bytes (no decompression: a scraper's time to the last byte). */
export function send(url: string, options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array; agent: Agent }): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const encoding = res.headers['content-encoding'];
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), contentEncoding: encoding });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GETs a metrics URL; throws unless the answer is a 200. */
export async function scrape(url: string, agent: Agent, gzip: boolean): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'text/plain;version=0.0.4' };
  if (gzip) headers['accept-encoding'] = 'gzip';
  const result = await send(url, { method: 'GET', headers, agent });
  if (result.status !== 200) throw new Error(`GET ${url} answered ${result.status}: ${result.body.toString('utf8', 0, 200)}`);
  return result;
}
