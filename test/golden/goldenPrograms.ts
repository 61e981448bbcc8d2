/**
 * Programs that record metrics through a real `MeterProvider` into our `PrometheusExporter`, for
 * the golden exposition tests. Everything they record is fixed (values, attributes, resources),
 * so each render is the same on every machine: no resource detection, no timestamps, no clocks.
 *
 * Resources come from `resourceFromAttributes` alone. sdk-metrics 3.x uses the resource it is
 * given as it is (it falls back to `defaultResource()` only without one); older SDKs merged the
 * default resource in. So that no SDK's version can leak into a golden file either way, every
 * resource pins the `telemetry.sdk.*` attributes itself (ours override the defaults in a merge).
 */
import { type Attributes, type Meter, type ObservableResult } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, type ExporterConfig, type Logger } from '../../src/index.ts';

/** One program's run: an exporter per golden output, and what they logged. */
export interface GoldenRecording {
  /** The exporter to render for each output name of the program. */
  readonly exporters: ReadonlyMap<string, PrometheusExporter>;
  /** Warnings the exporters logged (drops and the like), in order. */
  readonly warnings: readonly string[];
  shutdown(): Promise<void>;
}

export interface GoldenProgram {
  readonly name: string;
  /** What the program covers, for the test names. */
  readonly about: string;
  /** The golden outputs it records: `test/golden/<output>.prom` and `<output>.om.txt`. */
  readonly outputs: readonly string[];
  record(): GoldenRecording;
}

/** The `telemetry.sdk.*` attributes every resource pins (see the file comment). */
const PINNED_SDK_ATTRIBUTES = {
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': 'pinned-for-golden-tests',
} as const;

/** Hostile to every escaping rule: backslash, double quote and newline, twice. */
const HOSTILE = 'C:\\carts\\"gift"\nwrap \\n"';
const HOSTILE_DESCRIPTION = 'Requests served, by "route" and C:\\status\\class.\nA second line, with a literal \\n.';

const HTTP_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';

/** Logs into an array instead of OpenTelemetry's global `diag`. */
function collectingLogger(warnings: string[]): Logger {
  return { warn: (message) => warnings.push(message), debug: () => undefined };
}

interface Wiring {
  readonly provider: MeterProvider;
  readonly exporter: PrometheusExporter;
}

function wire(attributes: Attributes, config: ExporterConfig, warnings: string[], views: ViewOptions[] = []): Wiring {
  const exporter = new PrometheusExporter({ ...config, preventServerStart: true, logger: collectingLogger(warnings) });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ ...PINNED_SDK_ATTRIBUTES, ...attributes }),
    readers: [exporter],
    views,
  });
  return { provider, exporter };
}

function recording(outputs: Record<string, Wiring>, warnings: string[]): GoldenRecording {
  const wirings = Object.values(outputs);
  return {
    exporters: new Map(Object.entries(outputs).map(([name, { exporter }]) => [name, exporter])),
    warnings,
    async shutdown() {
      await Promise.all(wirings.map(({ provider }) => provider.shutdown()));
    },
  };
}

function observe(result: ObservableResult, points: readonly (readonly [number, Attributes?])[]): void {
  for (const [value, attributes] of points) result.observe(value, attributes);
}

// ---------------------------------------------------------------------------------------------
// Two services, two resources, two MeterProviders and two exporters alive at once: each golden
// must hold its own provider's data only.
// ---------------------------------------------------------------------------------------------

