/**
 * A real Prometheus scrapes the sidecar over https (trusting a self-signed certificate made with
 * openssl, `tls_config.ca_file`) with a bearer token from a file (`authorization.credentials_file`),
 * and answers PromQL with what was pushed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { makeSelfSignedCert, skipUnlessOpenssl, type SelfSignedCert } from '../helpers/selfSignedCert.ts';
import { jsonRequest } from '../helpers/otlpRequests.ts';
import { startSidecar, TIMEOUT_MS, type RunningSidecar } from '../sidecar/sidecarHarness.ts';

const TOKEN = 'prometheus-scrape-T0KEN';
const JOB = 'secure-sidecar';

describe('a real Prometheus scrapes the sidecar over https with a bearer token', { skip: skipUnlessInstalled(['prometheus']) || skipUnlessOpenssl(), timeout: 90_000 }, () => {
  let cert: SelfSignedCert | undefined;
  let running: RunningSidecar | undefined;
  let prometheus: RunningPrometheus | undefined;

  before(async () => {
    requireExecutable('prometheus');
    cert = makeSelfSignedCert();
    const tokenFile = join(cert.dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    running = await startSidecar({ metrics: { tls: { cert: cert.cert, key: cert.key }, auth: { kind: 'bearer', token: TOKEN } } });
    const pushed = await fetch(running.addresses.otlpHttp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonRequest('tls-e2e', [{ name: 'secured', value: 42 }]),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    assert.equal(pushed.status, 200, await pushed.text());
    prometheus = await startPrometheus({ scrapeIntervalSeconds: 1, targets: [{ job: JOB, target: running.addresses.metrics.url, caFile: cert.certPath, bearerTokenFile: tokenFile }] });
    await prometheus.waitForScrapes(2);
  });

  after(async () => {
    await prometheus?.stop();
    await running?.sidecar.stop();
    cert?.remove();
  });

  it('the target is up and the pushed value is queryable', async () => {
    assert.ok(prometheus);
    const up = await prometheus.queryVector(`up{job="${JOB}"}`);
    assert.deepEqual(up.map((sample) => sample.value[1]), ['1']);
    const secured = await prometheus.queryVector('secured_total{job="tls-e2e"}');
    assert.deepEqual(secured.map((sample) => sample.value[1]), ['42']);
  });

  it("no scrape was refused: Prometheus's token matched", async () => {
    assert.ok(prometheus);
    const refused = await prometheus.queryVector('otel_prom_bridge_metrics_requests_refused_total');
    assert.deepEqual(refused.map((sample) => sample.value[1]), ['0']);
  });
});
