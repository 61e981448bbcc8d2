import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyServerOptions,
  type onRequestAsyncHookHandler,
} from 'fastify';
import type { Logger } from '../../model/dropCounter.ts';
import { authChallenge, checkAuthorization, type ListenerAuth } from '../../net/auth/listenerAuth.ts';
import type { TlsCredentials } from '../../net/tls/tlsCredentials.ts';
import { OtlpDecodeError } from '../decode/OtlpDecodeError.ts';
import { exportMetrics, type MetricsConsumer, type OtlpEncoding } from './exportMetrics.ts';
import { encodeExportResponseJson, encodeExportResponseProtobuf } from './exportResponse.ts';
import { InflatedTooLargeError, inflateGzip, InvalidGzipError } from './inflateGzip.ts';
import type { LoadShedder } from './loadShedder.ts';
import { otherSignalMessage, otherSignalOfHttpPath } from './otherSignals.ts';
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_OTLP_HTTP_PATH, DEFAULT_REQUEST_TIMEOUT_MS } from '../../config/defaults.ts';
import type { ReceiverStats, RequestOutcome } from './receiverStats.ts';
import { encodeStatusJson, encodeStatusProtobuf, rpcCodeForHttpStatus } from './rpcStatus.ts';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

export interface OtlpHttpPluginOptions {
  /** Where decoded metrics go. */
  readonly consumer: MetricsConsumer;
  /** Route path. @default '/v1/metrics' */
  readonly path?: string;
  /** Largest body accepted, compressed and inflated, in bytes. @default 16 MiB */
  readonly maxRequestBytes?: number;
  /** The time a request is received at, in ms since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** Counts requests and data points by outcome. @default none */
  readonly stats?: ReceiverStats;
  /** Where failures of the bridge itself are logged (warn), and refused requests with the reason (debug). @default none */
  readonly logger?: Logger;
  /**
   * Credentials every request must carry in its `Authorization` header; others get 401 with a
   * `WWW-Authenticate` challenge, before their bodies are read. @default none (open)
   */
  readonly auth?: ListenerAuth;
  /**
   * Refuses export requests with 503 and `Retry-After` while the bridge is overloaded, before their
   * bodies are read; counts the requests in flight. Its `start()`/`stop()` are the caller's.
   * @default none (no load shedding)
   */
  readonly loadShedder?: LoadShedder;
}

/** Seconds an overloaded receiver asks clients to wait (`Retry-After`); the OTLP exporters honour it. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

export interface HttpReceiverOptions extends OtlpHttpPluginOptions {
  /** Passed to fastify (logger and the like); the body limit is set from `maxRequestBytes`. */
  readonly fastify?: FastifyServerOptions;
  /** Serve HTTPS with this certificate and key. @default plain HTTP */
  readonly tls?: TlsCredentials;
  /**
   * Time a request has for its headers and whole body to arrive, in ms; a slower one gets 408 and
   * its connection is closed (checked every quarter of it, at most every 30 s). @default 30 000
   */
  readonly requestTimeoutMs?: number;
}

/** An OTLP/HTTP answer that is not a success. */
interface Refusal {
  readonly statusCode: number;
  readonly outcome: RequestOutcome;
  readonly message: string;
}

/**
 * OTLP/HTTP metrics receiver as a fastify plugin: `POST <path>` with a protobuf or JSON
 * `ExportMetricsServiceRequest`, identity or gzip. Answers an `ExportMetricsServiceResponse` in the
 * request's encoding, or an OTLP error (`google.rpc.Status` in the request's encoding):
 * 400 malformed, 413 too large (also once inflated), 415 another content type or encoding,
 * 401 without the credentials `auth` asks for, 503 with `Retry-After: 1` while overloaded or
 * draining (with a `loadShedder`); both before the body is read.
 * Its content-type parsers and error handler stay inside the plugin's own context.
 */
