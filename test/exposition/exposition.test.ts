import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RenderOptions } from '../../src/exposition/expositionFormat.ts';
import { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics } from '../../src/exposition/openmetrics/openMetricsFormat.ts';
import { renderExposition } from '../../src/exposition/renderExposition.ts';
import { renderText, TEXT_CONTENT_TYPE } from '../../src/exposition/text/textFormat.ts';
import { DropCounter, type DropReason } from '../../src/model/dropCounter.ts';
import type { Family } from '../../src/model/family.ts';
import type {
  Attributes,
  Exemplar,
  InstrumentationScope,
  NumberPoint,
  OtelMetric,
  ResourceMetrics,
} from '../../src/otelData/otelData.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import type { TranslationSettings } from '../../src/translate/metricTranslator.ts';
import { TranslationStrategy } from '../../src/translate/translationStrategy.ts';

// ---------------------------------------------------------------------------------------------
// Hand-made OpenTelemetry data and a store to translate it.

const T = 1_700_000_000_123;

const PLAIN: TranslationSettings = {
  translationStrategy: TranslationStrategy.UnderscoreEscapingWithSuffixes,
  namespace: '',
  scopeLabels: false,
  targetInfo: false,
  jobAndInstance: false,
  promoteResourceAttributes: undefined,
  labelNamePreserveMultipleUnderscores: true,
  labelNameUnderscoreSanitization: true,
};

function resourceMetrics(metrics: readonly OtelMetric[], resource: Attributes = {}, scope: InstrumentationScope = { name: 'test' }): ResourceMetrics {
  return { resource: { attributes: resource }, scopeMetrics: [{ scope, metrics }] };
}

function num(value: number, attributes: Attributes = {}, extra: Partial<NumberPoint> = {}): NumberPoint {
  return { attributes, timeMs: T, startTimeMs: T - 60_000, value, ...extra };
}

function counter(name: string, points: readonly NumberPoint[], unit = '', description = ''): OtelMetric {
  return { kind: 'sum', monotonic: true, temporality: 'cumulative', name, unit, description, points };
}

function gauge(name: string, points: readonly NumberPoint[], unit = '', description = ''): OtelMetric {
  return { kind: 'gauge', name, unit, description, points };
}

interface Translated {
  readonly store: SeriesStore;
  readonly drops: DropCounter;
  readonly families: Family[];
}

/** Applies each batch in turn, as successive collections or OTLP requests would. */
function translate(batches: readonly ResourceMetrics[], settings: Partial<TranslationSettings> = {}): Translated {
  const drops = new DropCounter();
  const store = new SeriesStore({ ...PLAIN, ...settings }, drops);
  for (const batch of batches) store.apply(batch);
  return { store, drops, families: store.families() };
}

function dropCounts(drops: DropCounter): Partial<Record<DropReason, number>> {
  return Object.fromEntries(drops.counts());
}

// ---------------------------------------------------------------------------------------------
// The two text formats; every output test runs once per format.

interface Format {
  readonly name: string;
  readonly openMetrics: boolean;
  render(families: Iterable<Family>, options?: RenderOptions): string;
}

const FORMATS: readonly Format[] = [
  { name: 'Prometheus text 0.0.4', openMetrics: false, render: renderText },
  { name: 'OpenMetrics 1.0.0', openMetrics: true, render: renderOpenMetrics },
];

/**
 * The whole exposition: the lines, then `# EOF` in OpenMetrics. `helps`: HELP texts by family name
 * (OpenMetrics' name, so `c` for the counter `c_total`), each written where the format puts it
 * (text: before `# TYPE`; OpenMetrics: after `# TYPE` and `# UNIT`).
 */
function exposition(format: Format, lines: readonly string[], helps: Readonly<Record<string, string>> = {}): string {
  const withHelp: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const name = /^# TYPE (\S+) /.exec(line)?.[1];
    const help = name === undefined ? undefined : (helps[name] ?? helps[name.replace(/_total$/, '')]);
    if (name === undefined || help === undefined) {
      withHelp.push(line);
    } else if (!format.openMetrics) {
      withHelp.push(`# HELP ${name} ${help}`, line);
    } else {
      withHelp.push(line);
      if (lines[i + 1]?.startsWith(`# UNIT ${name} `)) withHelp.push(lines[++i]!);
      withHelp.push(`# HELP ${name} ${help}`);
    }
  }
  const body = withHelp.length === 0 ? '' : `${withHelp.join('\n')}\n`;
  return format.openMetrics ? `${body}# EOF\n` : body;
}

