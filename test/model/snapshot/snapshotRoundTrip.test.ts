import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderOpenMetrics } from '../../../src/exposition/openmetrics/openMetricsFormat.ts';
import { renderProtobuf } from '../../../src/exposition/protobuf/protobufFormat.ts';
import { renderText } from '../../../src/exposition/text/textFormat.ts';
import { decodeSnapshot } from '../../../src/model/snapshot/decodeSnapshot.ts';
import { encodeSnapshot } from '../../../src/model/snapshot/encodeSnapshot.ts';
import { buildSnapshotHeader, SNAPSHOT_HEADER_BYTES, SnapshotError, updateCrc } from '../../../src/model/snapshot/snapshotFormat.ts';
import type { SeriesStore } from '../../../src/model/seriesStore.ts';
import { PushedDeltaSeries, TargetInfoSeries, type StoredSeries } from '../../../src/model/storedSeries.ts';
import type { Exemplar } from '../../../src/otelData/otelData.ts';
import {
  buildHarness,
  expo,
  exponentialHistogram,
  gauge,
  hist,
  histogram,
  MINUTE,
  num,
  resourceMetrics,
  SECOND,
  SIDECAR,
  sum,
  summary,
  summaryPoint,
  T0,
  valueOf,
} from '../storeFixtures.ts';

