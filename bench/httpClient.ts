import { Agent, request } from 'node:http';

/** What a request got back: the status and the body's bytes as sent (compressed if it was). */
export interface HttpResult {
  readonly status: number;
  /** The body, or (with `keepBody: false` and a 200) nothing. */
  readonly body: Buffer;
  /** The body's length, kept or not. */
  readonly bytes: number;
  readonly contentEncoding: string | undefined;
}

/** One keep-alive connection pool per benchmark, as a scraper or an OTLP exporter holds. */
export function createAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * Sends a request and reads the whole answer, as raw bytes (no decompression: a scraper's time to
 * the last byte). `keepBody: false` only counts a 200's bytes: a scraper runs in a process of its
 * own, and joining a body of hundreds of MiB here would hold the event loop the server shares.
 */
export function send(
  url: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array; agent: Agent; keepBody?: boolean },
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers, agent: options.agent }, (res) => {
      const keep = options.keepBody !== false || res.statusCode !== 200;
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on('end', () => {
        const encoding = res.headers['content-encoding'];
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), bytes, contentEncoding: encoding });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GETs a metrics URL; throws unless the answer is a 200. Counts the body's bytes; `keepBody` keeps them too. */
export async function scrape(url: string, agent: Agent, gzip: boolean, keepBody = false): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'text/plain;version=0.0.4' };
  if (gzip) headers['accept-encoding'] = 'gzip';
  const result = await send(url, { method: 'GET', headers, agent, keepBody });
  if (result.status !== 200) throw new Error(`GET ${url} answered ${result.status}: ${result.body.toString('utf8', 0, 200)}`);
  return result;
}
