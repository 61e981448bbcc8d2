/**
 * A remote-write receiver for the load run: it decodes every request (snappy, then
 * `prometheus.WriteRequest` from the official `.proto`) and keeps each series' newest sample, so
 * that the run can check what arrived against what the clients were told was accepted.
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';

const PROTO = fileURLToPath(new URL('../../proto/prometheus/remote.proto', import.meta.url));
const WriteRequest = protobuf.loadSync(PROTO).lookupType('prometheus.WriteRequest');

interface DecodedRequest {
  readonly timeseries: { readonly labels: { name: string; value: string }[]; readonly samples?: { value: number; timestamp: number }[] }[];
}

export interface RemoteWriteReceiver {
  readonly url: string;
  /** Newest sample per series: key `name|job|series|le`. */
  readonly latest: Map<string, { value: number; timestampMs: number }>;
  readonly stats: { requests: number; samples: number; outOfOrder: number };
  close(): Promise<void>;
}

export async function startRemoteWriteReceiver(): Promise<RemoteWriteReceiver> {
  const latest = new Map<string, { value: number; timestampMs: number }>();
  const stats = { requests: 0, samples: 0, outOfOrder: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const decoded = WriteRequest.toObject(WriteRequest.decode(uncompressSync(Buffer.concat(chunks)) as Buffer), { longs: Number, arrays: true }) as DecodedRequest;
        stats.requests++;
        for (const series of decoded.timeseries) {
          const labels = Object.fromEntries(series.labels.map((label) => [label.name, label.value]));
          const key = `${labels.__name__}|${labels.job}|${labels.series}|${labels.le ?? ''}`;
          for (const sample of series.samples ?? []) {
            stats.samples++;
            const known = latest.get(key);
            // A receiver refuses a sample older than the newest it has (Prometheus: out of order).
            if (known !== undefined && sample.timestamp < known.timestampMs) stats.outOfOrder++;
            else latest.set(key, { value: sample.value, timestampMs: sample.timestamp });
          }
        }
        response.writeHead(204).end();
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`,
    latest,
    stats,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
