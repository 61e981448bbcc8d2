import { createServer, type Agent, type Server } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { PrometheusExporter as OfficialExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PeriodicPrometheusReader, PrometheusExporter, type BridgeReader, type Logger } from '../src/index.ts';
import { freePorts } from '../test/helpers/freePorts.ts';
import { OPENMETRICS_ACCEPT, PROTOBUF_ACCEPT } from './httpAccept.ts';
import { createAgent, scrape, send, type HttpResult } from './httpClient.ts';
import { measure, type MeasureOptions } from './measure.ts';
import type { ResultRow } from './results.ts';
import { createPromClientSubject, createSdkSubject, type Workload } from './workload.ts';

const HOST = '127.0.0.1';

/** Counts the bridge's warnings (a dropped series would make the comparison unfair); printed by the runner. */
export const warnings: string[] = [];
const logger: Logger = { warn: (message) => void warnings.push(message), debug: () => undefined };

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

/** In the periodic reader's partial collections, one series in this many changes. */
const SOME_CHANGED = 100;

/**
 * Scrape cost of every subject on one workload, each with its own MeterProvider (or prom-client
 * registry) holding the same series and values; one subject at a time, so their memory does not add up.
 */
export async function benchScrape(workload: Workload, attributeSets: readonly Attributes[], options: Options): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  rows.push(...(await benchOurExporter(workload, attributeSets, options)));
  rows.push(...(await benchOurPeriodicReader(workload, attributeSets, options)));
  rows.push(...(await benchOfficialExporter(workload, attributeSets, options)));
  rows.push(...(await benchPromClient(workload, attributeSets, options)));
  return rows;
}

function row(workload: Workload, id: string, label: string, extra: Omit<ResultRow, 'id' | 'section' | 'workload' | 'label'>): ResultRow {
  return { id, section: 'scrape', workload: workload.name, label, ...extra };
}

/** Bytes and lines of one plain and one gzipped scrape. */
async function bodySizes(url: string, gzip: boolean): Promise<{ bytes: number; lines: number; gzipBytes?: number }> {
  const agent = createAgent(1);
  try {
    const plain = await scrape(url, agent, false, true);
    const sizes = { bytes: plain.bytes, lines: countLines(plain.body) };
    if (!gzip) return sizes;
    const zipped = await scrape(url, agent, true);
    if (zipped.contentEncoding !== 'gzip') throw new Error(`${url} did not gzip its answer`);
    return { ...sizes, gzipBytes: zipped.bytes };
  } finally {
    agent.destroy();
  }
}

/** GETs a metrics URL asking for a format (`Accept`); throws unless the answer is a 200. */
async function scrapeAs(url: string, agent: Agent, accept: string, gzip: boolean, keepBody = false): Promise<HttpResult> {
  const headers: Record<string, string> = { accept };
  if (gzip) headers['accept-encoding'] = 'gzip';
  const result = await send(url, { method: 'GET', headers, agent, keepBody });
  if (result.status !== 200) throw new Error(`GET ${url} answered ${result.status}: ${result.body.toString('utf8', 0, 200)}`);
  return result;
}

/** Bytes of one plain and one gzipped scrape in a format (lines only for text). */
async function formatSizes(url: string, accept: string): Promise<{ bytes: number; gzipBytes: number; lines?: number }> {
  const agent = createAgent(1);
  try {
    const plain = await scrapeAs(url, agent, accept, false, true);
    const zipped = await scrapeAs(url, agent, accept, true);
    if (zipped.contentEncoding !== 'gzip') throw new Error(`${url} did not gzip its answer`);
    return { bytes: plain.bytes, gzipBytes: zipped.bytes, ...(accept === PROTOBUF_ACCEPT ? {} : { lines: countLines(plain.body) }) };
  } finally {
    agent.destroy();
  }
}

function countLines(body: Buffer): number {
  let lines = 0;
  for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++;
  return lines;
}

async function startOurs<R extends BridgeReader>(create: (port: number, callback: (error: Error | void) => void) => R): Promise<{ reader: R; url: string }> {
  const [port] = await freePorts(1);
  let reader!: R;
  await new Promise<void>((resolve, reject) => {
    reader = create(port!, (error) => (error ? reject(error) : resolve()));
  });
  const url = reader.address()?.url;
  if (url === undefined) throw new Error('the bridge reader reports no address after starting');
  return { reader, url };
}

