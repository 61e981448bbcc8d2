/**
 * An OTLP/HTTP upload held in flight on a raw socket, for the overload and drain tests, and a
 * bounded wait.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { TIMEOUT_MS } from './sidecarHarness.ts';

const JSON_TYPE = 'application/json';

/** Rejects after the test timeout; the timer is cleared when `promise` settles first. */
export function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface HeldUpload {
  /** Sends the rest of the body; resolves with the answer's status and body once the server closes. */
  finish(): Promise<{ status: number; body: string }>;
  readonly socket: Socket;
}

/**
 * A JSON upload held open on a raw socket: the headers with `Expect: 100-continue`, then, once the
 * server has read them and said `100 Continue` (the receiver's onRequest hook has run by then, in
 * this same process), the first 10 bytes of the body. The rest waits for `finish()`.
 */
export async function holdUpload(url: string, body: string): Promise<HeldUpload> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  await bounded(once(socket, 'connect'), 'the connection');
  const bytes = Buffer.from(body, 'utf8');
  socket.write(
    `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${bytes.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
  );
  const continued = bounded(
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) resolve();
        else if (received.length > 0 && !'HTTP/1.1 100 Continue\r\n\r\n'.startsWith(received)) reject(new Error(`expected 100 Continue, got ${JSON.stringify(received)}`));
        else socket.once('data', check);
      };
      check();
    }),
    '100 Continue',
  );
  await continued.catch((error: unknown) => {
    socket.destroy();
    throw error;
  });
  socket.write(bytes.subarray(0, 10));
  return {
    socket,
    async finish() {
      socket.end(bytes.subarray(10));
      await bounded(closed, 'the answer to a held upload');
      const answer = received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
      return { status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) };
    },
  };
}
