/**
 * Fuzzing the OTLP decoders directly: tens of thousands of seeded mutations of valid protobuf and
 * JSON requests (recorded from real MeterProviders). Each must decode or throw `OtlpDecodeError`,
 * never anything else (no RangeError from a stack overflow, no TypeError from a missing field),
 * within a bounded time; what decodes is applied to a series store, whose exposition must stay
 * well-formed in both formats (strictly parsed). `FUZZ_CASES` changes the count; a failure names
 * its seed and case (`RELIABILITY_SEED` replays it).
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { before, describe, it } from 'node:test';
import { renderExposition } from '../../src/exposition/renderExposition.ts';
import { DropCounter } from '../../src/model/dropCounter.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import { decodeExportMetricsServiceRequestJson } from '../../src/otlp/decode/json/decodeExportMetricsServiceRequestJson.ts';
import { decodeExportMetricsServiceRequest } from '../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { OtlpDecodeError } from '../../src/otlp/decode/OtlpDecodeError.ts';
import type { ResourceMetrics } from '../../src/otelData/otelData.ts';
import { parseExposition } from '../helpers/parseExposition.ts';
import { SeededRandom, seedFromEnv } from '../helpers/seededRandom.ts';
import { buildSeedRequests, mutateJson, mutateProtobuf, type SeedRequests } from './fuzzCorpus.ts';
import { resolveSidecarSettings } from '../../src/sidecar/sidecarSettings.ts';
import { toStoreTranslation } from '../../src/config/translationSettings.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 15_000);
/** A single case taking this long is a hang, not a slow machine (typical cases take well under 1 ms). */
const HANG_MS = 5_000;
const quiet = { warn: () => undefined, debug: () => undefined };

/** The sidecar's own translation settings (its defaults). */
const SIDECAR_TRANSLATION = toStoreTranslation(resolveSidecarSettings({}));

interface FuzzTally {
  decoded: number;
  refused: number;
  points: number;
  slowestMs: number;
}

function fuzz(
  name: string,
  seed: number,
  cases: number,
  mutate: (random: SeededRandom) => Uint8Array,
  decode: (bytes: Uint8Array) => ResourceMetrics[],
): FuzzTally {
  const random = new SeededRandom(seed);
  const store = new SeriesStore(SIDECAR_TRANSLATION, new DropCounter(quiet), { maxSeries: 20_000 });
  const tally: FuzzTally = { decoded: 0, refused: 0, points: 0, slowestMs: 0 };
  for (let i = 0; i < cases; i++) {
    const bytes = mutate(random);
    const started = performance.now();
    let decoded: ResourceMetrics[];
    try {
      decoded = decode(bytes);
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) {
        assert.fail(`${name} seed ${seed} case ${i}: threw ${String(error)} rather than OtlpDecodeError for ${Buffer.from(bytes).toString('base64')}`);
      }
      tally.refused++;
      continue;
    } finally {
      tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started);
    }
    tally.decoded++;
    const result = store.applyAll(decoded, 1_700_000_000_000 + i);
    tally.points += result.acceptedPoints;
    if (i % 2000 === 1999) {
      for (const accept of ['text/plain', 'application/openmetrics-text; version=1.0.0']) {
        const { body } = renderExposition(store.families(), accept, { maxExponentialBuckets: 40 });
        assert.doesNotThrow(() => parseExposition(body, accept === 'text/plain' ? 'text' : 'openmetrics'), `${name} seed ${seed}: exposition after case ${i}`);
      }
    }
  }
  assert.ok(tally.slowestMs < HANG_MS, `${name}: the slowest case took ${tally.slowestMs} ms`);
  console.log(`${name}: ${cases} cases, ${tally.decoded} decoded (${tally.points} points stored), ${tally.refused} refused with OtlpDecodeError, slowest ${tally.slowestMs.toFixed(1)} ms`);
  return tally;
}

describe('fuzz: the OTLP decoders', () => {
  let seeds: SeedRequests;
  before(async () => {
    seeds = await buildSeedRequests();
  });

  it('the seed requests themselves decode', () => {
    for (const bytes of seeds.protobuf) assert.ok(decodeExportMetricsServiceRequest(bytes).length > 0);
    for (const text of seeds.json) assert.ok(decodeExportMetricsServiceRequestJson(text).length > 0);
  });

  it(`protobuf: ${CASES} mutated requests decode or throw OtlpDecodeError; the store's exposition stays well-formed`, () => {
    const tally = fuzz('protobuf', seedFromEnv(7001), CASES, (random) => mutateProtobuf(random, seeds.protobuf), (bytes) => decodeExportMetricsServiceRequest(bytes));
    // The mutations must exercise both paths, or the fuzzer is not doing its job.
    assert.ok(tally.decoded > CASES / 10 && tally.refused > CASES / 10, JSON.stringify(tally));
  });

  it(`JSON: ${CASES} mutated requests decode or throw OtlpDecodeError; the store's exposition stays well-formed`, () => {
    const tally = fuzz('json', seedFromEnv(7002), CASES, (random) => mutateJson(random, seeds.json), (bytes) => decodeExportMetricsServiceRequestJson(bytes));
    assert.ok(tally.decoded > CASES / 10 && tally.refused > CASES / 10, JSON.stringify(tally));
  });

  it(`random bytes: ${CASES / 4} buffers of noise decode or throw OtlpDecodeError in both decoders`, () => {
    const lengths = [0, 1, 2, 5, 17, 100, 1000];
    fuzz('noise-protobuf', seedFromEnv(7003), CASES / 4, (random) => random.bytes(random.pick(lengths)), (bytes) => decodeExportMetricsServiceRequest(bytes));
    fuzz('noise-json', seedFromEnv(7004), CASES / 4, (random) => random.bytes(random.pick(lengths)), (bytes) => decodeExportMetricsServiceRequestJson(bytes));
  });
});