/** The drop-in exporter: every scrape collects from the SDK; values change before each one. */
async function benchOurExporter(workload: Workload, attributeSets: readonly Attributes[], options: Options): Promise<ResultRow[]> {
  const { reader, url } = await startOurs((port, callback) => new PrometheusExporter({ host: HOST, port, logger }, callback));
  const { provider, record } = createSdkSubject(reader, attributeSets);
  let round = 0;
  const before = (): void => record(++round);
  const agent = createAgent(1);
  try {
    const render = await measure(() => reader.render(), { ...options, before });
    const http = await measure(() => scrape(url, agent, false), { ...options, before, trackEventLoop: true });
    const httpGzip = await measure(() => scrape(url, agent, true), { ...options, before });
    const sizes = await bodySizes(url, true);
    const openMetrics = await measure(() => scrapeAs(url, agent, OPENMETRICS_ACCEPT, false), { ...options, before });
    const openMetricsSizes = await formatSizes(url, OPENMETRICS_ACCEPT);
    const protobuf = await measure(() => scrapeAs(url, agent, PROTOBUF_ACCEPT, false), { ...options, before, trackEventLoop: true });
    const protobufGzip = await measure(() => scrapeAs(url, agent, PROTOBUF_ACCEPT, true), { ...options, before });
    const protobufSizes = await formatSizes(url, PROTOBUF_ACCEPT);
    return [
      row(workload, 'scrape.ours.exporter.render', 'ours PrometheusExporter render() (collect + render, values changed)', { timing: render }),
      row(workload, 'scrape.ours.exporter.http', 'ours PrometheusExporter HTTP scrape (values changed)', { timing: http, ...sizes }),
      row(workload, 'scrape.ours.exporter.http.gzip', 'ours PrometheusExporter HTTP scrape, gzip (values changed)', { timing: httpGzip }),
      row(workload, 'scrape.ours.exporter.http.openmetrics', 'ours PrometheusExporter HTTP scrape, OpenMetrics (values changed)', { timing: openMetrics, ...openMetricsSizes }),
      row(workload, 'scrape.ours.exporter.http.protobuf', 'ours PrometheusExporter HTTP scrape, protobuf (values changed)', { timing: protobuf, ...protobufSizes }),
      row(workload, 'scrape.ours.exporter.http.protobuf.gzip', 'ours PrometheusExporter HTTP scrape, protobuf, gzip (values changed)', { timing: protobufGzip }),
    ];
  } finally {
    agent.destroy();
    await provider.shutdown();
  }
}

/** The periodic reader: scrapes serve the last collection; collecting is measured apart. */
async function benchOurPeriodicReader(workload: Workload, attributeSets: readonly Attributes[], options: Options): Promise<ResultRow[]> {
  const { reader, url } = await startOurs(
    (port, callback) => new PeriodicPrometheusReader({ host: HOST, port, logger, collectIntervalMillis: 3_600_000 }, callback),
  );
  const { provider, record } = createSdkSubject(reader, attributeSets);
  let round = 0;
  const agent = createAgent(1);
  try {
    // The SDK's own collect, which every in-process scrape or collection starts with: a floor.
    const sdkCollect = await measure(() => reader.collect(), { ...options, before: () => record(++round), trackEventLoop: true });
    const collect = await measure(() => reader.collectNow(), { ...options, before: () => record(++round), trackEventLoop: true });
    // Collections in which one series in a hundred changed, and the scrape after one.
    const changeSome = (): void => record(++round, SOME_CHANGED);
    const collectSome = await measure(() => reader.collectNow(), { ...options, before: changeSome });
    const httpAfterSome = await measure(() => scrape(url, agent, false), { ...options, before: async () => (changeSome(), await reader.collectNow()) });
    const render = await measure(() => reader.render(), options);
    const http = await measure(() => scrape(url, agent, false), { ...options, trackEventLoop: true });
    const httpGzip = await measure(() => scrape(url, agent, true), options);
    const sizes = await bodySizes(url, true);
    // Protobuf keeps runs of series' bytes as text keeps chunks (see ChunkTextCache): after a partial collection, and unchanged.
    const protobufAfterSome = await measure(() => scrapeAs(url, agent, PROTOBUF_ACCEPT, false), {
      ...options,
      before: async () => (changeSome(), await reader.collectNow()),
    });
    const protobuf = await measure(() => scrapeAs(url, agent, PROTOBUF_ACCEPT, false), { ...options, trackEventLoop: true });
    const protobufSizes = await formatSizes(url, PROTOBUF_ACCEPT);
    // The floor for serving a finished snapshot: joining its lines into one string.
    const lines = (await reader.render()).body.split('\n');
    const join = await measure(() => lines.join('\n'), options);
    return [
      row(workload, 'scrape.sdk.collect', 'SDK MetricReader.collect() alone (values changed): under every in-process scrape', { timing: sdkCollect }),
      row(workload, 'scrape.ours.periodic.collect', 'ours PeriodicPrometheusReader collection (SDK collect + store, values changed)', { timing: collect }),
      row(workload, 'scrape.ours.periodic.collect.some', 'ours PeriodicPrometheusReader collection, 1 % of series changed', { timing: collectSome }),
      row(workload, 'scrape.ours.periodic.http.some', 'ours PeriodicPrometheusReader HTTP scrape after such a collection', { timing: httpAfterSome }),
      row(workload, 'scrape.ours.periodic.render', 'ours PeriodicPrometheusReader render() (unchanged snapshot)', { timing: render }),
      row(workload, 'scrape.ours.periodic.http', 'ours PeriodicPrometheusReader HTTP scrape', { timing: http, ...sizes }),
      row(workload, 'scrape.ours.periodic.http.gzip', 'ours PeriodicPrometheusReader HTTP scrape, gzip', { timing: httpGzip }),
      row(workload, 'scrape.ours.periodic.http.protobuf.some', 'ours PeriodicPrometheusReader HTTP scrape, protobuf, after a collection changing 1 % of series', { timing: protobufAfterSome }),
      row(workload, 'scrape.ours.periodic.http.protobuf', 'ours PeriodicPrometheusReader HTTP scrape, protobuf (runs from kept bytes)', { timing: protobuf, ...protobufSizes }),
      row(workload, 'scrape.floor.join', 'floor: joining the finished lines of the body', { timing: join }),
    ];
  } finally {
    agent.destroy();
    await provider.shutdown();
  }
}