export const otlpHttpPlugin: FastifyPluginAsync<OtlpHttpPluginOptions> = async (app, options) => {
  const { consumer, limit, path, clock, stats, logger, loadShedder, auth } = resolveOptions(options, 'otlpHttpPlugin');
  // Each refusal is counted (unless `counted` is false) and logged at debug: one line per request, never per point.
  const refuse = (reply: FastifyReply, encoding: OtlpEncoding | undefined, refusal: Refusal, counted = true) => {
    logger?.debug(`OTLP/HTTP request refused with ${refusal.statusCode} (${refusal.outcome}): ${refusal.message}`);
    return sendRefusal(reply, encoding, refusal, counted ? stats : undefined);
  };

  // When each request arrived, for its duration (fastify keeps one only with a logger or onResponse hooks).
  app.addHook('onRequest', (request, _reply, done) => {
    arrivals.set(request.raw, performance.now());
    done();
  });

  // Before anything else, on every route of the plugin: the body unread, the load not yet counted.
  if (auth !== undefined) {
    const challenge = authChallenge(auth);
    app.addHook('onRequest', async (request, reply) => {
      const refusal = checkAuthorization(auth, request.headers.authorization);
      if (refusal === undefined) return undefined;
      reply.header('www-authenticate', challenge);
      return refuse(reply, encodingOf(request.headers['content-type']), { statusCode: 401, outcome: 'unauthenticated', message: refusal.message });
    });
  }

  // Bodies arrive as raw bytes whatever their type; the preParsing check below refuses unknown types first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));

  // Failures fastify raises itself (body over the limit, a wrong Content-Length, an aborted body).
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const outcome: RequestOutcome = statusCode === 413 ? 'too_large' : statusCode === 415 ? 'unsupported_media_type' : statusCode < 500 ? 'malformed' : 'internal_error';
    const message = statusCode === 413 ? `the request body is larger than the limit of ${limit} bytes` : error.message;
    if (statusCode >= 500) logger?.warn(`OTLP/HTTP receiver failed on a request: ${error.message}`);
    return refuse(reply, encodingOf(request.headers['content-type']), { statusCode, outcome, message });
  });

  app.post(path, {
    // First of all (after the credentials), the body unread: an overloaded bridge refuses at once.
    ...(loadShedder === undefined ? {} : { onRequest: shedLoadHook(loadShedder, refuse) }),
    // fastify answers 413 from Content-Length before reading a byte, and counts chunked bodies as they come.
    bodyLimit: limit,
    // Header checks before the body is read: a wrong type or encoding is refused without reading it.
    preParsing: async (request, reply, payload) => {
      const refusal = checkHeaders(request.headers['content-type'], request.headers['content-encoding']);
      // Answered here, the body is never parsed (Node discards what is left of it).
      if (refusal !== undefined) refuse(reply, encodingOf(request.headers['content-type']), refusal);
      return payload;
    },
    handler: async (request, reply) => {
      const encoding = encodingOf(request.headers['content-type']) ?? 'protobuf';
      let body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (body.length > 0 && isGzip(request.headers['content-encoding'])) {
        try {
          body = await inflateGzip(body, limit);
        } catch (error) {
          if (error instanceof InflatedTooLargeError) return refuse(reply, encoding, { statusCode: 413, outcome: 'too_large', message: error.message });
          if (error instanceof InvalidGzipError) return refuse(reply, encoding, { statusCode: 400, outcome: 'malformed', message: error.message });
          throw error;
        }
      }
      let outcome;
      try {
        outcome = exportMetrics(body, encoding, consumer, clock());
      } catch (error) {
        if (error instanceof OtlpDecodeError) {
          return refuse(reply, encoding, { statusCode: 400, outcome: 'malformed', message: `malformed ${encoding === 'protobuf' ? 'protobuf' : 'JSON'} ExportMetricsServiceRequest: ${error.message}` });
        }
        const reason = error instanceof Error ? error.message : String(error);
        logger?.warn(`OTLP/HTTP receiver could not store a request: ${reason}`);
        return refuse(reply, encoding, { statusCode: 500, outcome: 'internal_error', message: `the bridge failed to store the metrics: ${reason}` });
      }
      stats?.record('http', outcome.rejectedDataPoints > 0 ? 'partial_success' : 'success', secondsSinceArrival(reply), outcome.acceptedDataPoints, outcome.rejectedDataPoints);
      return encoding === 'protobuf'
        ? reply.code(200).type(PROTOBUF).send(encodeExportResponseProtobuf(outcome))
        : reply.code(200).type(JSON_TYPE).send(encodeExportResponseJson(outcome));
    },
  });

  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: path,
    handler: async (request, reply) =>
      refuse(reply.header('allow', 'POST'), encodingOf(request.headers['content-type']), { statusCode: 405, outcome: 'malformed', message: `${request.method} is not allowed here: OTLP/HTTP metrics are sent with POST ${path}` }, false),
  });
};

/**
 * A fastify app that is only the OTLP/HTTP receiver (the sidecar's listener on 4318): the plugin
 * and a 404 elsewhere. It does not listen; the caller does.
 */
export function buildHttpReceiver(options: HttpReceiverOptions): FastifyInstance {
  const { fastify, tls, requestTimeoutMs, ...pluginOptions } = options;
  const { limit, path } = resolveOptions(pluginOptions, 'buildHttpReceiver'); // wrong options throw here, not at listen()
  const timeouts = slowClientTimeouts(requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  // fastify's types tie `https` to the server type; the app's routes and hooks are the same either way.
  const app = Fastify({
    logger: false,
    // fastify turns Node's request timeout off by default: a body trickling in would hold its place in flight for ever.
    requestTimeout: timeouts.requestTimeout,
    http: timeouts,
    ...fastify,
    bodyLimit: limit,
    ...(tls === undefined ? {} : { https: { ...timeouts, cert: tls.cert, key: tls.key } }),
  } as FastifyServerOptions);
  app.register(otlpHttpPlugin, pluginOptions);
  app.setNotFoundHandler(async (request, reply) => {
    const signal = request.method === 'POST' ? otherSignalOfHttpPath(request.url) : undefined;
    if (signal !== undefined) {
      pluginOptions.logger?.debug(`OTLP/HTTP request refused with 404 (unsupported_signal): ${signal} sent to ${request.url}`);
      return sendRefusal(reply, encodingOf(request.headers['content-type']), { statusCode: 404, outcome: 'unsupported_signal', message: otherSignalMessage(signal) }, pluginOptions.stats);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send(`Not found: ${request.method} ${request.url}. OTLP/HTTP metrics are accepted at POST ${path}.\n`);
  });
  return app;
}

/** Node's server options that cut off slow clients: the whole request within `ms`, checked every quarter of it (at most every 30 s). */
function slowClientTimeouts(ms: number): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`buildHttpReceiver option requestTimeoutMs must be a whole number of milliseconds, at least 1; got ${String(ms)}.`);
  return { requestTimeout: ms, headersTimeout: ms, connectionsCheckingInterval: Math.min(30_000, Math.max(10, Math.round(ms / 4))) };
}

