/**
 * Remote write from the command line: `--remote-write-url` with every default, the interval far
 * away, so that only the drain on SIGTERM sends: what was pushed reaches the endpoint before the
 * process exits 0.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';
import { startCliSidecar, type CliSidecar } from '../helpers/cliChild.ts';
import { protobufRequest } from '../helpers/otlpRequests.ts';

const PROTO = fileURLToPath(new URL('../../proto/', import.meta.url));
const v1 = protobuf.loadSync(`${PROTO}prometheus/remote.proto`).lookupType('prometheus.WriteRequest');

describe('otel-prom-bridge --remote-write-url', { timeout: 60_000 }, () => {
  const received: { labels: Record<string, string>; value: number }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const decoded = v1.toObject(v1.decode(uncompressSync(Buffer.concat(chunks)) as Buffer), { longs: Number, arrays: true }) as { timeseries: { labels: { name: string; value: string }[]; samples: { value: number }[] }[] };
      for (const series of decoded.timeseries) {
        received.push({ labels: Object.fromEntries(series.labels.map((l) => [l.name, l.value])), value: series.samples[0]?.value ?? Number.NaN });
      }
      response.writeHead(204).end();
    });
  });
  let sidecar: CliSidecar | undefined;
  after(() => {
    sidecar?.kill();
    server.close();
  });

  it('sends what was pushed to the endpoint while it drains on SIGTERM, then exits 0', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`;
    sidecar = await startCliSidecar(['--remote-write-url', url, '--remote-write-interval', '1h', '--drain-period', '2s', '--external-labels', 'cluster=eu-1']);
    const pushed = await fetch(sidecar.otlpHttpUrl, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: protobufRequest('checkout', [{ name: 'orders', value: 7 }]) });
    assert.equal(pushed.status, 200);
    assert.equal(received.length, 0, 'nothing before the interval');
    sidecar.child.kill('SIGTERM');
    const exit = await sidecar.exited;
    assert.equal(exit.code, 0, sidecar.stderrTail());
    const orders = received.find((sample) => sample.labels.__name__ === 'orders_total');
    assert.deepEqual(orders, { labels: { __name__: 'orders_total', cluster: 'eu-1', job: 'checkout', otel_scope_name: 'receiver-test' }, value: 7 });
  });
});