const EXPONENTIAL_VIEWS: ViewOptions[] = [
  { instrumentName: 'db.client.operation.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
  { instrumentName: 'db.client.response.returned_rows', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
];

/** The checkout service: every instrument kind, MAPPING's units, label rules, escaping, three scopes. */
function recordCheckout(meterOf: (name: string, version?: string, schemaUrl?: string) => Meter): void {
  const http = meterOf('shop.checkout.http', '1.4.0', HTTP_SCHEMA_URL);
  // Counter, unit {request}: the annotation adds nothing; HELP with every character to escape.
  const requests = http.createCounter('http.server.requests', { unit: '{request}', description: HOSTILE_DESCRIPTION });
  requests.add(3, { 'http.request.method': 'GET', 'http.route': '/cart', 'http.response.status_code': 200 });
  requests.add(1, { 'http.request.method': 'POST', 'http.route': '/cart', 'http.response.status_code': 503 });
  requests.add(2, { 'http.request.method': 'GET', 'http.route': HOSTILE, 'http.response.status_code': 404 });
  // Histogram with explicit boundaries, unit s; one value above the last boundary, one on a boundary.
  const duration = http.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.005, 0.05, 0.5, 5] },
  });
  for (const value of [0.003, 0.02, 0.05, 0.04, 0.7, 12]) duration.record(value, { 'http.request.method': 'GET' });
  duration.record(0.3, { 'http.request.method': 'POST' });
  // UpDownCounter, unit {request}: a gauge without suffix.
  const active = http.createUpDownCounter('http.server.active_requests', { unit: '{request}', description: 'In-flight requests.' });
  active.add(5, { 'http.request.method': 'GET' });
  active.add(-2, { 'http.request.method': 'GET' });
  // Counter, unit 1: no suffix but _total. Keys that collide after sanitizing, non-string values.
  const added = http.createCounter('cart.items.added', { unit: '1', description: 'Items added to carts.' });
  added.add(7, { a_b: 'underscore', 'a.b': 'dot', 'x.y': 'first', x_y: 'second' });
  added.add(2, { retry: 3, ratio: 0.25, cached: true, tags: ['gift', 'wrap "x"'], '0foo': 'digit', _foo: 'underscore' });
  // The same instrument name in two scopes (different HELP): one family, a series per scope.
  http.createCounter('shop.errors', { description: 'Errors seen by the HTTP layer.' }).add(4, { kind: 'timeout' });

  const db = meterOf('shop.checkout.db', '0.9.1');
  // Histograms with the exponential aggregation (by View), unit ms and {row}.
  const operation = db.createHistogram('db.client.operation.duration', { unit: 'ms', description: 'Duration of database operations.' });
  for (const value of [1, 2, 3, 5, 8, 13, 21, 34]) operation.record(value, { 'db.operation.name': 'SELECT' });
  // Many distinct values: more buckets than the 40 the text formats keep (downscaled), and zeros
  // (the zero bucket becomes `le="0"`).
  const rows = db.createHistogram('db.client.response.returned_rows', { unit: '{row}', description: 'Rows returned per query.' });
  for (let value = 1; value <= 200; value++) rows.record(value);
  rows.record(0);
  rows.record(0);
  // ObservableUpDownCounter: a gauge.
  db.createObservableUpDownCounter('db.client.connection.count', { unit: '{connection}', description: 'Open connections by state.' }).addCallback(
    (result) => observe(result, [[4, { 'db.client.connection.state': 'idle' }], [2, { 'db.client.connection.state': 'used' }]]),
  );
  db.createCounter('shop.errors', { description: 'Errors seen by the database layer.' }).add(1, { kind: 'timeout' });

  const runtime = meterOf('shop.checkout.runtime');
  // Gauge, unit 1: `_ratio`.
  runtime.createGauge('process.cpu.utilization', { unit: '1', description: 'CPU utilization.' }).record(0.42);
  // ObservableGauge, unit %: `_percent`.
  runtime.createObservableGauge('system.filesystem.utilization', { unit: '%', description: 'Filesystem utilization.' }).addCallback((result) =>
    observe(result, [[73.5, { 'system.filesystem.mountpoint': '/' }]]),
  );
  // ObservableCounter, unit By: `_bytes_total`.
  runtime.createObservableCounter('system.network.io', { unit: 'By', description: 'Bytes moved.' }).addCallback((result) =>
    observe(result, [[1048576, { 'network.io.direction': 'receive' }], [524288, { 'network.io.direction': 'transmit' }]]),
  );
  // ObservableGauge, unit By/s: `_bytes_per_second`.
  runtime.createObservableGauge('system.network.throughput', { unit: 'By/s', description: 'Current throughput.' }).addCallback((result) =>
    observe(result, [[2048.5]]),
  );
  // Values written as Prometheus writes floats.
  runtime.createObservableGauge('runtime.special.values', { description: 'NaN, infinities, tiny and huge values.' }).addCallback((result) =>
    observe(result, [
      [NaN, { case: 'nan' }],
      [Infinity, { case: 'positive_infinity' }],
      [-Infinity, { case: 'negative_infinity' }],
      [1.5e-7, { case: 'tiny' }],
      [1e21, { case: 'huge' }],
      [-0.5, { case: 'negative' }],
    ]),
  );
  // Names that already carry their suffixes keep them once.
  runtime.createCounter('requests_total', { description: 'Already ends in _total.' }).add(9);
  const response = runtime.createHistogram('response_time_seconds', { unit: 's', description: 'Already ends in its unit.', advice: { explicitBucketBoundaries: [1] } });
  response.record(0.5);
  // An unknown unit is sanitized and appended.
  runtime.createGauge('custom.metric', { unit: 'custom_unit', description: 'A unit MAPPING does not know.' }).record(5);
}

