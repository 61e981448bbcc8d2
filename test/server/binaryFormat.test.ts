import assert from 'node:assert/strict';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { ExpositionFormat } from '../../src/exposition/expositionFormat.ts';
import { EXPOSITION_FORMATS } from '../../src/exposition/expositionFormats.ts';
import { FormatRegistry } from '../../src/exposition/formatRegistry.ts';
import { renderText, TEXT_CONTENT_TYPE } from '../../src/exposition/text/textFormat.ts';
import { DropCounter } from '../../src/model/dropCounter.ts';
import type { Family, Series } from '../../src/model/family.ts';
import { PullOutput } from '../../src/outputs/pull/PullOutput.ts';
import { buildServer } from '../../src/server/buildServer.ts';
import type { MetricsSource } from '../../src/server/metricsSource.ts';
import { renderLabelText } from '../../src/translate/labelText.ts';

const BINARY_CONTENT_TYPE = 'application/x-test-binary';
/** What a scraper that names no escaping is answered with: the format's content type, names escaped with underscores. */
const UNDERSCORES = '; escaping=underscores';

/**
 * A binary format for this test only: per series, its name and label text as UTF-8 behind a length
 * byte, then bytes no UTF-8 decoder would pass through unchanged (0x80–0xff), one chunk per series.
 */
const binaryFormat: ExpositionFormat = {
  name: 'test-binary',
  contentType: BINARY_CONTENT_TYPE,
  binary: true,
  accepts: (range) => range.type === BINARY_CONTENT_TYPE,
  *write(families) {
    for (const family of families) {
      for (const series of family.series.values()) {
        const text = Buffer.from(`${family.name}{${series.labelText}}`, 'utf8');
        yield Uint8Array.from([text.length, ...text, 0x80, 0xc3, 0xff, 0xfe]);
      }
    }
  },
};

/** 2,000 counters: many more chunks than the server writes ahead. */
function families(): Family[] {
  const series = Array.from({ length: 2000 }, (_, i): Series => {
    const labels = [['route', `/r/${i}`]] as const;
    return { labels, labelText: renderLabelText(labels), data: { kind: 'number', value: i }, timeMs: 0, startTimeMs: undefined };
  });
  return [{ name: 'requests_total', type: 'counter', help: 'Requests.', unit: '', series: new Map(series.map((s) => [s.labelText, s])) }];
}

function expectedBytes(): Buffer {
  return Buffer.concat([...binaryFormat.write(families(), {})].map((chunk) => Buffer.from(chunk as Uint8Array)));
}

/** A source as the sidecar and the readers build theirs: a pull output, here with the test format registered. */
function binarySource(): MetricsSource {
  const pull = new PullOutput({
    sources: [families],
    drops: new DropCounter(),
    renderOptions: {},
    formats: new FormatRegistry([binaryFormat, ...EXPOSITION_FORMATS.formats], EXPOSITION_FORMATS.fallback),
  });
  return { render: (accept) => pull.render(accept), renderStream: (accept) => pull.stream(accept), isReady: () => true };
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listen(): Promise<string> {
  const app = buildServer({ source: binarySource() });
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/metrics`;
}

/** GET over a real socket: status, headers and the body's bytes as sent. */
function getBytes(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
      response.once('error', reject);
    }).once('error', reject);
  });
}

describe('a binary exposition format needs no change in server/', () => {
  for (const gzip of [false, true]) {
    it(`is streamed byte for byte by the fastify server, gzip ${gzip ? 'on' : 'off'}`, async () => {
      const url = await listen();
      const response = await getBytes(url, { accept: `${BINARY_CONTENT_TYPE},text/plain;q=0.5`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], BINARY_CONTENT_TYPE + UNDERSCORES);
      assert.equal(response.headers['content-encoding'], gzip ? 'gzip' : undefined);
      const body = gzip ? gunzipSync(response.body) : response.body;
      assert.ok(body.equals(expectedBytes()), `${body.length} bytes, ${expectedBytes().length} expected`);
    });
  }

  it('the same server still answers text to scrapers that ask for it, and render() passes the binary format over', async () => {
    const url = await listen();
    const response = await getBytes(url, { accept: 'text/plain;version=0.0.4' });
    assert.equal(response.headers['content-type'], TEXT_CONTENT_TYPE + UNDERSCORES);
    assert.equal(response.body.toString('utf8'), renderText(families()));
    const rendered = await binarySource().render(`${BINARY_CONTENT_TYPE},text/plain;q=0.5`);
    assert.deepEqual(rendered, { contentType: TEXT_CONTENT_TYPE + UNDERSCORES, body: renderText(families()) });
  });
});
