/**
 * With a state directory, what an endpoint still holds when the sidecar stops (queued, or being
 * retried) is kept in a file and sent first after the next start; a file that cannot be read is
 * set aside and the queue starts empty.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { queueFilePath } from '../../../../src/outputs/push/remoteWrite/queueFile.ts';
import { RemoteWriteOutput, type ChangeSource } from '../../../../src/outputs/push/remoteWrite/RemoteWriteOutput.ts';
import { endpointWithDefaults } from '../../../../src/outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import type { Family, Series } from '../../../../src/model/family.ts';
import { pollUntil } from '../../../helpers/pollUntil.ts';
import { recordingLogger } from '../../../helpers/recordingLogger.ts';

const directory = mkdtempSync(join(tmpdir(), 'rw-queue-'));
after(() => rmSync(directory, { recursive: true, force: true }));

/** A family of `count` gauges, value `value`, at `timeMs`; written since any generation. */
function source(count: number, value: number, timeMs: number): ChangeSource {
  const series = new Map<string, Series>();
  for (let i = 0; i < count; i++) series.set(`s="${i}"`, { labels: [['s', String(i)]], labelText: `s="${i}"`, data: { kind: 'number', value: i === 0 ? Number.NaN : value }, timeMs });
  const family: Family = { name: 'g', type: 'gauge', help: 'G.', unit: '', series };
  return { generation: () => 1, writtenSince: () => ({ series: [...series.values()].map((s) => ({ family, series: s })) as never, visitedEntries: 0 }), removedSince: () => ({ series: [], visitedEntries: 0 }), families: () => [family] };
}

describe('the remote-write queue across a restart (state directory)', () => {
  it('keeps what was not sent, and sends it first after the next start, NaN included', async () => {
    let answer = 503;
    const received: number[] = [];
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(answer);
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => server.close());
    const endpoint = endpointWithDefaults(new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`), { name: 'mimir', queue: { ...endpointWithDefaults(new URL('http://x')).queue, maxSamplesPerSend: 10, minBackoffMs: 10, maxBackoffMs: 50, batchSendDeadlineMs: 10 } });
    const logger = recordingLogger();

    const first = new RemoteWriteOutput({ source: source(25, 7, 1_000), endpoints: [endpoint], intervalMs: 60_000, logger });
    await first.round();
    await pollUntil('a failed request', () => (received.length > 0 ? true : undefined), 5_000);
    first.stop(directory);
    const path = queueFilePath(directory, 'mimir');
    assert.ok(existsSync(path));
    assert.equal(first.endpoints()[0]!.stats.samplesDropped.shutdown, 0, 'kept, not dropped');
    assert.ok(logger.warnings.some((line) => line.includes('25 samples not sent yet are kept')));

    answer = 204;
    received.length = 0;
    const empty: ChangeSource = { generation: () => 0, writtenSince: () => ({ series: [], visitedEntries: 0 }), removedSince: () => ({ series: [], visitedEntries: 0 }), families: () => [] };
    const second = new RemoteWriteOutput({ source: empty, endpoints: [endpoint], intervalMs: 60_000, logger });
    second.restoreQueues(directory);
    await second.flush();
    assert.equal(second.endpoints()[0]!.stats.samplesSent, 25);
    assert.ok(!existsSync(path), 'taken');
    second.stop(directory);
    assert.ok(!existsSync(path), 'nothing left to keep: no file');
  });

  it('a file that cannot be read is set aside, logged, and the queue starts empty', () => {
    const path = queueFilePath(directory, 'broken');
    writeFileSync(path, 'otel-prom-bridge remote-write queue v1\n["g", not json\n');
    const logger = recordingLogger();
    const output = new RemoteWriteOutput({ source: source(0, 0, 0), endpoints: [endpointWithDefaults(new URL('http://127.0.0.1:9/api/v1/write'), { name: 'broken' })], intervalMs: 60_000, logger });
    output.restoreQueues(directory);
    assert.equal(output.endpoints()[0]!.stats.queueLength, 0);
    assert.ok(!existsSync(path));
    assert.ok(readdirSync(directory).some((name) => name.startsWith('remote-write-broken.queue.corrupt-')));
    assert.ok(logger.warnings.some((line) => /cannot be read .*set aside/.test(line)));
    output.stop();
  });
});