/** The inventory service: same instrument names as checkout, other values and resource. */
function recordInventory(meterOf: (name: string, version?: string, schemaUrl?: string) => Meter): void {
  const meter = meterOf('shop.inventory', '3.0.0', 'https://opentelemetry.io/schemas/1.24.0');
  meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served.' }).add(11, { 'http.route': '/stock' });
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.1, 1] },
  });
  duration.record(0.25, { 'http.route': '/stock' });
  meter.createObservableGauge('inventory.stock.level', { unit: '{item}', description: 'Items in stock.' }).addCallback((result) =>
    observe(result, [[12, { sku: 'A-1' }], [0, { sku: 'B-2' }]]),
  );
}

const twoServices: GoldenProgram = {
  name: 'two services',
  about: 'two resources, two MeterProviders, two exporters; every instrument kind, units, labels, escaping, scopes',
  outputs: ['service-checkout', 'service-inventory'],
  record() {
    const warnings: string[] = [];
    const checkout = wire(
      {
        'service.name': 'checkout',
        'service.namespace': 'shop',
        'service.instance.id': 'checkout-1',
        'service.version': '2.3.1',
        'deployment.environment.name': 'golden',
        'host.note': HOSTILE,
      },
      {},
      warnings,
      EXPONENTIAL_VIEWS,
    );
    const inventory = wire(
      { 'service.name': 'inventory', 'service.instance.id': 'inventory-7', 'cloud.region': 'eu-west-1', 'replica.count': 3 },
      {},
      warnings,
    );
    recordCheckout((name, version, schemaUrl) => checkout.provider.getMeter(name, version, { schemaUrl }));
    recordInventory((name, version, schemaUrl) => inventory.provider.getMeter(name, version, { schemaUrl }));
    return recording({ 'service-checkout': checkout, 'service-inventory': inventory }, warnings);
  },
};

// ---------------------------------------------------------------------------------------------
// Options of the drop-in contract.
// ---------------------------------------------------------------------------------------------

const prefixAndResourceLabels: GoldenProgram = {
  name: 'prefix and resource labels',
  about: "prefix: 'otel' and withResourceConstantLabels: /service\\.name/",
  outputs: ['prefix-resource-labels'],
  record() {
    const warnings: string[] = [];
    const billing = wire(
      // `/service\.name/` also matches `service.namespace`: a regex, not a key.
      { 'service.name': 'billing', 'service.namespace': 'shop', 'service.instance.id': 'billing-0', 'k8s.pod.name': 'billing-0-abc' },
      { prefix: 'otel', withResourceConstantLabels: /service\.name/ },
      warnings,
    );
    const meter = billing.provider.getMeter('shop.billing', '1.0.0');
    meter.createCounter('payments', { unit: '{payment}', description: 'Payments taken.' }).add(5, { currency: 'EUR' });
    meter.createCounter('123_requests', { description: 'A name that starts with a digit.' }).add(1);
    const latency = meter.createHistogram('payment.duration', { unit: 'ms', description: 'Payment latency.', advice: { explicitBucketBoundaries: [10, 100] } });
    latency.record(42, { currency: 'EUR' });
    meter.createObservableGauge('queue.utilization', { unit: '1', description: 'Queue fill level.' }).addCallback((result) => observe(result, [[0.5]]));
    // A point attribute named like a promoted resource attribute.
    meter.createUpDownCounter('sessions', { unit: '{session}', description: 'Open sessions.' }).add(2, { 'service.name': 'billing-worker' });
    return recording({ 'prefix-resource-labels': billing }, warnings);
  },
};

