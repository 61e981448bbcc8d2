/**
 * Bearer and basic auth on a sidecar over real loopback sockets: the metrics listener (the metrics
 * path and `/`; the probes stay open) and the OTLP/HTTP receiver answer 401 with a challenge to
 * missing, wrong and wrong-scheme credentials, count each refusal, log it at debug without the
 * secret, and refuse an OTLP upload before reading its body.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ListenerAuth } from '../../../src/net/auth/listenerAuth.ts';
import { parseExposition, type ParsedFamily } from '../../helpers/parseExposition.ts';
import { checkMetricsWithPromtool, skipUnlessInstalled } from '../../helpers/prometheus.ts';
import { bounded } from '../../sidecar/heldUpload.ts';
import { jsonRequest, protobufRequest } from '../../helpers/otlpRequests.ts';
import { decodeStatus, get, samplesOf, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from '../../sidecar/sidecarHarness.ts';

const UNAUTHENTICATED = 16;

interface AuthCase {
  readonly auth: ListenerAuth;
  readonly right: string;
  readonly wrong: string;
  readonly otherScheme: string;
  readonly challenge: string;
}

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

const CASES: Record<ListenerAuth['kind'], AuthCase> = {
  bearer: {
    auth: { kind: 'bearer', token: 'metrics-T0KEN' },
    right: 'Bearer metrics-T0KEN',
    wrong: 'Bearer metrics-T0KEn',
    otherScheme: basic('user:metrics-T0KEN'),
    challenge: 'Bearer realm="otel-prom-bridge"',
  },
  basic: {
    auth: { kind: 'basic', username: 'prometheus', password: 'hunter2' },
    right: basic('prometheus:hunter2'),
    wrong: basic('prometheus:hunter3'),
    otherScheme: 'Bearer hunter2',
    challenge: 'Basic realm="otel-prom-bridge", charset="UTF-8"',
  },
};

const SECRETS = /metrics-T0KEN|hunter2|prometheus:/;

/** A counter's value, 0 before its series exists. */
function counted(families: readonly ParsedFamily[], name: string, labels: Record<string, string>): number {
  return samplesOf(families, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

for (const [kind, { auth, right, wrong, otherScheme, challenge }] of Object.entries(CASES)) {
  describe(`${kind} auth over HTTP`, () => {
    let running: RunningSidecar;
    const debug: string[] = [];
    before(async () => {
      running = await startSidecar({
        logger: { warn: () => undefined, debug: (message) => debug.push(message) },
        metrics: { auth },
        otlpHttp: { auth },
        otlpGrpc: { enabled: false },
      });
    });
    after(async () => {
      await running.sidecar.stop();
    });

    async function scrapeWith(authorization: string): Promise<ParsedFamily[]> {
      const response = await get(running.addresses.metrics.url, { authorization });
      const body = await response.text();
      assert.equal(response.status, 200, body);
      return parseExposition(body, 'text');
    }

    function push(authorization: string | undefined, value = 1): Promise<Response> {
      return fetch(running.addresses.otlpHttp.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
        body: jsonRequest(`auth-${kind}`, [{ name: 'pushed', value }]),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    }

    const refusals: [what: string, header: string | undefined, message: RegExp][] = [
      ['missing', undefined, /missing credentials/],
      ['wrong', wrong, /wrong credentials/],
      ['of another scheme', otherScheme, /is not of the (Bearer|Basic) scheme/],
    ];

    describe('the metrics listener', () => {
      it('answers the metrics path with the right credentials', async () => {
        await scrapeWith(right);
      });
      for (const [what, header, message] of refusals) {
        for (const path of ['', '/']) {
          it(`refuses ${path === '' ? 'the metrics path' : '/'} with credentials ${what}: 401, the challenge and the problem in words`, async () => {
            const url = path === '' ? running.addresses.metrics.url : new URL('/', running.addresses.metrics.url).href;
            const before = valueOf(await scrapeWith(right), 'otel_prom_bridge_metrics_requests_refused_total', { reason: 'unauthenticated' });
            const response = await get(url, header === undefined ? {} : { authorization: header });
            const body = await response.text();
            assert.equal(response.status, 401);
            assert.equal(response.headers.get('www-authenticate'), challenge);
            assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
            assert.match(body, message);
            assert.doesNotMatch(body, SECRETS);
            assert.equal(valueOf(await scrapeWith(right), 'otel_prom_bridge_metrics_requests_refused_total', { reason: 'unauthenticated' }), before + 1);
          });
        }
      }
      it('leaves /-/healthy and /-/ready open for probes', async () => {
        for (const path of ['/-/healthy', '/-/ready']) {
          const response = await get(new URL(path, running.addresses.metrics.url).href);
          assert.equal(response.status, 200, path);
          await response.arrayBuffer();
        }
      });
      it('promtool check metrics finds no problem with the refusal counters present', { skip: skipUnlessInstalled(['promtool']) }, async () => {
        await (await get(running.addresses.metrics.url)).arrayBuffer(); // one refusal at least
        const response = await get(running.addresses.metrics.url, { authorization: right });
        const text = await response.text();
        assert.match(text, /^# TYPE otel_prom_bridge_metrics_requests_refused_total counter$/m);
        const { exitCode, output } = await checkMetricsWithPromtool(text);
        assert.deepEqual(output.split('\n').filter((line) => line.trim() !== ''), [], `promtool check metrics reported problems on:\n${text}`);
        assert.equal(exitCode, 0);
      });
      it('puts other paths behind the credentials too', async () => {
        const response = await get(new URL('/nowhere', running.addresses.metrics.url).href);
        assert.equal(response.status, 401);
        await response.arrayBuffer();
      });
    });

    describe('the OTLP/HTTP receiver', () => {
      it('stores an export with the right credentials', async () => {
        const response = await push(right, 5);
        assert.equal(response.status, 200, await response.text());
        assert.equal(valueOf(await scrapeWith(right), 'pushed_total', { job: `auth-${kind}` }), 5);
      });
      for (const [what, header, message] of refusals) {
        it(`refuses an export with credentials ${what}: 401, the challenge, an OTLP Status UNAUTHENTICATED; counted, logged at debug`, async () => {
          const countBefore = counted(await scrapeWith(right), 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'unauthenticated' });
          debug.length = 0;
          const response = await push(header, 99);
          assert.equal(response.status, 401);
          assert.equal(response.headers.get('www-authenticate'), challenge);
          const status = (await response.json()) as { code: number; message: string };
          assert.equal(status.code, UNAUTHENTICATED);
          assert.match(status.message, message);
          assert.doesNotMatch(status.message, SECRETS);
          const families = await scrapeWith(right);
          assert.equal(valueOf(families, 'otel_prom_bridge_otlp_requests_total', { protocol: 'http', outcome: 'unauthenticated' }), countBefore + 1);
          assert.equal(valueOf(families, 'pushed_total', { job: `auth-${kind}` }), 5, 'the refused export stored nothing');
          assert.equal(debug.length, 1, debug.join('\n'));
          assert.match(debug[0]!, /^OTLP\/HTTP request refused with 401 \(unauthenticated\): /);
          assert.doesNotMatch(debug[0]!, SECRETS);
        });
      }
      it('answers a protobuf export with a protobuf Status', async () => {
        const response = await fetch(running.addresses.otlpHttp.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', authorization: wrong },
          body: protobufRequest(`auth-${kind}`, [{ name: 'pushed', value: 1 }]),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        assert.equal(response.status, 401);
        assert.equal(decodeStatus(new Uint8Array(await response.arrayBuffer())).code, UNAUTHENTICATED);
      });
      it('refuses before reading the body: the 401 comes while most of it is unsent', async () => {
        const { hostname, port, pathname } = new URL(running.addresses.otlpHttp.url);
        const socket = connect(Number(port), hostname);
        try {
          await bounded(once(socket, 'connect'), 'the connection');
          let received = '';
          socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
          socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"resourceM`);
          const statusLine = await bounded(
            new Promise<string>((resolve, reject) => {
              const check = () => (received.includes('\r\n') ? resolve(received.slice(0, received.indexOf('\r\n'))) : undefined);
              socket.on('data', check);
              socket.once('close', () => reject(new Error(`closed without an answer: ${received}`)));
            }),
            'the 401 to a request whose body is not sent',
          );
          assert.equal(statusLine, 'HTTP/1.1 401 Unauthorized');
        } finally {
          socket.destroy();
        }
      });
    });
  });
}
