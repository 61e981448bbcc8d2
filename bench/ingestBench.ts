import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SeriesStore } from '../src/model/seriesStore.ts';
import { decodeExportMetricsServiceRequest } from '../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { createAgent, send } from './httpClient.ts';
import { measure, summarize, type MeasureOptions } from './measure.ts';
import { pointRate, type ResultRow } from './results.ts';
import { createSidecarStore } from './sidecarStore.ts';
import { benchResource, countPoints, type Workload } from './workload.ts';

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

export function encodeProtobuf(resourceMetrics: ResourceMetrics): Uint8Array {
  const bytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  if (bytes === undefined) throw new Error('ProtobufMetricsSerializer could not encode the workload');
  return bytes;
}

function row(workload: Workload, id: string, label: string, extra: Omit<ResultRow, 'id' | 'section' | 'workload' | 'label'>): ResultRow {
  return { id, section: 'ingest', workload: workload.name, label, ...extra };
}

/**
 * In process, on one request holding the whole workload: OTel JS encoding it, our decoder alone,
 * decode + `applyAll` into a store that holds the series already (steady state: every point
 * updates a series), and into an empty store (every point creates one).
 */
export async function benchIngestInProcess(workload: Workload, resourceMetrics: ResourceMetrics, options: Options): Promise<ResultRow[]> {
  const points = countPoints(resourceMetrics);
  const bytes = encodeProtobuf(resourceMetrics);
  const maxSeries = workload.series * 2;

  const steady = createSidecarStore(maxSeries);
  const first = steady.applyAll(decodeExportMetricsServiceRequest(bytes), Date.now());
  if (first.acceptedPoints !== points) throw new Error(`the store accepted ${first.acceptedPoints} of ${points} points: ${first.errors.join('; ')}`);
  const applySteady = (): void => {
    const result = steady.applyAll(decodeExportMetricsServiceRequest(bytes), Date.now());
    if (result.acceptedPoints !== points) throw new Error(`the store accepted ${result.acceptedPoints} of ${points} points: ${result.errors.join('; ')}`);
  };
  let fresh: SeriesStore | undefined;

  const encode = await measure(() => ProtobufMetricsSerializer.serializeRequest(resourceMetrics), options);
  const decode = await measure(() => decodeExportMetricsServiceRequest(bytes), options);
  const decodeApply = await measure(applySteady, options);
  const decodeCreate = await measure(() => fresh!.applyAll(decodeExportMetricsServiceRequest(bytes), Date.now()), {
    ...options,
    before: () => {
      fresh = createSidecarStore(maxSeries);
    },
  });
  return [
    row(workload, 'ingest.otel.encode', 'OTel JS ProtobufMetricsSerializer.serializeRequest', { timing: encode, pointsPerSecond: pointRate(encode, points), bytes: bytes.length }),
    row(workload, 'ingest.ours.decode', 'ours decodeExportMetricsServiceRequest alone', { timing: decode, pointsPerSecond: pointRate(decode, points) }),
    row(workload, 'ingest.ours.decodeApply', 'ours decode + sidecar store applyAll (series exist)', { timing: decodeApply, pointsPerSecond: pointRate(decodeApply, points) }),
    row(workload, 'ingest.ours.decodeCreate', 'ours decode + applyAll into an empty store (new series)', {
      timing: decodeCreate,
      pointsPerSecond: pointRate(decodeCreate, points),
    }),
  ];
}

/**
 * OTLP/HTTP over loopback: a Sidecar in a child process, `clients` concurrent clients each POSTing
 * its own prebuilt protobuf body (its own `service.instance.id`, so its own series) in a loop,
 * bounded by requests and time per run. Points per second are those the sidecar accepted.
 */
export async function benchIngestHttp(
  workload: Workload,
  resourceMetrics: ResourceMetrics,
  settings: { runs: number; maxRequestsPerRun: number; maxRunMs: number },
  clients: number,
  remoteWrite = false,
): Promise<ResultRow[]> {
  if (settings.runs === 0) return [];
  // With remote write: the sidecar also sends every 5 s to a receiver here that reads and discards.
  const sink = remoteWrite ? await startSink() : undefined;
  const points = countPoints(resourceMetrics);
  const bodies = Array.from({ length: clients }, (_, c) =>
    encodeProtobuf({ ...resourceMetrics, resource: benchResource({ 'service.instance.id': `client-${c}` }) }),
  );
  const child = fork(new URL('./ingestServer.ts', import.meta.url), [], {
    env: { ...process.env, BENCH_MAX_SERIES: String(workload.series * clients * 2), ...(sink === undefined ? {} : { BENCH_REMOTE_WRITE_URL: sink.url }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const agent = createAgent(clients);
  try {
    const [{ url }] = (await once(child, 'message')) as [{ url: string }];
    const headers = { 'content-type': 'application/x-protobuf' };
    let partial = 0;
    let refused = 0;
    const post = async (body: Uint8Array): Promise<number> => {
      const result = await send(url, { method: 'POST', headers, body, agent });
      if (result.status !== 200) {
        refused++;
        return 0;
      }
      // An empty ExportMetricsServiceResponse: everything accepted; otherwise a partial success.
      if (result.body.length > 0) partial++;
      return points;
    };
    // Warm-up: every client's series created once.
    await Promise.all(bodies.map((body) => post(body)));

    const rates: number[] = [];
    const runsMs: number[] = [];
    for (let run = 0; run < settings.runs; run++) {
      let sent = 0;
      let accepted = 0;
      const start = performance.now();
      const client = async (body: Uint8Array): Promise<void> => {
        while (sent < settings.maxRequestsPerRun && performance.now() - start < settings.maxRunMs) {
          sent++;
          const got = await post(body); // not `accepted += await …`: that reads `accepted` before awaiting
          accepted += got;
        }
      };
      await Promise.all(bodies.map((body) => client(body)));
      const elapsed = performance.now() - start;
      rates.push((accepted * 1000) / elapsed);
      runsMs.push(elapsed / sent);
    }
    const sorted = [...rates].sort((a, b) => a - b);
    const note = [`${clients} clients`, refused > 0 ? `${refused} requests refused` : '', partial > 0 ? `${partial} partial successes` : ''].filter(Boolean).join(', ');
    return [
      row(workload, sink === undefined ? 'ingest.ours.http' : 'ingest.ours.http.remote-write', `ours Sidecar OTLP/HTTP protobuf, ${clients} concurrent clients over loopback${sink === undefined ? '' : ', remote write on (every 5 s, a third of the default)'}`, {
        timing: { ...summarize(runsMs), runsMs, operations: 0 },
        pointsPerSecond: { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! },
        bytes: bodies[0]!.length,
        note: sink === undefined ? note : `${note}, ${(sink.bytes() / 2 ** 20).toFixed(1)} MiB remote-written`,
      }),
    ];
  } finally {
    agent.destroy();
    child.send('stop');
    await once(child, 'exit');
    sink?.close();
  }
}

/** A remote-write receiver that reads each request whole and answers 204, counting bytes. */
async function startSink(): Promise<{ url: string; bytes: () => number; close: () => void }> {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`, bytes: () => bytes, close: () => server.close() };
}
