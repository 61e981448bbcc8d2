import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHelp, renderMetadataName, renderSeriesPrefix } from '../../../src/exposition/textLines/escape.ts';
import { escapeLabelValue, quoteLabelName, renderLabelText } from '../../../src/translate/labelText.ts';
import type { LabelPairs } from '../../../src/translate/labelPairs.ts';

describe('escapeLabelValue: 4. "Label values escape \\, " and newline"', () => {
  const rows: readonly { rule: string; value: string; want: string }[] = [
    { rule: 'plain text is unchanged', value: 'GET /api', want: 'GET /api' },
    { rule: 'the empty value', value: '', want: '' },
    { rule: '\\ → \\\\', value: 'C:\\Windows', want: 'C:\\\\Windows' },
    { rule: '" → \\"', value: 'say "hi"', want: 'say \\"hi\\"' },
    { rule: 'newline → \\n', value: 'line1\nline2', want: 'line1\\nline2' },
    { rule: 'all three together', value: '\\"\n', want: '\\\\\\"\\n' },
    { rule: 'an escaped-looking sequence is escaped again', value: '\\n', want: '\\\\n' },
    { rule: 'tab, carriage return and UTF-8 are not escaped', value: 'a\tb\rc ✓', want: 'a\tb\rc ✓' },
  ];
  for (const { rule, value, want } of rows) {
    it(`${rule}: ${JSON.stringify(value)} → ${JSON.stringify(want)}`, () => {
      assert.equal(escapeLabelValue(value), want);
    });
  }
});

describe('escapeHelp: 4. "HELP escapes \\ and newline (OpenMetrics also ")"', () => {
  const rows: readonly { rule: string; help: string; text: string; openMetrics: string }[] = [
    { rule: 'plain text is unchanged', help: 'Number of requests.', text: 'Number of requests.', openMetrics: 'Number of requests.' },
    { rule: '\\ → \\\\ in both', help: 'path C:\\tmp', text: 'path C:\\\\tmp', openMetrics: 'path C:\\\\tmp' },
    { rule: 'newline → \\n in both', help: 'first\nsecond', text: 'first\\nsecond', openMetrics: 'first\\nsecond' },
    { rule: '" is kept in text and escaped in OpenMetrics', help: 'the "best" help', text: 'the "best" help', openMetrics: 'the \\"best\\" help' },
    { rule: 'all three together', help: 'a\\b"c\nd', text: 'a\\\\b"c\\nd', openMetrics: 'a\\\\b\\"c\\nd' },
  ];
  for (const { rule, help, text, openMetrics } of rows) {
    it(`${rule}: ${JSON.stringify(help)}`, () => {
      assert.equal(escapeHelp(help, false), text);
      assert.equal(escapeHelp(help, true), openMetrics);
    });
  }
});

describe('renderLabelText', () => {
  const rows: readonly { rule: string; labels: LabelPairs; want: string }[] = [
    { rule: 'no labels', labels: [], want: '' },
    { rule: 'one label', labels: [['method', 'GET']], want: 'method="GET"' },
    {
      rule: 'labels in the given order, comma-separated',
      labels: [
        ['code', '200'],
        ['method', 'GET'],
      ],
      want: 'code="200",method="GET"',
    },
    { rule: 'values are escaped', labels: [['path', 'a\\b"c\n']], want: 'path="a\\\\b\\"c\\n"' },
    { rule: 'a UTF-8 label name is quoted', labels: [['http.method', 'GET']], want: '"http.method"="GET"' },
  ];
  for (const { rule, labels, want } of rows) {
    it(`${rule}: ${want}`, () => {
      assert.equal(renderLabelText(labels), want);
    });
  }
});

describe('quoteLabelName / renderMetadataName / renderSeriesPrefix (UTF-8 names, Prometheus 3)', () => {
  const labelRows: readonly [string, string][] = [
    ['method', 'method'],
    ['_private', '_private'],
    ['http.method', '"http.method"'],
    ['job:x', '"job:x"'],
    ['0foo', '"0foo"'],
    ['say"hi', '"say\\"hi"'],
  ];
  for (const [name, want] of labelRows) {
    it(`label name ${JSON.stringify(name)} → ${want}`, () => {
      assert.equal(quoteLabelName(name), want);
    });
  }

  const metadataRows: readonly [string, string][] = [
    ['http_requests_total', 'http_requests_total'],
    ['job:rate5m', 'job:rate5m'],
    ['http.server.duration', '"http.server.duration"'],
  ];
  for (const [name, want] of metadataRows) {
    it(`metadata name ${JSON.stringify(name)} → ${want}`, () => {
      assert.equal(renderMetadataName(name), want);
    });
  }

  const prefixRows: readonly { name: string; labelText: string; want: string }[] = [
    { name: 'up', labelText: '', want: 'up' },
    { name: 'up', labelText: 'job="x"', want: 'up{job="x"}' },
    { name: 'job:rate5m', labelText: '', want: 'job:rate5m' },
    { name: 'http.requests', labelText: '', want: '{"http.requests"}' },
    { name: 'http.requests', labelText: 'job="x"', want: '{"http.requests",job="x"}' },
  ];
  for (const { name, labelText, want } of prefixRows) {
    it(`series ${JSON.stringify(name)} with ${JSON.stringify(labelText)} → ${want}`, () => {
      assert.equal(renderSeriesPrefix(name, labelText), want);
    });
  }
});
