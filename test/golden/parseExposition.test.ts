/**
 * The golden tests trust test/helpers/parseExposition.ts to read what a scraper reads and to
 * refuse what a scraper refuses; these tables check that it does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpositionParseError, normalize, parseExposition, type ExpositionFormat } from '../helpers/parseExposition.ts';

describe('parseExposition: text 0.0.4', () => {
  test('reads families, unescaped labels and HELP, special values and timestamps', () => {
    const body = [
      '# A comment that is not metadata.',
      '# HELP http_requests_total Requests with "quotes", C:\\\\dir and\\na newline.',
      '# TYPE http_requests_total counter',
      'http_requests_total{path="C:\\\\dir\\\\\\"x\\"\\nnext",code="200"} 3 1700000000000',
      'http_requests_total{code="500"}   +Inf  ',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{le="0.5"} 1',
      'latency_seconds_bucket{le="+Inf"} 2',
      'latency_seconds_sum NaN',
      'latency_seconds_count 2',
      'untyped_thing -Inf',
      '{"my.metric",a="b"} 1.5e-07',
      '',
    ].join('\n');
    assert.deepEqual(parseExposition(body, 'text'), [
      {
        name: 'http_requests_total',
        type: 'counter',
        help: 'Requests with "quotes", C:\\dir and\na newline.',
        unit: undefined,
        samples: [
          { name: 'http_requests_total', labels: { path: 'C:\\dir\\"x"\nnext', code: '200' }, value: 3, timestamp: 1700000000000 },
          { name: 'http_requests_total', labels: { code: '500' }, value: Infinity },
        ],
      },
      {
        name: 'latency_seconds',
        type: 'histogram',
        help: undefined,
        unit: undefined,
        samples: [
          { name: 'latency_seconds_bucket', labels: { le: '0.5' }, value: 1 },
          { name: 'latency_seconds_bucket', labels: { le: '+Inf' }, value: 2 },
          { name: 'latency_seconds_sum', labels: {}, value: NaN },
          { name: 'latency_seconds_count', labels: {}, value: 2 },
        ],
      },
      { name: 'untyped_thing', type: 'untyped', help: undefined, unit: undefined, samples: [{ name: 'untyped_thing', labels: {}, value: -Infinity }] },
      { name: 'my.metric', type: 'untyped', help: undefined, unit: undefined, samples: [{ name: 'my.metric', labels: { a: 'b' }, value: 1.5e-7 }] },
    ]);
  });

  test('an empty exposition has no families', () => {
    assert.deepEqual(parseExposition('', 'text'), []);
  });
});

describe('parseExposition: OpenMetrics 1.0', () => {
  test('reads counters as family and _total sample, UNIT, HELP escapes, exemplars and timestamps', () => {
    const body = [
      '# TYPE build_seconds counter',
      '# UNIT build_seconds seconds',
      '# HELP build_seconds Build \\"time\\", C:\\\\x\\nline two.',
      'build_seconds_total{job="a"} 17.5 1700000000.123 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"} 2.5 1700000000.001',
      '# TYPE size histogram',
      'size_bucket{le="1"} 1 # {trace_id="x"} 0.5',
      'size_bucket{le="+Inf"} 1',
      'size_sum 0.5',
      'size_count 1',
      '# EOF',
    ].join('\n');
    assert.deepEqual(parseExposition(body, 'openmetrics'), [
      {
        name: 'build_seconds',
        type: 'counter',
        help: 'Build "time", C:\\x\nline two.',
        unit: 'seconds',
        samples: [
          {
            name: 'build_seconds_total',
            labels: { job: 'a' },
            value: 17.5,
            timestamp: 1700000000.123,
            exemplar: { labels: { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' }, value: 2.5, timestamp: 1700000000.001 },
          },
        ],
      },
      {
        name: 'size',
        type: 'histogram',
        help: undefined,
        unit: undefined,
        samples: [
          { name: 'size_bucket', labels: { le: '1' }, value: 1, exemplar: { labels: { trace_id: 'x' }, value: 0.5 } },
          { name: 'size_bucket', labels: { le: '+Inf' }, value: 1 },
          { name: 'size_sum', labels: {}, value: 0.5 },
          { name: 'size_count', labels: {}, value: 1 },
        ],
      },
    ]);
  });
});

const MALFORMED: readonly { readonly why: string; readonly format: ExpositionFormat; readonly body: string; readonly line: number; readonly message: RegExp }[] = [
  { why: 'no final line feed', format: 'text', body: 'a 1\nb 2', line: 2, message: /line feed/ },
  { why: 'an unknown escape in a label value', format: 'text', body: 'a{x="\\t"} 1\n', line: 1, message: /invalid escape/ },
  { why: 'an unterminated label value', format: 'text', body: 'a{x="y} 1\n', line: 1, message: /unterminated/ },
  { why: '\\" in a text HELP', format: 'text', body: '# HELP a say \\"x\\"\na 1\n', line: 1, message: /invalid escape/ },
  { why: 'Inf without its sign', format: 'text', body: 'a Inf\n', line: 1, message: /invalid value/ },
  { why: 'nan in lower case', format: 'text', body: 'a nan\n', line: 1, message: /invalid value/ },
  { why: 'a float timestamp in text', format: 'text', body: 'a 1 1.5\n', line: 1, message: /timestamp/ },
  { why: 'a second TYPE', format: 'text', body: '# TYPE a gauge\n# TYPE a gauge\na 1\n', line: 2, message: /second # TYPE/ },
  { why: 'a family twice', format: 'text', body: '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n', line: 5, message: /appears twice/ },
  { why: 'a family split by another', format: 'text', body: 'a 1\nb 1\na{x="y"} 1\n', line: 3, message: /appears twice|not with the rest/ },
  { why: 'metadata after samples', format: 'text', body: 'a 1\n# HELP a late\n', line: 2, message: /after its samples/ },
  { why: 'a series twice', format: 'text', body: 'a{x="1",y="2"} 1\na{y="2",x="1"} 2\n', line: 2, message: /appears twice/ },
  { why: 'a label twice', format: 'text', body: 'a{x="1",x="2"} 1\n', line: 1, message: /label x appears twice/ },
  { why: 'a bucket without le', format: 'text', body: '# TYPE h histogram\nh_bucket 1\n', line: 2, message: /without le/ },
  { why: 'a sample name of another family', format: 'text', body: '# TYPE h histogram\nh_count 1\n# TYPE h_count gauge\nh_count 2\n', line: 3, message: /sample name of family h/ },
  { why: 'an unknown type', format: 'text', body: '# TYPE a meter\n', line: 1, message: /unknown metric type/ },
  { why: 'garbage after the value', format: 'text', body: 'a 1 2 3\n', line: 1, message: /unexpected text/ },
  { why: 'no # EOF', format: 'openmetrics', body: '# TYPE a gauge\na 1\n', line: 2, message: /# EOF/ },
  { why: 'lines after # EOF', format: 'openmetrics', body: '# EOF\na 1\n', line: 2, message: /follow # EOF/ },
  { why: 'a blank line', format: 'openmetrics', body: 'a 1\n\n# EOF\n', line: 2, message: /blank/ },
  { why: 'a free comment', format: 'openmetrics', body: '# hello\n# EOF\n', line: 1, message: /comments/ },
  { why: 'a UNIT that is not the suffix', format: 'openmetrics', body: '# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n', line: 2, message: /suffix/ },
  { why: 'a counter sample without _total', format: 'openmetrics', body: '# TYPE a counter\na 1\n# EOF\n', line: 2, message: /no sample named a/ },
  { why: 'an exemplar on a gauge', format: 'openmetrics', body: '# TYPE a gauge\na 1 # {x="y"} 1\n# EOF\n', line: 2, message: /exemplar/ },
  { why: 'exemplar labels over 128 code points', format: 'openmetrics', body: `# TYPE a counter\na_total 1 # {trace_id="${'x'.repeat(121)}"} 1\n# EOF\n`, line: 2, message: /128/ },
  { why: 'a trailing comma', format: 'openmetrics', body: 'a{x="y",} 1\n# EOF\n', line: 1, message: /trailing comma/ },
  { why: 'two spaces before the value', format: 'openmetrics', body: 'a  1\n# EOF\n', line: 1, message: /invalid value|expected a value/ },
];

describe('parseExposition refuses what a scraper refuses, naming the line', () => {
  for (const { why, format, body, line, message } of MALFORMED) {
    test(`${format}: ${why}`, () => {
      assert.throws(
        () => parseExposition(body, format),
        (error: unknown) => {
          assert.ok(error instanceof ExpositionParseError, String(error));
          assert.equal(error.line, line, error.message);
          assert.match(error.message, message);
          assert.match(error.message, new RegExp(`^line ${line}: `));
          return true;
        },
      );
    });
  }
});

describe('normalize', () => {
  test('sorts families, samples (le numerically) and labels; drops families and labels', () => {
    const body = [
      '# TYPE z gauge',
      'z{b="2",a="1"} 1',
      '# TYPE h histogram',
      'h_bucket{le="10"} 2',
      'h_bucket{le="2.5"} 1',
      'h_bucket{le="+Inf"} 2',
      'h_count 2',
      '# TYPE volatile gauge',
      'volatile 42',
      '',
    ].join('\n');
    const normalized = normalize(parseExposition(body, 'text'), { dropFamilies: /^volatile$/, dropLabels: ['b'] });
    assert.deepEqual(
      normalized.map((family) => [family.name, family.samples.map((sample) => [sample.name, Object.keys(sample.labels).join(','), sample.labels.le ?? ''])]),
      [
        [
          'h',
          [
            ['h_bucket', 'le', '2.5'],
            ['h_bucket', 'le', '10'],
            ['h_bucket', 'le', '+Inf'],
            ['h_count', '', ''],
          ],
        ],
        ['z', [['z', 'a', '']]],
      ],
    );
  });

  test('two expositions that differ only in order normalize to the same value', () => {
    const first = 'a{x="1"} 1\na{x="2"} 2\n# TYPE b gauge\nb 3\n';
    const second = '# TYPE b gauge\nb 3\na{x="2"} 2\na{x="1"} 1\n';
    assert.deepEqual(normalize(parseExposition(first, 'text')), normalize(parseExposition(second, 'text')));
  });
});
