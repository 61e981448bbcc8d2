import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatByteSize, parseByteSize } from '../../src/config/byteSize.ts';
import { formatDuration, parseDuration } from '../../src/config/duration.ts';

describe('parseDuration / formatDuration', () => {
  const good: [text: string, ms: number, formatted: string][] = [
    ['500ms', 500, '500ms'],
    ['30s', 30_000, '30s'],
    ['5m', 300_000, '5m'],
    ['1h30m', 5_400_000, '1h30m'],
    ['1m30s500ms', 90_500, '1m30s500ms'],
    ['90s', 90_000, '1m30s'],
    ['2d', 172_800_000, '2d'],
    [' 1s ', 1_000, '1s'],
    ['0s', 0, '0s'],
  ];
  for (const [text, ms, formatted] of good) {
    it(`${JSON.stringify(text)} → ${ms} ms → ${formatted}`, () => {
      assert.equal(parseDuration(text), ms);
      assert.equal(formatDuration(ms), formatted);
      assert.equal(parseDuration(formatted), ms);
    });
  }
  for (const text of ['', '5', 'm', '5 m', '1.5s', '-1s', '5min', '5m x', '1y']) {
    it(`${JSON.stringify(text)} is not a duration`, () => assert.equal(parseDuration(text), undefined));
  }
});

describe('parseByteSize / formatByteSize', () => {
  const good: [text: string, bytes: number, formatted: string][] = [
    ['16MiB', 16 * 2 ** 20, '16MiB'],
    ['16 MiB', 16 * 2 ** 20, '16MiB'],
    ['512KiB', 512 * 1024, '512KiB'],
    ['1GiB', 2 ** 30, '1GiB'],
    ['10MB', 10_000_000, '10000000B'],
    ['1kB', 1000, '1000B'],
    ['4096', 4096, '4KiB'],
    ['100B', 100, '100B'],
  ];
  for (const [text, bytes, formatted] of good) {
    it(`${JSON.stringify(text)} → ${bytes} → ${formatted}`, () => {
      assert.equal(parseByteSize(text), bytes);
      assert.equal(formatByteSize(bytes), formatted);
      assert.equal(parseByteSize(formatted), bytes);
    });
  }
  for (const text of ['', 'MiB', '1.5MiB', '-1', '16mib', '16 MiBs', '1TB']) {
    it(`${JSON.stringify(text)} is not a size`, () => assert.equal(parseByteSize(text), undefined));
  }
});
