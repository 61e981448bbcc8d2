/**
 * End to end for the dashboards: two demo services (examples/demo-service, as child processes
 * configured only by the standard OTEL_* variables, one pushing OTLP/HTTP protobuf, one OTLP/gRPC)
 * make traffic and push to a running sidecar; a real Prometheus scrapes the sidecar every second
 * with honor_labels; a malformed export and an export past the series limit give the bridge's
 * refusal and cardinality panels something to show, and the sidecar remote-writes what it holds to a
second Prometheus (`--web.enable-remote-write-receiver`) for the remote-write panels. Then every dashboard variable is resolved
 * through Prometheus (label_values → /api/v1/label/<name>/values) and every panel's every query,
 * variables filled in, runs through /api/v1/query: each must parse and return at least one sample
 * with a number (not NaN). A query of a metric the demo services do not send (`NOT_SENT_BY_THE_DEMO`)
 * must only parse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireExecutable, skipUnlessInstalled, startPrometheus, type QueryData, type RunningPrometheus } from '../helpers/prometheus.ts';
import { pollUntil } from '../helpers/pollUntil.ts';
import { quietLogger, startSidecar, type RunningSidecar } from '../sidecar/sidecarHarness.ts';
import { allPanels, BUILTIN_VALUES, escapeRegexValue, loadDashboards, parseLabelValues, substitute, type DashboardFile } from './dashboardModel.ts';
import { startChild, stopChild, type Child } from './processes.ts';
import { stopAll } from '../helpers/stopAll.ts';

const DEMO_MAIN = fileURLToPath(new URL('../../examples/demo-service/src/main.ts', import.meta.url));
const SCRAPE_JOB = 'otel-prom-bridge';
/** Small enough for the noise push below to pass it; large enough for both demo services. */
const MAX_SERIES = 2_000;
const NOISE_POINTS = 2_500;
/**
 * Metrics a dashboard shows that the demo services do not send (examples/demo-service records no
 * v8js.gc.duration yet): their queries must parse and run, not return data.
 */
const NOT_SENT_BY_THE_DEMO = ['v8js_gc_duration_seconds'];
/** The remote-write endpoint's name, the `endpoint` label of otel_prom_bridge_remote_write_*. */
const REMOTE_WRITE_ENDPOINT = 'receiver';

interface Demo {
  readonly job: string;
  readonly env: Readonly<Record<string, string>>;
}

const skip = skipUnlessInstalled(['prometheus']);

