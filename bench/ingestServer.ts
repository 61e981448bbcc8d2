/**
 * A Sidecar in a process of its own, for the OTLP/HTTP ingest benchmark (so the clients do not
 * share its event loop). Started by `ingestHttp.ts` with `fork`; sends `{ url }` once listening on
 * free loopback ports, stops and exits on the message `'stop'`.
 */
import { Sidecar } from '../src/sidecar/Sidecar.ts';

const maxSeries = Number(process.env.BENCH_MAX_SERIES ?? 10_000_000);
const loopback = { host: '127.0.0.1', port: 0 };
const remoteWriteUrl = process.env.BENCH_REMOTE_WRITE_URL;
const sidecar = new Sidecar({
  otlpHttp: loopback,
  otlpGrpc: loopback,
  metrics: loopback,
  maxSeries,
  ...(remoteWriteUrl === undefined ? {} : { remoteWrite: { endpoints: [{ url: remoteWriteUrl }], intervalMs: 5_000 } }),
});
const addresses = await sidecar.start();
process.send?.({ url: addresses.otlpHttp.url });
process.on('message', (message) => {
  if (message !== 'stop') return;
  void sidecar.stop().finally(() => process.disconnect());
});