const withoutScopeAndTargetInfo: GoldenProgram = {
  name: 'without scope and target info',
  about: 'withoutScopeInfo: true, withoutTargetInfo: true',
  outputs: ['without-scope-target-info'],
  record() {
    const warnings: string[] = [];
    const search = wire(
      { 'service.name': 'search', 'service.instance.id': 'search-2' },
      { withoutScopeInfo: true, withoutTargetInfo: true },
      warnings,
    );
    const api = search.provider.getMeter('shop.search.api', '2.0.0', { schemaUrl: HTTP_SCHEMA_URL });
    api.createCounter('search.queries', { unit: '{query}', description: 'Queries answered.' }).add(8, { 'search.index': 'products' });
    const latency = api.createHistogram('search.duration', { unit: 's', description: 'Query latency.', advice: { explicitBucketBoundaries: [0.01, 0.1] } });
    latency.record(0.02, { 'search.index': 'products' });
    const index = search.provider.getMeter('shop.search.index');
    index.createObservableUpDownCounter('search.index.size', { unit: 'By', description: 'Index size.' }).addCallback((result) =>
      observe(result, [[4096, { 'search.index': 'products' }]]),
    );
    return recording({ 'without-scope-target-info': search }, warnings);
  },
};

// ---------------------------------------------------------------------------------------------
// MAPPING's conflict rules.
// ---------------------------------------------------------------------------------------------

const conflicts: GoldenProgram = {
  name: 'conflicts',
  about: 'one Prometheus name for metrics of different types, HELP and UNIT',
  outputs: ['conflicts'],
  record() {
    const warnings: string[] = [];
    const app = wire({ 'service.name': 'conflicts' }, {}, warnings);
    const first = app.provider.getMeter('shop.conflicts.first', '1.0.0');
    const second = app.provider.getMeter('shop.conflicts.second', '1.0.0');
    // Different types, one name: the first (the histogram) wins; the gauge is dropped and counted.
    first.createHistogram('payload.size', { unit: 'By', description: 'Payload sizes.', advice: { explicitBucketBoundaries: [100] } }).record(50);
    second.createGauge('payload.size', { unit: 'By', description: 'The last payload size.' }).record(70);
    // Different HELP, one name and type: one family, both series, the first HELP.
    first.createUpDownCounter('queue.depth', { unit: '{item}', description: 'Queue depth (first).' }).add(3);
    second.createObservableGauge('queue.depth', { unit: '{item}', description: 'Queue depth (second).' }).addCallback((result) => observe(result, [[4]]));
    // Different UNIT, one name and type: `temperature` + Cel and `temperature.celsius` without a unit.
    first.createGauge('temperature', { unit: 'Cel', description: 'Temperature.' }).record(21.5);
    second.createGauge('temperature.celsius', { description: 'Temperature, unit in the name.' }).record(22.5);
    return recording({ conflicts: app }, warnings);
  },
};

// ---------------------------------------------------------------------------------------------
// Instruments without a description: every family still gets a HELP line (the fallback).
// ---------------------------------------------------------------------------------------------

const withoutDescriptions: GoldenProgram = {
  name: 'without descriptions',
  about: 'no instrument has a description: HELP from the name, kind and unit; a description later wins',
  outputs: ['without-descriptions'],
  record() {
    const warnings: string[] = [];
    const app = wire({ 'service.name': 'undocumented' }, {}, warnings, [
      { instrumentName: 'rpc.server.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ]);
    const meter = app.provider.getMeter('shop.undocumented', '0.1.0');
    meter.createCounter('http.server.requests', { unit: '{request}' }).add(3, { 'http.route': '/cart' });
    meter.createUpDownCounter('queue.size').add(2);
    meter.createGauge('pool.usage', { unit: '1' }).record(0.25);
    meter.createHistogram('http.server.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } }).record(42);
    meter.createHistogram('rpc.server.duration', { unit: 's' }).record(0.5);
    meter.createObservableCounter('system.network.io', { unit: 'By' }).addCallback((result) => observe(result, [[2048]]));
    // One family from two scopes, the first without a description: the description is its HELP.
    meter.createCounter('jobs.done').add(1);
    app.provider.getMeter('shop.documented', '0.1.0').createCounter('jobs.done', { description: 'Jobs finished.' }).add(2);
    return recording({ 'without-descriptions': app }, warnings);
  },
};

export const GOLDEN_PROGRAMS: readonly GoldenProgram[] = [twoServices, prefixAndResourceLabels, withoutScopeAndTargetInfo, conflicts, withoutDescriptions];