/** The HELP the bridge writes for a metric without a description (src/translate/familyHelp.ts), spelled out. */
const NO_DESCRIPTION = 'no description given';
const GAUGE_G = { g: `g (OpenTelemetry gauge; ${NO_DESCRIPTION})` };
const HISTOGRAM_H = { h: `h (OpenTelemetry histogram; ${NO_DESCRIPTION})` };

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const EXEMPLAR: Exemplar = { value: 3, timeMs: T, traceId: TRACE_ID, spanId: SPAN_ID };
const EXEMPLAR_TEXT = `# {trace_id="${TRACE_ID}",span_id="${SPAN_ID}"} 3 1700000000.123`;

for (const format of FORMATS) {
  const om = format.openMetrics;

  describe(`exposition, ${format.name}`, () => {
    describe('Types: "Sum, monotonic, cumulative → counter <name>_total"', () => {
      it(om ? 'OpenMetrics: "counters as family foo with sample foo_total"' : 'text: the family is named foo_total', () => {
        const { families } = translate([resourceMetrics([counter('http.server.requests', [num(5, { method: 'GET' })], '{request}', 'Requests served.')])]);
        const want = om
          ? ['# TYPE http_server_requests counter', '# HELP http_server_requests Requests served.', 'http_server_requests_total{method="GET"} 5']
          : ['# HELP http_server_requests_total Requests served.', '# TYPE http_server_requests_total counter', 'http_server_requests_total{method="GET"} 5'];
        assert.equal(format.render(families), exposition(format, want));
      });

      it('a counter with a unit: the unit goes before _total', () => {
        const { families } = translate([resourceMetrics([counter('process.cpu.time', [num(1.5)], 's')])]);
        const want = om
          ? ['# TYPE process_cpu_time_seconds counter', '# UNIT process_cpu_time_seconds seconds', 'process_cpu_time_seconds_total 1.5']
          : ['# TYPE process_cpu_time_seconds_total counter', 'process_cpu_time_seconds_total 1.5'];
        assert.equal(format.render(families), exposition(format, want, { process_cpu_time_seconds: `process.cpu.time (OpenTelemetry monotonic sum, unit s; ${NO_DESCRIPTION})` }));
      });

      it('"Sum, non-monotonic → gauge" and "Gauge → gauge"', () => {
        const { families } = translate([
          resourceMetrics([
            { kind: 'sum', monotonic: false, temporality: 'cumulative', name: 'queue.depth', unit: '', description: '', points: [num(-3)] },
            gauge('temperature', [num(21.5)], 'Cel'),
          ]),
        ]);
        const want = om
          ? ['# TYPE queue_depth gauge', 'queue_depth -3', '# TYPE temperature_celsius gauge', '# UNIT temperature_celsius celsius', 'temperature_celsius 21.5']
          : ['# TYPE queue_depth gauge', 'queue_depth -3', '# TYPE temperature_celsius gauge', 'temperature_celsius 21.5'];
        assert.equal(format.render(families), exposition(format, want, { queue_depth: `queue.depth (OpenTelemetry non-monotonic sum; ${NO_DESCRIPTION})`, temperature_celsius: `temperature (OpenTelemetry gauge, unit Cel; ${NO_DESCRIPTION})` }));
      });
    });

    describe('"OpenMetrics adds # UNIT", only where the name ends in the unit', () => {
      const rows: readonly { rule: string; metric: OtelMetric; settings?: Partial<TranslationSettings>; family: string; unit: string | undefined }[] = [
        { rule: 'gauge `s` → `_seconds`', metric: gauge('uptime', [num(1)], 's'), family: 'uptime_seconds', unit: 'seconds' },
        { rule: 'gauge `1` → `_ratio`', metric: gauge('cpu.usage', [num(0.5)], '1'), family: 'cpu_usage_ratio', unit: 'ratio' },
        { rule: 'gauge `By/s` → `_bytes_per_second`', metric: gauge('throughput', [num(1)], 'By/s'), family: 'throughput_bytes_per_second', unit: 'bytes_per_second' },
        { rule: 'counter `By`: the family without _total ends in the unit', metric: counter('io', [num(1)], 'By'), family: 'io_bytes', unit: 'bytes' },
        { rule: 'counter `1` adds nothing: no unit', metric: counter('items', [num(1)], '1'), family: 'items', unit: undefined },
        {
          rule: 'a non-monotonic sum with `1` gets no _ratio (only OTel gauges do, as in Prometheus): no unit',
          metric: { kind: 'sum', monotonic: false, temporality: 'cumulative', name: 'fill', unit: '1', description: '', points: [num(0.5)] },
          family: 'fill',
          unit: undefined,
        },
        { rule: 'annotation `{request}` adds nothing: no unit', metric: gauge('queue', [num(1)], '{request}'), family: 'queue', unit: undefined },
        { rule: 'no unit: no # UNIT', metric: gauge('plain', [num(1)]), family: 'plain', unit: undefined },
        {
          rule: 'without suffixes the name does not end in the unit: no # UNIT',
          metric: gauge('uptime', [num(1)], 's'),
          settings: { translationStrategy: TranslationStrategy.UnderscoreEscapingWithoutSuffixes },
          family: 'uptime',
          unit: undefined,
        },
      ];
      for (const { rule, metric, settings, family, unit } of rows) {
        it(`${rule}${om ? '' : ' (text has no # UNIT)'}`, () => {
          const out = format.render(translate([resourceMetrics([metric])], settings).families);
          const unitLines = out.split('\n').filter((line) => line.startsWith('# UNIT'));
          assert.deepEqual(unitLines, om && unit !== undefined ? [`# UNIT ${family} ${unit}`] : []);
          const textSuffix = !om && metric.kind === 'sum' && metric.monotonic ? '_total' : '';
          assert.ok(out.includes(`# TYPE ${family}${textSuffix} `), out);
        });
      }
    });

    describe('"ends with # EOF" (OpenMetrics only)', () => {
      it(om ? 'an empty exposition is `# EOF`' : 'an empty exposition is empty', () => {
        assert.equal(format.render([]), om ? '# EOF\n' : '');
      });
      it(om ? '`# EOF` is the last line, once' : 'no `# EOF`', () => {
        const out = format.render(translate([resourceMetrics([gauge('a', [num(1)]), gauge('b', [num(2)])])]).families);
        assert.equal(out.split('\n').filter((line) => line === '# EOF').length, om ? 1 : 0);
        if (om) assert.ok(out.endsWith('\nb 2\n# EOF\n'), out);
      });
    });

    describe('"HELP comes from the description"; 4. "HELP escapes \\ and newline (OpenMetrics also ")"', () => {
      it('escapes the HELP text', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)], '', 'Path C:\\tmp\nis "quoted"')])]);
        const help = om ? '# HELP g Path C:\\\\tmp\\nis \\"quoted\\"' : '# HELP g Path C:\\\\tmp\\nis "quoted"';
        assert.ok(format.render(families).split('\n').includes(help), format.render(families));
      });
      it('no description: a HELP line all the same, from the OpenTelemetry name, kind and unit (promtool wants one)', () => {
        const { families } = translate([resourceMetrics([gauge('pool.usage', [num(1)], '1')])]);
        const helps = format.render(families).split('\n').filter((line) => line.startsWith('# HELP'));
        assert.deepEqual(helps, ['# HELP pool_usage_ratio pool.usage (OpenTelemetry gauge, unit 1; no description given)']);
      });
    });

    describe('4. "Label values escape \\, " and newline"', () => {
      it('escapes label values', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1, { path: 'C:\\dir "x"\nnext' })])])]);
        assert.ok(format.render(families).includes('g{path="C:\\\\dir \\"x\\"\\nnext"} 1\n'));
      });
    });

    describe('"Values: NaN, +Inf, -Inf spelled so"', () => {
      it('writes NaN, +Inf and -Inf', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(NaN, { v: 'nan' }), num(Infinity, { v: 'pinf' }), num(-Infinity, { v: 'ninf' })])])]);
        const out = format.render(families);
        for (const line of ['g{v="nan"} NaN', 'g{v="pinf"} +Inf', 'g{v="ninf"} -Inf']) assert.ok(out.split('\n').includes(line), `${line} in\n${out}`);
      });
      it('writes floats as Prometheus does (1e+06, 1.5e-05)', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1e6, { v: 'big' }), num(1.5e-5, { v: 'small' })])])]);
        const out = format.render(families);
        for (const line of ['g{v="big"} 1e+06', 'g{v="small"} 1.5e-05']) assert.ok(out.split('\n').includes(line), `${line} in\n${out}`);
      });
    });

    describe('Types: "Histogram → _bucket{le=…} cumulative and ascending, le="+Inf" equal to _count, then _sum, _count"', () => {
      it('writes cumulative ascending buckets, +Inf = _count, _sum and _count', () => {
        const metric: OtelMetric = {
          kind: 'histogram',
          temporality: 'cumulative',
          name: 'http.server.request.duration',
          unit: 's',
          description: '',
          points: [{ attributes: { method: 'GET' }, timeMs: T, count: 6, sum: 12.5, bounds: [0.005, 0.01, 1, 1e6], counts: [1, 2, 0, 0, 3] }],
        };
        const { families } = translate([resourceMetrics([metric])]);
        const name = 'http_server_request_duration_seconds';
        const want = [
          `# TYPE ${name} histogram`,
          ...(om ? [`# UNIT ${name} seconds`] : []),
          `${name}_bucket{method="GET",le="0.005"} 1`,
          `${name}_bucket{method="GET",le="0.01"} 3`,
          `${name}_bucket{method="GET",le="1"} 3`,
          `${name}_bucket{method="GET",le="1e+06"} 3`,
          `${name}_bucket{method="GET",le="+Inf"} 6`,
          `${name}_sum{method="GET"} 12.5`,
          `${name}_count{method="GET"} 6`,
        ];
        assert.equal(format.render(families), exposition(format, want, { [name]: `http.server.request.duration (OpenTelemetry histogram, unit s; ${NO_DESCRIPTION})` }));
      });

      it('a histogram without sum writes no _sum', () => {
        const metric: OtelMetric = {
          kind: 'histogram',
          temporality: 'cumulative',
          name: 'h',
          unit: '',
          description: '',
          points: [{ attributes: {}, timeMs: T, count: 1, bounds: [1], counts: [1, 0] }],
        };
        const out = format.render(translate([resourceMetrics([metric])]).families);
        assert.equal(out, exposition(format, ['# TYPE h histogram', 'h_bucket{le="1"} 1', 'h_bucket{le="+Inf"} 1', 'h_count 1'], HISTOGRAM_H));
      });

      it('an attribute `le` cannot clash with the bucket label: dropped and counted', () => {
        const metric: OtelMetric = {
          kind: 'histogram',
          temporality: 'cumulative',
          name: 'h',
          unit: '',
          description: '',
          points: [{ attributes: { le: 'mine' }, timeMs: T, count: 1, sum: 1, bounds: [], counts: [1] }],
        };
        const { families, drops } = translate([resourceMetrics([metric])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_sum 1', 'h_count 1'], HISTOGRAM_H));
        assert.deepEqual(dropCounts(drops), { reserved_label_name: 1 });
      });
    });

    describe('Types: "Exponential histogram → in text formats converted to classic buckets ... never dropped silently"', () => {
      it('writes classic buckets at the exponential boundaries', () => {
        const metric: OtelMetric = {
          kind: 'exponentialHistogram',
          temporality: 'cumulative',
          name: 'request.size',
          unit: 'By',
          description: '',
          points: [
            {
              attributes: {},
              timeMs: T,
              count: 4,
              sum: 9,
              scale: 0,
              zeroCount: 1,
              zeroThreshold: 0,
              positive: { offset: 0, counts: [1, 2] },
              negative: { offset: 0, counts: [] },
            },
          ],
        };
        const { families, drops } = translate([resourceMetrics([metric])]);
        const want = [
          '# TYPE request_size_bytes histogram',
          ...(om ? ['# UNIT request_size_bytes bytes'] : []),
          'request_size_bytes_bucket{le="0"} 1',
          'request_size_bytes_bucket{le="2"} 2',
          'request_size_bytes_bucket{le="4"} 4',
          'request_size_bytes_bucket{le="+Inf"} 4',
          'request_size_bytes_sum 9',
          'request_size_bytes_count 4',
        ];
        assert.equal(format.render(families), exposition(format, want, { request_size_bytes: `request.size (OpenTelemetry exponential histogram, unit By; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), {});
      });

      it('downscales to at most maxExponentialBuckets buckets', () => {
        const metric: OtelMetric = {
          kind: 'exponentialHistogram',
          temporality: 'cumulative',
          name: 'e',
          unit: '',
          description: '',
          points: [
            {
              attributes: {},
              timeMs: T,
              count: 100,
              sum: 1,
              scale: 4,
              zeroCount: 0,
              zeroThreshold: 0,
              positive: { offset: 0, counts: new Array<number>(100).fill(1) },
              negative: { offset: 0, counts: [] },
            },
          ],
        };
        const out = format.render(translate([resourceMetrics([metric])]).families, { maxExponentialBuckets: 5 });
        const buckets = out.split('\n').filter((line) => line.startsWith('e_bucket'));
        assert.ok(buckets.length <= 6, `at most 5 buckets plus +Inf:\n${out}`);
        assert.equal(buckets.at(-1), 'e_bucket{le="+Inf"} 100');
        assert.ok(out.includes('\ne_count 100\n'));
      });
    });

    describe('Types: "Summary → {quantile="0.5"} etc., _sum, _count"', () => {
      it('writes quantiles, _sum and _count', () => {
        const metric: OtelMetric = {
          kind: 'summary',
          name: 'rpc.duration',
          unit: 'ms',
          description: 'RPC latency.',
          points: [
            {
              attributes: { service: 'a' },
              timeMs: T,
              count: 10,
              sum: 42.5,
              quantiles: [
                { quantile: 0, value: 0.5 },
                { quantile: 0.5, value: 1.5 },
                { quantile: 0.99, value: 9 },
                { quantile: 1, value: 12 },
              ],
            },
          ],
        };
        const { families } = translate([resourceMetrics([metric])]);
        const name = 'rpc_duration_milliseconds';
        const header = om
          ? [`# TYPE ${name} summary`, `# UNIT ${name} milliseconds`, `# HELP ${name} RPC latency.`]
          : [`# HELP ${name} RPC latency.`, `# TYPE ${name} summary`];
        const want = [
          ...header,
          `${name}{service="a",quantile="0"} 0.5`,
          `${name}{service="a",quantile="0.5"} 1.5`,
          `${name}{service="a",quantile="0.99"} 9`,
          `${name}{service="a",quantile="1"} 12`,
          `${name}_sum{service="a"} 42.5`,
          `${name}_count{service="a"} 10`,
        ];
        assert.equal(format.render(families), exposition(format, want));
      });
    });

    describe('"exemplars # {trace_id="…",span_id="…"} value ts on _total and _bucket lines" (OpenMetrics only)', () => {
      it(om ? 'a counter sample carries its exemplar' : 'text carries no exemplars', () => {
        const { families } = translate([resourceMetrics([counter('c', [num(5, {}, { exemplars: [EXEMPLAR] })])])]);
        assert.equal(format.render(families), exposition(format, om ? ['# TYPE c counter', `c_total 5 ${EXEMPLAR_TEXT}`] : ['# TYPE c_total counter', 'c_total 5'], { c: `c (OpenTelemetry monotonic sum; ${NO_DESCRIPTION})` }));
      });

      it(om ? 'each _bucket line carries the exemplar that falls in it' : 'text carries no bucket exemplars', () => {
        const metric: OtelMetric = {
          kind: 'histogram',
          temporality: 'cumulative',
          name: 'h',
          unit: '',
          description: '',
          points: [
            {
              attributes: {},
              timeMs: T,
              count: 3,
              sum: 12,
              bounds: [1, 5],
              counts: [1, 1, 1],
              exemplars: [
                { value: 0.5, traceId: TRACE_ID, spanId: SPAN_ID },
                { value: 9, timeMs: T, traceId: TRACE_ID, spanId: SPAN_ID },
              ],
            },
          ],
        };
        const { families } = translate([resourceMetrics([metric])]);
        const exemplar = (text: string): string => (om ? ` # {trace_id="${TRACE_ID}",span_id="${SPAN_ID}"} ${text}` : '');
        const want = [
          '# TYPE h histogram',
          `h_bucket{le="1"} 1${exemplar('0.5')}`,
          'h_bucket{le="5"} 2',
          `h_bucket{le="+Inf"} 3${exemplar('9 1700000000.123')}`,
          'h_sum 12',
          'h_count 3',
        ];
        assert.equal(format.render(families), exposition(format, want, HISTOGRAM_H));
      });

      it('a gauge carries no exemplar', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(5, {}, { exemplars: [EXEMPLAR] })])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g 5'], GAUGE_G));
      });

      const fits = '🙂'.repeat(128 - (8 + TRACE_ID.length) - (7 + SPAN_ID.length) - 'user'.length);
      const rows: readonly { rule: string; attributes: Attributes; want: string }[] = [
        { rule: 'exemplar labels of exactly 128 code points are kept', attributes: { user: fits }, want: `trace_id="${TRACE_ID}",span_id="${SPAN_ID}",user="${fits}"` },
        { rule: 'an attribute that would pass 128 code points is left out', attributes: { user: `${fits}!` }, want: `trace_id="${TRACE_ID}",span_id="${SPAN_ID}"` },
      ];
      for (const { rule, attributes, want } of rows) {
        it(`"label text of at most 128 code points": ${rule}`, () => {
          const { families } = translate([resourceMetrics([counter('c', [num(5, {}, { exemplars: [{ ...EXEMPLAR, attributes }] })])])]);
          const out = format.render(families);
          if (!om) {
            assert.ok(!out.includes(' # {'), out);
            return;
          }
          const line = out.split('\n').find((l) => l.startsWith('c_total'));
          assert.equal(line, `c_total 5 # {${want}} 3 1700000000.123`);
          const labelText = want.replace(/[=",]/g, '');
          assert.ok([...labelText].length <= 128);
        });
      }
    });

    describe('Conflicts: "Two metrics with one Prometheus name and different types: the first seen wins, the other is dropped ... and counted"', () => {
      it('a gauge then a histogram named `latency`: the gauge wins', () => {
        const histogram: OtelMetric = {
          kind: 'histogram',
          temporality: 'cumulative',
          name: 'latency',
          unit: '',
          description: '',
          points: [{ attributes: {}, timeMs: T, count: 1, sum: 1, bounds: [], counts: [1] }],
        };
        const { families, drops } = translate([resourceMetrics([gauge('latency', [num(7)]), histogram])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE latency gauge', 'latency 7'], { latency: `latency (OpenTelemetry gauge; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { type_conflict: 1 });
      });

      it('a counter `jobs` (→ jobs_total) then a gauge `jobs_total`: the counter wins', () => {
        const { families, drops } = translate([resourceMetrics([counter('jobs', [num(3)]), gauge('jobs_total', [num(9)])])]);
        assert.equal(format.render(families), exposition(format, [om ? '# TYPE jobs counter' : '# TYPE jobs_total counter', 'jobs_total 3'], { jobs: `jobs (OpenTelemetry monotonic sum; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { type_conflict: 1 });
      });

      it('the conflict is counted on every collection it happens in', () => {
        const batch = resourceMetrics([gauge('x_total', [num(1)]), counter('x', [num(2)])]);
        const { drops } = translate([batch, batch]);
        assert.deepEqual(dropCounts(drops), { type_conflict: 2 });
      });

      it('"Different HELP or UNIT: keep one, drop nothing"', () => {
        const { families, drops } = translate([
          resourceMetrics([gauge('http.requests', [num(1, { a: '1' })], '', 'First help.'), gauge('http_requests', [num(2, { a: '2' })], '', 'Second help.')]),
        ]);
        const out = format.render(families);
        assert.deepEqual(
          out.split('\n').filter((line) => line.startsWith('# HELP')),
          ['# HELP http_requests First help.'],
        );
        assert.ok(out.includes('http_requests{a="1"} 1\nhttp_requests{a="2"} 2\n'), out);
        assert.deepEqual(dropCounts(drops), {});
      });
    });

    describe('Conflicts: name conflicts, "No family appears twice"', () => {
      const histogram: OtelMetric = {
        kind: 'histogram',
        temporality: 'cumulative',
        name: 'foo',
        unit: '',
        description: '',
        points: [{ attributes: {}, timeMs: T, count: 2, sum: 3, bounds: [], counts: [2] }],
      };
      const fooCount = gauge('foo_count', [num(42)]);

      it('a gauge `foo_count` then a histogram `foo` (whose _count it would shadow): the gauge wins', () => {
        const { families, drops } = translate([resourceMetrics([fooCount, histogram])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE foo_count gauge', 'foo_count 42'], { foo_count: `foo_count (OpenTelemetry gauge; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { name_conflict: 1 });
      });

      it('a histogram `foo` then a gauge `foo_count`: the histogram wins', () => {
        const { families, drops } = translate([resourceMetrics([histogram, fooCount])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE foo histogram', 'foo_bucket{le="+Inf"} 2', 'foo_sum 3', 'foo_count 2'], { foo: `foo (OpenTelemetry histogram; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { name_conflict: 1 });
      });

      it('a counter `bar` (OpenMetrics family bar) then a gauge `bar`', () => {
        const { families, drops } = translate([resourceMetrics([counter('bar', [num(1)]), gauge('bar', [num(2)])])]);
        assert.equal(format.render(families), exposition(format, [om ? '# TYPE bar counter' : '# TYPE bar_total counter', 'bar_total 1'], { bar: `bar (OpenTelemetry monotonic sum; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { name_conflict: 1 });
      });

      it('one metric from two scopes is one family with a series per scope', () => {
        const batch: ResourceMetrics = {
          resource: { attributes: {} },
          scopeMetrics: [
            { scope: { name: 'lib.a' }, metrics: [gauge('shared', [num(1)])] },
            { scope: { name: 'lib.b' }, metrics: [gauge('shared', [num(2)])] },
          ],
        };
        const { families, drops } = translate([batch], { scopeLabels: true });
        const want = ['# TYPE shared gauge', 'shared{otel_scope_name="lib.a"} 1', 'shared{otel_scope_name="lib.b"} 2'];
        assert.equal(format.render(families), exposition(format, want, { shared: `shared (OpenTelemetry gauge; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), {});
      });
    });

    describe('Conflicts: "no series appears twice": duplicates are dropped and counted', () => {
      it('two points with the same attributes: the first is kept', () => {
        const { families, drops } = translate([resourceMetrics([gauge('g', [num(1, { a: 'x' }), num(2, { a: 'x' })])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g{a="x"} 1'], GAUGE_G));
        assert.deepEqual(dropCounts(drops), { duplicate_series: 1 });
      });

      it('two metrics that translate to one name with the same labels', () => {
        const { families, drops } = translate([resourceMetrics([gauge('http.requests', [num(1)]), gauge('http_requests', [num(2)])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE http_requests gauge', 'http_requests 1'], { http_requests: `http.requests (OpenTelemetry gauge; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { duplicate_series: 1 });
      });

      it('attributes that merge to the same labels (`a.b` and `a_b`)', () => {
        const { families, drops } = translate([resourceMetrics([gauge('g', [num(1, { 'a.b': 'x' }), num(2, { a_b: 'x' })])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g{a_b="x"} 1'], GAUGE_G));
        assert.deepEqual(dropCounts(drops), { duplicate_series: 1 });
      });

      it('a later collection replaces the series: not a duplicate', () => {
        const { families, drops } = translate([resourceMetrics([gauge('g', [num(1)])]), resourceMetrics([gauge('g', [num(2)])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g 2'], GAUGE_G));
        assert.deepEqual(dropCounts(drops), {});
      });
    });

    describe('drops while translating are counted', () => {
      it('1. "A name that sanitizes to nothing is dropped, logged and counted"', () => {
        const warnings: string[] = [];
        const drops = new DropCounter({ warn: (message) => warnings.push(message), debug: () => {} });
        const store = new SeriesStore(PLAIN, drops);
        store.apply(resourceMetrics([gauge('...', [num(1)]), gauge('ok', [num(2)])]));
        assert.equal(format.render(store.families()), exposition(format, ['# TYPE ok gauge', 'ok 2'], { ok: `ok (OpenTelemetry gauge; ${NO_DESCRIPTION})` }));
        assert.deepEqual(dropCounts(drops), { invalid_metric_name: 1 });
        assert.equal(warnings.length, 1);
      });

      it('Labels 1. "an empty key", or one of only underscores once escaped: the point is refused and counted, as Prometheus refuses it', () => {
        const points = [num(1, { '': 'lost', kept: 'yes' }), num(2, { ___: 'lost', kept: 'no' }), num(3, { 'ようこそ': 'lost', kept: 'never' }), num(4, { kept: 'other' })];
        const { families, drops } = translate([resourceMetrics([gauge('g', points)])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g{kept="other"} 4'], GAUGE_G));
        assert.deepEqual(dropCounts(drops), { invalid_label_name: 3 });
      });

      it('Labels 1. an empty value under such a key is no label: the point is kept', () => {
        const { families, drops } = translate([resourceMetrics([gauge('g', [num(1, { '': '', kept: 'yes' })])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g{kept="yes"} 1'], GAUGE_G));
        assert.deepEqual(dropCounts(drops), {});
      });

      it('Labels 1. with label_name_preserve_multiple_underscores off, a key of only invalid characters collapses to `_` and gets `key`', () => {
        const { families, drops } = translate([resourceMetrics([gauge('g', [num(1, { 'ようこそ': 'x' })])])], { labelNamePreserveMultipleUnderscores: false });
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g{key_="x"} 1'], GAUGE_G));
        assert.deepEqual(dropCounts(drops), {});
      });
    });

    describe('OTLP FLAG_NO_RECORDED_VALUE', () => {
      it('a point with noRecordedValue removes its series', () => {
        const { families } = translate([
          resourceMetrics([gauge('g', [num(1, { a: 'gone' }), num(2, { a: 'stays' })])]),
          resourceMetrics([gauge('g', [num(0, { a: 'gone' }, { noRecordedValue: true })])]),
        ]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g{a="stays"} 2'], GAUGE_G));
      });

      it('a family whose last series is removed writes nothing', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])]), resourceMetrics([gauge('g', [num(0, {}, { noRecordedValue: true })])])]);
        assert.equal(format.render(families), exposition(format, []));
      });
    });

    describe('appendTimestamp', () => {
      it(om ? 'OpenMetrics stamps seconds' : 'text stamps integer milliseconds', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])])]);
        assert.equal(format.render(families, { appendTimestamp: true }), exposition(format, ['# TYPE g gauge', om ? 'g 1 1700000000.123' : 'g 1 1700000000123'], GAUGE_G));
      });
      it('no timestamps by default: Prometheus stamps the scrape', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])])]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g 1'], GAUGE_G));
      });
      it('every sample line of a histogram is stamped', () => {
        const metric: OtelMetric = {
          kind: 'histogram',
          temporality: 'cumulative',
          name: 'h',
          unit: '',
          description: '',
          points: [{ attributes: {}, timeMs: T, count: 1, sum: 1, bounds: [], counts: [1] }],
        };
        const ts = om ? '1700000000.123' : '1700000000123';
        const out = format.render(translate([resourceMetrics([metric])]).families, { appendTimestamp: true });
        assert.equal(out, exposition(format, ['# TYPE h histogram', `h_bucket{le="+Inf"} 1 ${ts}`, `h_sum 1 ${ts}`, `h_count 1 ${ts}`], HISTOGRAM_H));
      });
    });

    describe('Scope: "Every series carries otel_scope_name, otel_scope_version, otel_scope_schema_url (when set) and otel_scope_<attr>"', () => {
      const scope: InstrumentationScope = { name: 'my.lib', version: '1.0.0', attributes: { 'lib.tier': 'gold' } };
      it('on every series', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1, { a: 'x' })]), counter('c', [num(2)])], {}, scope)], { scopeLabels: true });
        const labels = 'otel_scope_lib_tier="gold",otel_scope_name="my.lib",otel_scope_version="1.0.0"';
        const out = format.render(families);
        assert.ok(out.includes(`\nc_total{${labels}} 2\n`), out);
        assert.ok(out.includes(`\ng{a="x",${labels}} 1\n`), out);
      });
      it('"An option turns this off"', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])], {}, scope)], { scopeLabels: false });
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g 1'], GAUGE_G));
      });
    });

    describe('Resource', () => {
      const resource: Attributes = { 'service.namespace': 'shop', 'service.name': 'checkout', 'service.instance.id': 'pod-7', 'host.name': 'node-1' };

      it('1. sidecar: job and instance on every series, target_info (gauge, value 1, HELP "Target metadata") with the other attributes', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])], resource)], { jobAndInstance: true, targetInfo: true });
        const targetInfo = om
          ? ['# TYPE target_info gauge', '# HELP target_info Target metadata']
          : ['# HELP target_info Target metadata', '# TYPE target_info gauge'];
        const want = ['# TYPE g gauge', 'g{instance="pod-7",job="shop/checkout"} 1', ...targetInfo, 'target_info{host_name="node-1",instance="pod-7",job="shop/checkout"} 1'];
        assert.equal(format.render(families), exposition(format, want, GAUGE_G));
      });

      it('1. sidecar: target_info once per job/instance', () => {
        const other = { ...resource, 'service.instance.id': 'pod-8' };
        const { families } = translate(
          [resourceMetrics([gauge('g', [num(1)])], resource), resourceMetrics([gauge('g', [num(2)])], other), resourceMetrics([gauge('g', [num(3)])], resource)],
          { jobAndInstance: true, targetInfo: true },
        );
        const out = format.render(families);
        assert.deepEqual(
          out.split('\n').filter((line) => line.startsWith('target_info')),
          ['target_info{host_name="node-1",instance="pod-7",job="shop/checkout"} 1', 'target_info{host_name="node-1",instance="pod-8",job="shop/checkout"} 1'],
        );
      });

      it('2. in-process: no job/instance, target_info carries every resource attribute', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])], resource)], { jobAndInstance: false, targetInfo: true });
        const out = format.render(families);
        assert.ok(out.includes('\ng 1\n'), out);
        assert.ok(
          out.includes('\ntarget_info{host_name="node-1",service_instance_id="pod-7",service_name="checkout",service_namespace="shop"} 1\n'),
          out,
        );
      });

      it('3. "an allow-list or a regex of keys": `service.name` as `service_name` on every series', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)]), gauge('h', [num(2, { service_name: 'own' })])], resource)], {
          promoteResourceAttributes: { keys: ['service.name'] },
        });
        const out = format.render(families);
        assert.ok(out.includes('\ng{service_name="checkout"} 1\n'), out);
        assert.ok(out.includes('\nh{service_name="own"} 2\n'), 'a point attribute of that name is kept');
      });

      it('3. nothing copied onto series unless configured', () => {
        const { families } = translate([resourceMetrics([gauge('g', [num(1)])], resource)]);
        assert.equal(format.render(families), exposition(format, ['# TYPE g gauge', 'g 1'], GAUGE_G));
      });
    });

    describe('families are sorted by name', () => {
      it('whatever order they arrive in', () => {
        const { families } = translate([resourceMetrics([gauge('zeta', [num(1)]), gauge('alpha', [num(2)]), gauge('mid', [num(3)])])]);
        const types = format.render(families).split('\n').filter((line) => line.startsWith('# TYPE'));
        assert.deepEqual(types, ['# TYPE alpha gauge', '# TYPE mid gauge', '# TYPE zeta gauge']);
      });
    });
  });
}

describe('renderExposition: the format the Accept header asks for, with its content type', () => {
  const { families } = translate([resourceMetrics([counter('c', [num(1)])])]);
  const rows: readonly { rule: string; accept: string | undefined; contentType: string; body: string }[] = [
    {
      rule: 'Prometheus 2.42 → OpenMetrics',
      accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      contentType: `${OPENMETRICS_CONTENT_TYPE}; escaping=underscores`,
      body: '# TYPE c counter\n# HELP c c (OpenTelemetry monotonic sum; no description given)\nc_total 1\n# EOF\n',
    },
    {
      rule: 'no Accept → text',
      accept: undefined,
      contentType: `${TEXT_CONTENT_TYPE}; escaping=underscores`,
      body: '# HELP c_total c (OpenTelemetry monotonic sum; no description given)\n# TYPE c_total counter\nc_total 1\n',
    },
  ];
  for (const { rule, accept, contentType, body } of rows) {
    it(rule, () => {
      assert.deepEqual(renderExposition(families, accept, {}), { contentType, body });
    });
  }
});
