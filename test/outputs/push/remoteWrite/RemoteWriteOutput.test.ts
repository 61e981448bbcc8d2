/**
 * The push output reads the store's change feed: each round queues the series written since the
 * last one (their latest point, at its time) and stale markers for those removed; nothing when
 * nothing changed; everything held when the feed can no longer say what was removed.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RemoteWriteOutput, type ChangeSource } from '../../../../src/outputs/push/remoteWrite/RemoteWriteOutput.ts';
import type { RemoteSample } from '../../../../src/outputs/push/remoteWrite/remoteSample.ts';
import { EndpointWriter } from '../../../../src/outputs/push/remoteWrite/EndpointWriter.ts';
import { endpointWithDefaults } from '../../../../src/outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import { buildHarness, gauge, MINUTE, num, resourceMetrics, SECOND, T0 } from '../../../model/storeFixtures.ts';

/** Every sample queued for the endpoint, by catching what its writer is given. */
function capture(): { queued: RemoteSample[][]; restore: () => void } {
  const queued: RemoteSample[][] = [];
  const original = EndpointWriter.prototype.enqueue;
  EndpointWriter.prototype.enqueue = function (samples: readonly RemoteSample[]) {
    queued.push([...samples]);
  };
  return { queued, restore: () => (EndpointWriter.prototype.enqueue = original) };
}

const text = (sample: RemoteSample) => `${sample.name}{${sample.labels.join(',')}} ${sample.stale ? 'stale' : sample.value}@${sample.timestampMs}`;

describe('RemoteWriteOutput rounds', () => {
  const outputs: RemoteWriteOutput[] = [];
  after(() => outputs.forEach((output) => output.stop()));

  function output(source: ChangeSource, clock: () => number): RemoteWriteOutput {
    const made = new RemoteWriteOutput({ source, endpoints: [endpointWithDefaults(new URL('http://127.0.0.1:9/api/v1/write'))], intervalMs: 60_000, clock });
    outputs.push(made);
    return made;
  }

  it('queues what was written since the last round, nothing when nothing changed, and stale markers for what expired', async () => {
    const { queued, restore } = capture();
    try {
      const { store, clock } = buildHarness({}, { metricExpirationMs: 5 * MINUTE });
      const rw = output(store, clock.now);
      await rw.round();
      assert.equal(queued.length, 0, 'an empty store sends nothing');
      store.apply(resourceMetrics([gauge('temperature', [num(20, T0, T0 + SECOND, { room: 'a' }), num(21, T0, T0 + SECOND, { room: 'b' })])]));
      await rw.round();
      assert.deepEqual(queued.map((round) => round.map(text)), [['temperature{room,a} 20@1700000001000', 'temperature{room,b} 21@1700000001000']]);
      await rw.round();
      assert.equal(queued.length, 1, 'nothing written: nothing queued');
      clock.advance(2 * MINUTE);
      store.apply(resourceMetrics([gauge('temperature', [num(22, T0, T0 + 2 * MINUTE, { room: 'a' })])]));
      await rw.round();
      assert.deepEqual(queued[1]!.map(text), ['temperature{room,a} 22@1700000120000'], 'only the series written');
      clock.advance(4 * MINUTE);
      store.sweep();
      await rw.round();
      // Room b was last written 6 minutes ago: expired, marked stale at the sweep's round.
      assert.deepEqual(queued[2]!.map(text), [`temperature{room,b} stale@${clock.now()}`]);
    } finally {
      restore();
    }
  });

  it('no stale marker for a series written again in the same round (its new sample would land before the marker)', async () => {
    const { queued, restore } = capture();
    try {
      const { store, clock } = buildHarness({}, { metricExpirationMs: MINUTE });
      const rw = output(store, clock.now);
      store.apply(resourceMetrics([gauge('g', [num(1, T0, T0)])]));
      await rw.round();
      clock.advance(2 * MINUTE);
      store.sweep();
      store.apply(resourceMetrics([gauge('g', [num(2, T0, T0 + 2 * MINUTE)])]));
      await rw.round();
      assert.deepEqual(queued[1]!.map(text), ['g{} 2@1700000120000']);
    } finally {
      restore();
    }
  });

  it('sends every series held when the feed no longer knows what was removed since the last round', async () => {
    const { queued, restore } = capture();
    try {
      const held = { generation: 7, families: [] as never[] };
      const source: ChangeSource = {
        generation: () => held.generation,
        writtenSince: () => ({ series: [], visitedEntries: 0 }),
        removedSince: () => undefined,
        families: () => [{ name: 'up', type: 'gauge', help: '', unit: '', series: new Map([['', { labels: [], labelText: '', data: { kind: 'number', value: 1 }, timeMs: T0 }]]) }],
      };
      const rw = output(source, () => T0);
      await rw.round();
      held.generation = 9;
      await rw.round();
      assert.equal(queued.length, 2);
      assert.deepEqual(queued[1]!.map(text), ['up{} 1@1700000000000']);
    } finally {
      restore();
    }
  });
});