/** `@opentelemetry/exporter-prometheus`: its serializer alone (after a collect), collect + serialize, and its own HTTP server. */
async function benchOfficialExporter(workload: Workload, attributeSets: readonly Attributes[], options: Options): Promise<ResultRow[]> {
  const [port] = await freePorts(1);
  let exporter!: OfficialExporter;
  await new Promise<void>((resolve, reject) => {
    exporter = new OfficialExporter({ host: HOST, port }, (error) => (error ? reject(error) : resolve()));
  });
  const url = `http://${HOST}:${port}/metrics`;
  // The official exporter brings its own copy of sdk-metrics; the provider only uses the reader's public methods.
  const { provider, record } = createSdkSubject(exporter as unknown as MetricReader, attributeSets);
  const serializer = new PrometheusSerializer();
  let round = 0;
  let collected: ResourceMetrics | undefined;
  const collectOfficial = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics, errors } = await exporter.collect();
    if (errors.length > 0) throw new Error(`the official exporter's collection failed: ${errors.map(String).join('; ')}`);
    return resourceMetrics as unknown as ResourceMetrics;
  };
  const agent = createAgent(1);
  try {
    const serialize = await measure(() => serializer.serialize(collected as never), {
      ...options,
      before: async () => {
        record(++round);
        collected = await collectOfficial();
      },
    });
    collected = undefined;
    const collectSerialize = await measure(async () => serializer.serialize((await collectOfficial()) as never), { ...options, before: () => record(++round) });
    const http = await measure(() => scrape(url, agent, false), { ...options, before: () => record(++round), trackEventLoop: true });
    const sizes = await bodySizes(url, false);
    return [
      row(workload, 'scrape.official.serializer', 'official PrometheusSerializer.serialize() alone (after collect)', { timing: serialize }),
      row(workload, 'scrape.official.render', 'official collect + serialize in process (values changed)', { timing: collectSerialize }),
      row(workload, 'scrape.official.http', 'official PrometheusExporter HTTP scrape (values changed; no gzip support)', { timing: http, ...sizes }),
    ];
  } finally {
    agent.destroy();
    await provider.shutdown();
  }
}

/** prom-client's `Registry.metrics()` on native metrics with the same series, in process and behind a plain HTTP server. */
async function benchPromClient(workload: Workload, attributeSets: readonly Attributes[], options: Options): Promise<ResultRow[]> {
  const { registry, record } = createPromClientSubject(attributeSets);
  let round = 0;
  const before = (): void => record(++round);
  const server: Server = createServer((_request, response) => {
    registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the prom-client server has no port');
  const url = `http://${HOST}:${address.port}/metrics`;
  const agent = createAgent(1);
  try {
    const metrics = await measure(() => registry.metrics(), { ...options, before });
    const http = await measure(() => scrape(url, agent, false), { ...options, before, trackEventLoop: true });
    const sizes = await bodySizes(url, false);
    return [
      row(workload, 'scrape.promclient.render', 'prom-client Registry.metrics() (native metrics, values changed)', { timing: metrics }),
      row(workload, 'scrape.promclient.http', 'prom-client Registry.metrics() behind node:http (values changed)', { timing: http, ...sizes }),
    ];
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    registry.clear();
  }
}