/**
 * An `onRequest` hook that answers 503 with `Retry-After` while the shedder says the bridge is
 * overloaded or draining; an admitted request counts as in flight until its answer is sent or its connection
 * closes (the response's `close`, which follows both).
 */
function shedLoadHook(loadShedder: LoadShedder, refuse: (reply: FastifyReply, encoding: OtlpEncoding | undefined, refusal: Refusal) => FastifyReply): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const admission = loadShedder.admit();
    if (!admission.admitted) {
      reply.header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
      return refuse(reply, encodingOf(request.headers['content-type']), { statusCode: 503, outcome: admission.cause, message: admission.reason });
    }
    reply.raw.once('close', admission.release);
    return undefined;
  };
}

/** The options with their defaults; a wrong one throws, naming it, its value and what is allowed. */
function resolveOptions(options: OtlpHttpPluginOptions, who: string) {
  if (options?.consumer === undefined || typeof options.consumer.consume !== 'function') {
    throw new TypeError(`${who} needs a \`consumer\` option: the object that takes the decoded metrics (\`consume(resourceMetrics, receivedAtMs)\`).`);
  }
  const limit = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`${who} option maxRequestBytes must be a whole number of bytes, at least 1; got ${String(limit)}.`);
  }
  const path = options.path ?? DEFAULT_OTLP_HTTP_PATH;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`${who} option path must start with "/" (e.g. ${DEFAULT_OTLP_HTTP_PATH}); got ${JSON.stringify(path)}.`);
  return { consumer: options.consumer, limit, path, clock: options.clock ?? Date.now, stats: options.stats, logger: options.logger, loadShedder: options.loadShedder, auth: options.auth };
}

/** The encoding a Content-Type names; undefined for any other type. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const essence = mediaTypeOf(contentType);
  return essence === PROTOBUF ? 'protobuf' : essence === JSON_TYPE ? 'json' : undefined;
}

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** When the requests in progress arrived (`performance.now()`), by their Node request. */
const arrivals = new WeakMap<object, number>();

function secondsSinceArrival(reply: FastifyReply): number {
  const arrival = arrivals.get(reply.request.raw);
  return arrival === undefined ? 0 : (performance.now() - arrival) / 1000;
}

/** 415 for a content type or encoding the receiver does not speak; undefined when both are fine. */
function checkHeaders(contentType: string | undefined, contentEncoding: string | undefined): Refusal | undefined {
  if (encodingOf(contentType) === undefined) {
    const named = contentType === undefined || contentType.trim() === '' ? 'no content type' : `unsupported content type ${JSON.stringify(mediaTypeOf(contentType))}`;
    return { statusCode: 415, outcome: 'unsupported_media_type', message: `${named}: OTLP/HTTP metrics must be sent as ${PROTOBUF} or ${JSON_TYPE}` };
  }
  const coding = codingOf(contentEncoding);
  if (coding !== '' && coding !== 'identity' && coding !== 'gzip' && coding !== 'x-gzip') {
    return { statusCode: 415, outcome: 'unsupported_media_type', message: `unsupported content encoding ${JSON.stringify(coding)}: send gzip or identity` };
  }
  return undefined;
}

function codingOf(contentEncoding: string | undefined): string {
  return (contentEncoding ?? '').trim().toLowerCase();
}

function isGzip(contentEncoding: string | undefined): boolean {
  const coding = codingOf(contentEncoding);
  return coding === 'gzip' || coding === 'x-gzip';
}

/** An OTLP error answer: `google.rpc.Status` in protobuf for protobuf requests, else in JSON; counted when `stats` is given. */
function sendRefusal(reply: FastifyReply, encoding: OtlpEncoding | undefined, refusal: Refusal, stats: ReceiverStats | undefined): FastifyReply {
  stats?.refused('http', refusal.outcome, secondsSinceArrival(reply), refusal.message);
  const code = rpcCodeForHttpStatus(refusal.statusCode);
  reply.code(refusal.statusCode);
  return encoding === 'protobuf'
    ? reply.type(PROTOBUF).send(encodeStatusProtobuf(code, refusal.message))
    : reply.type(JSON_TYPE).send(encodeStatusJson(code, refusal.message));
}