describe('every dashboard query answers with data from the demo services and the bridge', { skip, timeout: 150_000 }, () => {
  let running: RunningSidecar | undefined;
  let prometheus: RunningPrometheus | undefined;
  /** Takes the sidecar's remote write, so that the "Remote write" row has an endpoint to show. */
  let receiver: RunningPrometheus | undefined;
  const demos: Child[] = [];
  const dashboards = loadDashboards();

  before(async () => {
    requireExecutable('prometheus');
    receiver = await startPrometheus({ targets: [], remoteWriteReceiver: true });
    running = await startSidecar({
      logger: quietLogger,
      maxSeries: MAX_SERIES,
      remoteWrite: { endpoints: [{ url: `${receiver.url}/api/v1/write`, name: REMOTE_WRITE_ENDPOINT, queue: { batchSendDeadlineMs: 100 } }], intervalMs: 1_000 },
    });
    const { otlpHttp, otlpGrpc, metrics } = running.addresses;
    const services: Demo[] = [
      {
        job: 'e2e-shop/frontend',
        env: {
          OTEL_SERVICE_NAME: 'frontend',
          OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=e2e-shop,service.instance.id=frontend-1',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpHttp.port}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        },
      },
      {
        job: 'e2e-shop/checkout',
        env: {
          OTEL_SERVICE_NAME: 'checkout',
          OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=e2e-shop,service.instance.id=checkout-1',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpGrpc.port}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        },
      },
    ];
    for (const service of services) {
      const demo = startChild(process.execPath, [DEMO_MAIN], {
        env: { ...process.env, ...service.env, OTEL_METRIC_EXPORT_INTERVAL: '1000', DEMO_HOST: '127.0.0.1', DEMO_PORT: '0', DEMO_TRAFFIC_RPS: '20' },
      });
      demos.push(demo);
    }
    for (const demo of demos) {
      await pollUntil('a demo service to listen', () => (demo.output().includes('demo-service listening') ? true : demo.process.exitCode !== null ? assert.fail(demo.output()) : undefined), 30_000, 50);
    }

    prometheus = await startPrometheus({ scrapeIntervalSeconds: 1, targets: [{ job: SCRAPE_JOB, target: metrics.url }] });
    const prom = prometheus;
    // Both services' HTTP and runtime metrics scraped.
    await pollUntil(
      'both demo services\' metrics in Prometheus',
      async () => {
        const jobs = await prom.queryVector('count by (job) (http_server_request_duration_seconds_count) and count by (job) (process_cpu_time_seconds_total)');
        return services.every((service) => jobs.some((sample) => sample.metric.job === service.job)) ? true : undefined;
      },
      45_000,
      500,
    );

    // Remote write has delivered (its lag and newest-sent gauges exist only after a first success).
    const rw = receiver;
    await pollUntil('the demo services\' series remote-written to the receiver', async () => ((await rw.queryVector('count(http_server_request_duration_seconds_count)')).length > 0 ? true : undefined), 45_000, 500);

    // What goes wrong in real life, once each: a body that is not OTLP, and more series than the limit.
    const malformed = await fetch(otlpHttp.url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0xff, 0xff, 0xff]), signal: AbortSignal.timeout(10_000) });
    assert.equal(malformed.status, 400);
    const noise = await fetch(otlpHttp.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: noiseRequest(), signal: AbortSignal.timeout(10_000) });
    assert.equal(noise.status, 200, 'a partial success');
    assert.match(await noise.text(), /rejected/i);

    // Enough history for every rate over $__rate_interval (10s) to have samples before and after.
    await prom.waitForScrapes(8, 30_000);
  });

  after(() => stopAll([...demos.map((demo) => () => stopChild(demo)), () => prometheus?.stop(), () => running?.sidecar.stop(), () => receiver?.stop()]));

  async function labelValues(selector: string, label: string): Promise<string[]> {
    assert.ok(prometheus);
    const values = await prometheus.api<string[]>(`label/${label}/values`, { 'match[]': selector });
    return [...values].sort();
  }

  /** Each job the job variable offers (and "All" of them), with the first instance of the instance variable. */
  async function variableChoices(file: DashboardFile): Promise<Record<string, string>[]> {
    const [, jobVariable, instanceVariable] = file.dashboard.templating.list;
    const jobQuery = parseLabelValues(jobVariable!);
    const instanceQuery = parseLabelValues(instanceVariable!);
    assert.ok(jobQuery && instanceQuery);
    const jobs = await labelValues(jobQuery.selector, jobQuery.label);
    assert.ok(jobs.length > 0, `${file.file}: the job variable (${jobQuery.selector}) has no values`);
    const choices: Record<string, string>[] = [];
    // As Grafana fills a multi-value variable: one escaped value, or all of them as (a|b).
    const selections = [...jobs.map((job) => [job]), jobs];
    for (const selection of selections) {
      const job = selection.length === 1 ? escapeRegexValue(selection[0]!) : `(${selection.map(escapeRegexValue).join('|')})`;
      const instances = await labelValues(substitute(instanceQuery.selector, { job }), instanceQuery.label);
      assert.ok(instances.length > 0, `${file.file}: the instance variable has no values for job ${job}`);
      choices.push({ datasource: 'prometheus', job, instance: selection.length === 1 ? escapeRegexValue(instances[0]!) : `(${instances.map(escapeRegexValue).join('|')})`, ...BUILTIN_VALUES });
    }
    return choices;
  }

  it('offers the demo services as jobs on the service dashboards and the scrape job on the bridge\'s', async () => {
    for (const file of dashboards) {
      const [, jobVariable] = file.dashboard.templating.list;
      const query = parseLabelValues(jobVariable!);
      assert.ok(query);
      const jobs = await labelValues(query.selector, query.label);
      const expected = file.dashboard.uid === 'otel-prom-bridge-self' ? [SCRAPE_JOB] : ['e2e-shop/checkout', 'e2e-shop/frontend'];
      assert.deepEqual(jobs, expected, file.file);
    }
  });

  for (const file of dashboards) {
    it(`${file.file}: every panel's every query returns data`, async (t: TestContext) => {
      assert.ok(prometheus);
      const panels = allPanels(file.dashboard);
      const failures: string[] = [];
      let queries = 0;
      const choices = await variableChoices(file);
      for (const values of choices) {
        for (const panel of panels) {
          for (const target of panel.targets ?? []) {
            const expr = substitute(target.expr, values);
            queries++;
            let data: QueryData;
            try {
              data = await prometheus.query(expr);
            } catch (error) {
              failures.push(`"${panel.title}" ${target.refId} (job ${values.job}): ${error instanceof Error ? error.message : String(error)}`);
              continue;
            }
            if (NOT_SENT_BY_THE_DEMO.some((metric) => expr.includes(metric))) continue;
            const numbers = data.resultType === 'vector' ? data.result.map((sample) => Number(sample.value[1])) : data.resultType === 'scalar' ? [Number(data.result[1])] : [];
            if (!numbers.some((value) => !Number.isNaN(value))) {
              failures.push(`"${panel.title}" ${target.refId} (job ${values.job}): ${numbers.length === 0 ? 'no data' : 'only NaN'} for ${expr}`);
            }
          }
        }
      }
      t.diagnostic(`${file.file}: ${panels.length} panels, ${queries} queries over ${choices.length} variable selections`);
      assert.deepEqual(failures, []);
    });
  }

  it('the demo services stop on SIGTERM with exit code 0, pushing a last time', async () => {
    for (const demo of demos.splice(0)) assert.equal(await stopChild(demo), 0, demo.output());
  });
});

/** One gauge with NOISE_POINTS distinct series, from a resource of its own: past MAX_SERIES. */
function noiseRequest(): string {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  const dataPoints = Array.from({ length: NOISE_POINTS }, (_, i) => ({ timeUnixNano: now, asInt: '1', attributes: [{ key: 'user.id', value: { stringValue: `user-${i}` } }] }));
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'noisy' } }] },
        scopeMetrics: [{ scope: { name: 'noisy' }, metrics: [{ name: 'noisy.gauge', gauge: { dataPoints } }] }],
      },
    ],
  });
}
