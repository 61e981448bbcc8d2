/**
 * A tiny HTTP proxy between an OTLP/HTTP exporter and the sidecar that loses answers: every
 * request is forwarded to the sidecar and applied there, but for the requests chosen the client
 * is answered 503 (`Retry-After: 0`) instead of the sidecar's answer, as a load balancer that
 * timed out would. The official exporters retry a 503 with the very same payload.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readExportAnswer, type ExportAnswer } from '../helpers/sendExport.ts';
import { TIMEOUT_MS } from './sidecarHarness.ts';

/** One request that went through the proxy. */
export interface ProxiedExport {
  readonly body: Buffer;
  /** What the sidecar answered (whatever the client was told). */
  readonly sidecarAnswer: ExportAnswer;
  /** The client was answered 503 instead. */
  readonly answerLost: boolean;
}

export interface LostAnswerProxy {
  /** The OTLP/HTTP URL for the exporter. */
  readonly url: string;
  /** Every request forwarded so far, in the order the sidecar answered them. */
  readonly exports: readonly ProxiedExport[];
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (a port the OS picks) and forwards to `target`; `loseAnswer(n)` says
 * whether the answer to the n-th request the sidecar answers (from 0) is lost.
 */
export async function startLostAnswerProxy(target: string, loseAnswer: (n: number) => boolean): Promise<LostAnswerProxy> {
  const exports: ProxiedExport[] = [];
  const server: Server = createServer((request, response) => {
    void forward(request).then(
      ({ body, status, contentType, answer }) => {
        const answerLost = loseAnswer(exports.length);
        const encoding = contentType.includes('json') ? 'json' : 'protobuf';
        exports.push({ body, sidecarAnswer: readExportAnswer(status, encoding, answer), answerLost });
        if (answerLost) response.writeHead(503, { 'retry-after': '0', 'content-type': 'text/plain' }).end('answer lost by the test proxy');
        else response.writeHead(status, { 'content-type': contentType }).end(answer);
      },
      (error: unknown) => response.writeHead(502, { 'content-type': 'text/plain' }).end(`the test proxy could not forward: ${String(error)}`),
    );
  });

  async function forward(request: IncomingMessage): Promise<{ body: Buffer; status: number; contentType: string; answer: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-encoding']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const sidecar = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const answer = Buffer.from(await sidecar.arrayBuffer());
    return { body, status: sidecar.status, contentType: sidecar.headers.get('content-type') ?? '', answer };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${new URL(target).pathname}`,
    exports,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
