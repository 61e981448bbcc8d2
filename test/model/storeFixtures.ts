import { DropCounter, type DropReason } from '../../src/model/dropCounter.ts';
import type { Family, SeriesData } from '../../src/model/family.ts';
import type {
  Attributes,
  ExponentialHistogramPoint,
  HistogramPoint,
  NumberPoint,
  OtelMetric,
  ResourceMetrics,
  SummaryPoint,
  Temporality,
} from '../../src/otelData/otelData.ts';
import { SeriesStore } from '../../src/model/seriesStore.ts';
import type { SeriesStoreOptions } from '../../src/model/storeOptions.ts';
import type { TranslationSettings } from '../../src/translate/metricTranslator.ts';
import { TranslationStrategy } from '../../src/translate/translationStrategy.ts';

/** Hand-built OpenTelemetry data, a fake clock and a store to feed, for the model tests. */

export const T0 = 1_700_000_000_000;
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export const PLAIN: TranslationSettings = {
  translationStrategy: TranslationStrategy.UnderscoreEscapingWithSuffixes,
  namespace: '',
  scopeLabels: false,
  targetInfo: false,
  jobAndInstance: false,
  promoteResourceAttributes: undefined,
  labelNamePreserveMultipleUnderscores: true,
  labelNameUnderscoreSanitization: true,
};

/** The sidecar's translation: job/instance and target_info. */
export const SIDECAR: TranslationSettings = { ...PLAIN, targetInfo: true, jobAndInstance: true };

export class FakeClock {
  nowMs: number;
  constructor(startMs = T0) {
    this.nowMs = startMs;
  }
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

export interface Harness {
  readonly store: SeriesStore;
  readonly drops: DropCounter;
  readonly clock: FakeClock;
  readonly warnings: string[];
}

export function buildHarness(settings: Partial<TranslationSettings> = {}, options: SeriesStoreOptions = {}): Harness {
  const clock = new FakeClock();
  const warnings: string[] = [];
  const drops = new DropCounter({ warn: (message) => warnings.push(message), debug: () => {} });
  const store = new SeriesStore({ ...PLAIN, ...settings }, drops, { clock: clock.now, ...options });
  return { store, drops, clock, warnings };
}

export function dropCounts(drops: DropCounter): Partial<Record<DropReason, number>> {
  return Object.fromEntries(drops.counts());
}

export function resourceMetrics(metrics: readonly OtelMetric[], resource: Attributes = {}): ResourceMetrics {
  return { resource: { attributes: resource }, scopeMetrics: [{ scope: { name: 'test' }, metrics }] };
}

/** A number point covering [startMs, endMs]. */
export function num(value: number, startMs: number | undefined, endMs: number, attributes: Attributes = {}, extra: Partial<NumberPoint> = {}): NumberPoint {
  return { attributes, startTimeMs: startMs, timeMs: endMs, value, ...extra };
}

export function sum(name: string, temporality: Temporality, points: readonly NumberPoint[], monotonic = true): OtelMetric {
  return { kind: 'sum', monotonic, temporality, name, unit: '', description: '', points };
}

export function gauge(name: string, points: readonly NumberPoint[]): OtelMetric {
  return { kind: 'gauge', name, unit: '', description: '', points };
}

export function hist(
  counts: readonly number[],
  bounds: readonly number[],
  startMs: number | undefined,
  endMs: number,
  extra: Partial<HistogramPoint> = {},
): HistogramPoint {
  const count = counts.reduce((a, b) => a + b, 0);
  return { attributes: {}, startTimeMs: startMs, timeMs: endMs, count, sum: count, bounds, counts, ...extra };
}

export function histogram(name: string, temporality: Temporality, points: readonly HistogramPoint[]): OtelMetric {
  return { kind: 'histogram', temporality, name, unit: '', description: '', points };
}

export function expo(
  scale: number,
  positive: { offset: number; counts: number[] },
  startMs: number | undefined,
  endMs: number,
  extra: Partial<ExponentialHistogramPoint> = {},
): ExponentialHistogramPoint {
  const zeroCount = extra.zeroCount ?? 0;
  const negative = extra.negative ?? { offset: 0, counts: [] };
  const count = zeroCount + [...positive.counts, ...negative.counts].reduce((a, b) => a + b, 0);
  return { attributes: {}, startTimeMs: startMs, timeMs: endMs, count, sum: count, scale, zeroCount, zeroThreshold: 0, positive, negative, ...extra };
}

export function exponentialHistogram(name: string, temporality: Temporality, points: readonly ExponentialHistogramPoint[]): OtelMetric {
  return { kind: 'exponentialHistogram', temporality, name, unit: '', description: '', points };
}

export function summaryPoint(count: number, total: number, startMs: number | undefined, endMs: number): SummaryPoint {
  return { attributes: {}, startTimeMs: startMs, timeMs: endMs, count, sum: total, quantiles: [{ quantile: 0.5, value: total / Math.max(1, count) }] };
}

export function summary(name: string, points: readonly SummaryPoint[]): OtelMetric {
  return { kind: 'summary', name, unit: '', description: '', points };
}

export function family(store: SeriesStore, name: string): Family | undefined {
  return store.families().find((f) => f.name === name);
}

/** The data of one series (by label text, `a="x"`), or undefined when it does not exist. */
export function seriesData(store: SeriesStore, name: string, labelText = ''): SeriesData | undefined {
  return family(store, name)?.series.get(labelText)?.data;
}

/** A number series' value. */
export function valueOf(store: SeriesStore, name: string, labelText = ''): number | undefined {
  const data = seriesData(store, name, labelText);
  if (data === undefined) return undefined;
  if (data.kind !== 'number') throw new Error(`${name}{${labelText}} is a ${data.kind}, not a number`);
  return data.value;
}

/** Every series of every family as `name{labels}`, sorted. */
export function seriesKeys(store: SeriesStore): string[] {
  const keys: string[] = [];
  for (const f of store.families()) for (const key of f.series.keys()) keys.push(`${f.name}{${key}}`);
  return keys.sort();
}

/** A series' data as a plain object, to compare with a literal (a number without exemplar takes its `kind` from a prototype). */
export function plainData(data: SeriesData | undefined): object | undefined {
  return data === undefined ? undefined : { ...data, kind: data.kind };
}
