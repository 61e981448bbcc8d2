import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { formatHostPort } from '../config/listenAddress.ts';
import { buildAuthorizationHook } from '../net/auth/authorizationHook.ts';
import type { AuthRefusal } from '../net/auth/listenerAuth.ts';
import type { MetricsConsumer } from '../otlp/receiver/exportMetrics.ts';
import { GrpcReceiver } from '../otlp/receiver/grpcReceiver.ts';
import { buildHttpReceiver } from '../otlp/receiver/httpReceiver.ts';
import type { LoadShedder } from '../otlp/receiver/loadShedder.ts';
import type { ReceiverStats } from '../otlp/receiver/receiverStats.ts';
import type { Logger } from '../model/dropCounter.ts';
import { buildServer } from '../server/buildServer.ts';
import type { MetricsSource } from '../server/metricsSource.ts';
import type { StatusSummary } from '../server/statusSummary.ts';
import type { SidecarAddresses, SidecarEndpoint } from './sidecarAddresses.ts';
import type { SidecarSettings } from './sidecarSettings.ts';

const NOT_LISTENING: SidecarEndpoint = { enabled: false, host: '', port: 0, url: '' };

/** What the listeners serve and where the receivers hand their exports. */
export interface ListenerWiring {
  /** What the metrics path serves. */
  readonly scrapes: MetricsSource;
  /** The status page's summary, asked for on each request to `/` and `/api/v1/status`. */
  readonly status: () => StatusSummary;
  /** Called for each request the metrics listener's auth refuses. */
  readonly onRefusedScrape: (refusal: AuthRefusal, request: { method: string; url: string }) => void;
  readonly receiver: {
    readonly consumer: MetricsConsumer;
    readonly maxRequestBytes: number;
    readonly clock: () => number;
    readonly stats: ReceiverStats;
    readonly logger: Logger | undefined;
    readonly loadShedder: LoadShedder;
  };
}

/** The listeners started: where they are bound, and how to close each. */
export interface Listeners {
  readonly addresses: SidecarAddresses;
  readonly closers: { close: () => Promise<void> }[];
}

/**
 * Starts the sidecar's three listeners (each only when enabled): the metrics server, the OTLP/HTTP
 * receiver and the OTLP/gRPC receiver. Should one fail to listen, those already started are closed
 * and the error names the listener and its address.
 */
export async function startListeners(s: SidecarSettings, wiring: ListenerWiring): Promise<Listeners> {
  const common = wiring.receiver;
  const listening: { close: () => Promise<void> }[] = [];
  try {
    let metrics = NOT_LISTENING;
    if (s.enabled.metrics) {
      const app = buildServer({ source: wiring.scrapes, endpoint: s.metrics.path, tls: s.tls.metrics, statusPage: wiring.status });
      const auth = s.auth.metrics;
      // Probes stay open: a kubelet or load balancer has no credentials.
      if (auth !== undefined) app.addHook('onRequest', buildAuthorizationHook({ auth, openPaths: ['/-/healthy', '/-/ready'], onRefused: wiring.onRefusedScrape }));
      metrics = await listenHttp(app, s.metrics, 'metrics server', s.tls.metrics !== undefined);
      listening.push(app);
    }
    let otlpHttp = NOT_LISTENING;
    if (s.enabled.otlpHttp) {
      const app = buildHttpReceiver({ ...common, path: s.otlpHttp.path, auth: s.auth.otlpHttp, tls: s.tls.otlpHttp });
      otlpHttp = await listenHttp(app, s.otlpHttp, 'OTLP/HTTP receiver', s.tls.otlpHttp !== undefined);
      listening.push(app);
    }
    let otlpGrpc = NOT_LISTENING;
    if (s.enabled.otlpGrpc) {
      const receiver = new GrpcReceiver({ ...common, auth: s.auth.otlpGrpc, tls: s.tls.otlpGrpc });
      const bound = await receiver.listen(s.otlpGrpc.host, s.otlpGrpc.port);
      listening.push(receiver);
      otlpGrpc = { enabled: true, host: bound.host, port: bound.port, url: `${scheme(s.tls.otlpGrpc !== undefined)}://${connectHost(bound.host, bound.port)}` };
    }
    return { addresses: { metrics, otlpHttp, otlpGrpc }, closers: listening };
  } catch (error) {
    await Promise.allSettled(listening.map((listener) => listener.close()));
    throw error;
  }
}

async function listenHttp(app: FastifyInstance, address: { host: string; port: number; path: string }, what: string, tls: boolean): Promise<SidecarEndpoint> {
  try {
    await app.listen({ host: address.host, port: address.port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The sidecar's ${what} could not listen on ${formatHostPort(address.host, address.port)}: ${reason}`, { cause: error });
  }
  const bound = app.server.address() as AddressInfo;
  return { enabled: true, host: bound.address, port: bound.port, url: `${scheme(tls)}://${connectHost(bound.address, bound.port)}${address.path}` };
}

function scheme(tls: boolean): 'https' | 'http' {
  return tls ? 'https' : 'http';
}

/** `host:port` to connect to: a wildcard address becomes loopback. */
function connectHost(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  return formatHostPort(wildcard ? 'localhost' : host, port);
}