const T1 = T0 + 10 * SECOND;
const T2 = T0 + 20 * SECOND;
const RESOURCE = { 'service.name': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'node-7' };
const exemplar = (value: number): Exemplar => ({ value, timeMs: T1, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', attributes: { user: 'ann', retries: 3, ok: true } });

/** A store as the sidecar keeps one, with every kind of series and data. */
function fillStore(): ReturnType<typeof buildHarness> {
  const harness = buildHarness(SIDECAR);
  const { store, clock } = harness;
  store.apply(
    resourceMetrics(
      [
        sum('requests', 'cumulative', [num(5, T0, T1, { route: '/a' }, { exemplars: [exemplar(1)] }), num(7, T0, T1, { route: 'quote"back\\slash\nnewline' })]),
        sum('jobs', 'delta', [num(2, T0, T1, { queue: 'mail' }), num(3, T0, T1, { queue: 'sms' })]),
        gauge('temperature', [num(NaN, undefined, T1, { room: 'a' }), num(-0, undefined, T1, { room: 'b' }), num(Infinity, undefined, T1, { room: 'c' })]),
        histogram('latency', 'delta', [hist([1, 2, 3], [0.1, 1], T0, T1, { attributes: { path: '/x' }, exemplars: [exemplar(0.05), exemplar(5)] })]),
        histogram('size', 'cumulative', [hist([4, 0], [10], T0, T1, { sum: undefined })]),
        exponentialHistogram('spread', 'delta', [
          expo(2, { offset: -3, counts: [1, 0, 4] }, T0, T1, { zeroCount: 2, zeroThreshold: 1e-9, negative: { offset: 1, counts: [3] }, exemplars: [exemplar(2)] }),
        ]),
        summary('rpc', [summaryPoint(10, 42, T0, T1)]),
      ],
      RESOURCE,
    ),
    T1,
  );
  clock.advance(10 * SECOND);
  // A second window onto the delta series: two remembered windows, two fingerprints.
  store.apply(resourceMetrics([sum('jobs', 'delta', [num(4, T1, T2, { queue: 'mail' })])], RESOURCE), T2);
  return harness;
}

async function snapshotOf(store: SeriesStore, meta: Record<string, unknown> = { test: true }, options = {}): Promise<Buffer> {
  const encoding = encodeSnapshot(store.snapshotFamilies(), meta, options);
  const chunks: Buffer[] = [];
  let crc = 0;
  for await (const chunk of encoding.chunks) {
    chunks.push(chunk);
    crc = updateCrc(crc, chunk);
  }
  const body = Buffer.concat(chunks);
  return Buffer.concat([buildSnapshotHeader(body.length, crc), body]);
}

/** Everything a series is restored with, as plain data. */
function describeSeries(store: SeriesStore): unknown[] {
  return store.snapshotFamilies().flatMap((family) =>
    [...family.series.values()].map((series: StoredSeries) => ({
      family: [family.name, family.type, family.help, family.unit],
      kind: series instanceof TargetInfoSeries ? `target_info ${series.targetInfoKey}` : series instanceof PushedDeltaSeries ? `pushed delta ${series.windowFingerprints.join(',')}` : 'plain',
      labelText: series.labelText,
      labels: series.labels,
      data: { ...series.data, kind: series.data.kind },
      timeMs: series.timeMs,
      startTimeMs: series.startTimeMs,
      temporality: series.temporality,
      updatedAtMs: series.updatedAtMs,
      windows: series.written.deltaWindows === undefined ? undefined : { ...series.written.deltaWindows },
    })),
  );
}

describe('state snapshots: encode, decode, restore', () => {
  it('recreates every series exactly: data of every kind with exemplars, labels, times, windows, fingerprints, target_info', async () => {
    const { store } = fillStore();
    const file = await snapshotOf(store);
    const decoded = await decodeSnapshot(file);
    assert.deepEqual(decoded.meta, { test: true });
    const { store: restored, clock } = buildHarness(SIDECAR);
    clock.nowMs = T2 + SECOND;
    const counts = restored.restore(decoded.families);
    assert.deepEqual(counts, { restored: decoded.series, expired: 0, skipped: 0 });
    assert.equal(restored.seriesCount(), store.seriesCount());
    assert.deepEqual(describeSeries(restored), describeSeries(store));
    assert.equal(renderText(restored.families()), renderText(store.families()));
    assert.equal(renderOpenMetrics(restored.families()), renderOpenMetrics(store.families()));
    assert.deepEqual(renderProtobuf(restored.families()), renderProtobuf(store.families()));
    // The restored series are reported as written (an output starting afresh sends them all).
    assert.equal(restored.writtenSince(0).series.length, decoded.series);
  });

  it('restored series share their stamps and layouts again, as the store had them', async () => {
    const { store } = fillStore();
    const decoded = await decodeSnapshot(await snapshotOf(store));
    const { store: restored } = buildHarness(SIDECAR);
    restored.restore(decoded.families, T2);
    const requests = restored.snapshotFamilies().find((f) => f.name === 'requests_total')!;
    const [a, b] = [...requests.series.values()];
    assert.equal(a!.written, b!.written);
    assert.equal(a!.layout, b!.layout);
  });

  it('exemplar attribute values that are not text come back as the label text they are written as', async () => {
    const { store } = buildHarness(SIDECAR);
    const odd: Exemplar = { value: 1, attributes: { tags: ['a', 'b'], big: 12345678901234567890n, bytes: new Uint8Array([1, 2]), nan: NaN } };
    store.apply(resourceMetrics([gauge('g', [num(1, undefined, T1, {}, { exemplars: [odd] })])], RESOURCE), T1);
    const { store: restored } = buildHarness(SIDECAR);
    restored.restore((await decodeSnapshot(await snapshotOf(store))).families, T1);
    assert.equal(renderOpenMetrics(restored.families()), renderOpenMetrics(store.families()));
    assert.deepEqual(renderProtobuf(restored.families()), renderProtobuf(store.families()));
  });

  it('a retried delta after the restore is recognised and not added again; the next window adds onto the restored sum', async () => {
    const { store } = fillStore();
    const decoded = await decodeSnapshot(await snapshotOf(store));
    const { store: restored } = buildHarness(SIDECAR);
    restored.restore(decoded.families, T2);
    assert.equal(valueOf(restored, 'jobs_total', 'instance="pod-1",job="shop",queue="mail"'), 6);
    const retried = restored.apply(resourceMetrics([sum('jobs', 'delta', [num(4, T1, T2, { queue: 'mail' })])], RESOURCE), T2 + SECOND);
    assert.equal(retried.acceptedPoints, 1);
    assert.equal(restored.retriedDeltaPoints(), 1);
    assert.equal(valueOf(restored, 'jobs_total', 'instance="pod-1",job="shop",queue="mail"'), 6);
    // The first window too (still remembered).
    restored.apply(resourceMetrics([sum('jobs', 'delta', [num(2, T0, T1, { queue: 'mail' })])], RESOURCE), T2 + SECOND);
    assert.equal(restored.retriedDeltaPoints(), 2);
    restored.apply(resourceMetrics([sum('jobs', 'delta', [num(5, T2, T2 + 10 * SECOND, { queue: 'mail' })])], RESOURCE), T2 + 10 * SECOND);
    assert.equal(valueOf(restored, 'jobs_total', 'instance="pod-1",job="shop",queue="mail"'), 11);
  });

  it('a cumulative point seen already is refused as before, a newer one taken; an older start is another writer', async () => {
    const { store } = fillStore();
    const { store: restored, drops } = buildHarness(SIDECAR);
    restored.restore((await decodeSnapshot(await snapshotOf(store))).families, T2);
    const labels = 'instance="pod-1",job="shop",route="/a"';
    restored.apply(resourceMetrics([sum('requests', 'cumulative', [num(4, T0, T1 - SECOND, { route: '/a' })])], RESOURCE), T2);
    assert.equal(drops.counts().get('out_of_order'), 1);
    restored.apply(resourceMetrics([sum('requests', 'cumulative', [num(9, T0 - SECOND, T2, { route: '/a' })])], RESOURCE), T2);
    assert.equal(drops.counts().get('multiple_writers'), 1);
    restored.apply(resourceMetrics([sum('requests', 'cumulative', [num(9, T0, T2, { route: '/a' })])], RESOURCE), T2);
    assert.equal(valueOf(restored, 'requests_total', labels), 9);
  });

  it('series older than the expiration time are not restored; target_info comes back with its identity', async () => {
    const { store } = fillStore();
    const decoded = await decodeSnapshot(await snapshotOf(store));
    const { store: restored } = buildHarness(SIDECAR, { metricExpirationMs: 5 * MINUTE });
    // Every series but the delta one written at T2 was last written at T1.
    const counts = restored.restore(decoded.families, T1 + 5 * MINUTE + 1);
    assert.equal(counts.restored, 2);
    assert.equal(counts.expired, decoded.series - 2);
    assert.deepEqual(restored.families().map((f) => f.name), ['jobs_total', 'target_info']);
    // A resource pushing again writes over its restored target_info instead of adding one.
    const again = buildHarness(SIDECAR);
    again.store.restore((await decodeSnapshot(await snapshotOf(store))).families, T2);
    again.store.apply(resourceMetrics([gauge('g', [num(1, undefined, T2)])], { ...RESOURCE, 'host.name': 'node-8' }), T2);
    const targetInfo = again.store.families().find((f) => f.name === 'target_info')!;
    assert.deepEqual([...targetInfo.series.keys()], ['host_name="node-8",instance="pod-1",job="shop"']);
  });

  it('the limit and turned-off target_info leave series out', async () => {
    const { store } = fillStore();
    const decoded = await decodeSnapshot(await snapshotOf(store));
    const { store: restored } = buildHarness({ ...SIDECAR, targetInfo: false }, { maxSeries: 3 });
    const counts = restored.restore(decoded.families, T2);
    assert.equal(restored.seriesCount(), 3);
    assert.equal(counts.restored, 3);
    assert.equal(counts.skipped, decoded.series - 3);
    assert.equal(restored.families().some((f) => f.name === 'target_info'), false);
  });

  it('the overflow series is not kept: after the restore the next refused point starts it again, outside the limit', async () => {
    const { store } = buildHarness(SIDECAR, { maxSeries: 2 });
    store.apply(resourceMetrics([sum('jobs', 'delta', [num(1, T0, T1, { queue: 'a' }), num(2, T0, T1, { queue: 'b' }), num(4, T0, T1, { queue: 'c' })])], RESOURCE), T1);
    const overflow = 'otel_metric_overflow="true"';
    assert.equal(valueOf(store, 'jobs_total', overflow), 4);
    const decoded = await decodeSnapshot(await snapshotOf(store));
    assert.equal(decoded.families.find((f) => f.name === 'jobs_total')?.series.some((series) => series.labelText.includes('otel_metric_overflow')), false);
    const { store: restored } = buildHarness(SIDECAR, { maxSeries: 2 });
    restored.restore(decoded.families, T1);
    assert.equal(restored.seriesCount(), 2);
    assert.equal(valueOf(restored, 'jobs_total', overflow), undefined);
    // Refused again at the limit: the overflow series comes back and adds it up.
    restored.apply(resourceMetrics([sum('jobs', 'delta', [num(8, T1, T2, { queue: 'd' })])], RESOURCE), T2);
    assert.equal(valueOf(restored, 'jobs_total', overflow), 8);
    assert.equal(restored.seriesCount(), 2);
  });

  it('a fallback HELP comes back as the fallback: a description sent after the restore replaces it; a description is kept', async () => {
    const { store } = buildHarness(SIDECAR);
    store.apply(
      resourceMetrics([sum('jobs', 'delta', [num(1, T0, T1, { queue: 'a' })]), { ...gauge('temperature', [num(20, undefined, T1)]), description: 'Room temperature.' }], RESOURCE),
      T1,
    );
    const fallback = store.families().find((f) => f.name === 'jobs_total')!.help;
    const decoded = await decodeSnapshot(await snapshotOf(store));
    assert.deepEqual(
      decoded.families.filter((f) => f.name !== 'target_info').map((f) => [f.name, f.help, f.helpIsFallback]),
      [['jobs_total', fallback, true], ['temperature', 'Room temperature.', false]],
    );
    const { store: restored } = buildHarness(SIDECAR);
    restored.restore(decoded.families, T1);
    restored.apply(
      resourceMetrics(
        [
          { ...sum('jobs', 'delta', [num(1, T1, T2, { queue: 'a' })]), description: 'Jobs done.' },
          { ...gauge('temperature', [num(21, undefined, T2)]), description: 'Another text.' },
        ],
        RESOURCE,
      ),
      T2,
    );
    assert.equal(restored.families().find((f) => f.name === 'jobs_total')!.help, 'Jobs done.');
    assert.equal(restored.families().find((f) => f.name === 'temperature')!.help, 'Room temperature.');
  });

  it('encodes in slices: many series give many chunks, the event loop turning between them', async () => {
    const { store } = buildHarness(SIDECAR);
    const points = Array.from({ length: 20_000 }, (_, i) => num(i, T0, T1, { id: String(i) }));
    store.apply(resourceMetrics([sum('many', 'delta', points)], RESOURCE), T1);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const encoding = encodeSnapshot(store.snapshotFamilies(), {}, { sliceMs: 1, chunkBytes: 16 * 1024 });
    let chunks = 0;
    for await (const chunk of encoding.chunks) {
      assert.ok(chunk.length > 0);
      chunks++;
    }
    clearInterval(ticker);
    assert.ok(chunks > 50, `${chunks} chunks`);
    assert.ok(turns > 0, 'the event loop turned while encoding');
    assert.deepEqual(encoding.counts, { families: 2, series: 20_001 });
  });
});

describe('state snapshots: damaged files are refused with what is wrong', () => {
  const good = snapshotOf(fillStore().store);

  it('truncated at ten points', async () => {
    const file = await good;
    for (let i = 0; i < 10; i++) {
      const cut = Math.floor((file.length * i) / 10);
      await assert.rejects(decodeSnapshot(file.subarray(0, cut)), (error: unknown) => error instanceof SnapshotError && error.problem === 'corrupt' && /empty|truncated/.test(error.message), `cut at ${cut}`);
    }
  });

  it('a byte flipped anywhere in the body or header', async () => {
    const file = await good;
    for (const at of [0, 5, 13, 21, SNAPSHOT_HEADER_BYTES, SNAPSHOT_HEADER_BYTES + 7, Math.floor(file.length / 2), file.length - 2]) {
      const damaged = Buffer.from(file);
      damaged[at] = damaged[at]! ^ 0x20;
      await assert.rejects(decodeSnapshot(damaged), (error: unknown) => error instanceof SnapshotError && error.problem === 'corrupt', `byte ${at}`);
    }
  });

  it('another format version', async () => {
    const file = Buffer.from(await good);
    file.writeUInt32BE(2, 8);
    await assert.rejects(decodeSnapshot(file), (error: unknown) => error instanceof SnapshotError && error.problem === 'unsupported_version' && error.message.includes('format version 2'));
  });

  it('an empty file, and a valid checksum over something that is not a snapshot body', async () => {
    await assert.rejects(decodeSnapshot(Buffer.alloc(0)), /the file is empty/);
    const body = Buffer.from('["meta",{}]\n{"not":"an array"}\n');
    await assert.rejects(decodeSnapshot(Buffer.concat([buildSnapshotHeader(body.length, updateCrc(0, body)), body])), (error: unknown) => error instanceof SnapshotError && /line 2/.test(error.message));
    const noEnd = Buffer.from('["meta",{}]\n["F","x","gauge","",""]\n');
    await assert.rejects(decodeSnapshot(Buffer.concat([buildSnapshotHeader(noEnd.length, updateCrc(0, noEnd)), noEnd])), /end line is missing/);
  });
});
