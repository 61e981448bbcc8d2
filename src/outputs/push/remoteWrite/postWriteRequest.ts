import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { VERSION } from '../../../version.ts';
import type { RemoteWriteEndpoint, RemoteWriteMessage } from './remoteWriteEndpoint.ts';

/** What the receiver answered, or why there is no answer. */
export type PostOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string }
  | { readonly kind: 'failed'; readonly error: string };

/** The headers the remote-write specifications require, per message. */
export function protocolHeaders(message: RemoteWriteMessage): Record<string, string> {
  return message === 'prometheus.WriteRequest'
    ? { 'Content-Type': 'application/x-protobuf', 'X-Prometheus-Remote-Write-Version': '0.1.0' }
    : { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request', 'X-Prometheus-Remote-Write-Version': '2.0.0' };
}

/** Headers a user may not set: the protocol's own (Prometheus refuses them in `headers` too). */
export const RESERVED_HEADERS = ['content-encoding', 'content-type', 'content-length', 'x-prometheus-remote-write-version', 'user-agent', 'host', 'authorization'];

/** The most of a refusal's body kept for the log. */
const MAX_BODY_CHARS = 512;

/**
 * POSTs snappy-compressed write requests to one endpoint over one keep-alive agent (HTTP or HTTPS
 * with the endpoint's TLS settings), each within the endpoint's `remote_timeout`.
 */
export class WriteRequestPoster {
  readonly #endpoint: RemoteWriteEndpoint;
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #https: boolean;

  constructor(endpoint: RemoteWriteEndpoint) {
    this.#endpoint = endpoint;
    this.#https = endpoint.url.protocol === 'https:';
    const { tls } = endpoint;
    this.#agent = this.#https
      ? new HttpsAgent({
          keepAlive: true,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
          ...(tls.serverName === undefined ? {} : { servername: tls.serverName }),
          rejectUnauthorized: !tls.insecureSkipVerify,
        })
      : new HttpAgent({ keepAlive: true });
  }

  post(body: Uint8Array, message: RemoteWriteMessage): Promise<PostOutcome> {
    const endpoint = this.#endpoint;
    const headers: Record<string, string | number> = {
      ...endpoint.headers,
      ...protocolHeaders(message),
      'Content-Encoding': 'snappy',
      'Content-Length': body.length,
      'User-Agent': `otel-prom-bridge/${VERSION}`,
    };
    if (endpoint.authorization !== undefined) headers.Authorization = endpoint.authorization;
    const send = this.#https ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: PostOutcome): void => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      const request = send(endpoint.url, { method: 'POST', agent: this.#agent, headers, timeout: endpoint.remoteTimeoutMs }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_BODY_CHARS) text += chunk;
        });
        response.on('end', () => settle({ kind: 'answered', status: response.statusCode ?? 0, headers: response.headers, body: text.slice(0, MAX_BODY_CHARS).trim() }));
        response.on('error', (error) => settle({ kind: 'failed', error: error.message }));
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within remote_timeout (${endpoint.remoteTimeoutMs} ms)`)));
      request.on('error', (error) => settle({ kind: 'failed', error: error.message }));
      request.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
