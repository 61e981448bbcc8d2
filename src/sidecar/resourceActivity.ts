import type { ApplyResult } from '../model/applyResult.ts';
import type { Attributes } from '../otelData/otelData.ts';
import { jobInstanceKey, type JobInstanceSeries } from '../model/seriesByJobAndInstance.ts';
import type { ResourceStatus } from '../server/statusSummary.ts';
import { buildJobAndInstance } from '../translate/resourceLabels.ts';

/** Resources remembered at most; past it the one that pushed least recently is forgotten. */
export const MAX_TRACKED_RESOURCES = 10_000;

/** Distinct refusal reasons kept per resource. */
export const MAX_RECENT_REFUSALS = 3;

/** Characters kept of each refusal reason (they name series, whose label values may be long). */
export const MAX_REFUSAL_CHARS = 500;

interface Activity {
  readonly job: string;
  readonly instance: string;
  lastPushMs: number;
  pushes: number;
  acceptedPoints: number;
  refusedPoints: number;
  recentRefusals: string[];
  readonly refusedByReason: Map<string, number>;
}

/**
 * What each pushing resource (by the job/instance it becomes) sent: points accepted and refused,
 * the latest refusal reasons, when it last pushed. Recorded once per resource per request, after
 * the store applied it; forgotten once its series have expired (`forgetPushedUpTo`).
 */
export class ResourceActivity {
  /** By job/instance key, least recently pushed first (re-inserted on each push). */
  readonly #resources = new Map<string, Activity>();
  readonly #maxResources: number;

  constructor(maxResources: number = MAX_TRACKED_RESOURCES) {
    this.#maxResources = maxResources;
  }

  record(resource: Attributes, result: ApplyResult, receivedAtMs: number): void {
    let job = '';
    let instance = '';
    for (const [name, value] of buildJobAndInstance(resource)) {
      if (name === 'job') job = value;
      else instance = value;
    }
    const key = jobInstanceKey(job, instance);
    let activity = this.#resources.get(key);
    if (activity === undefined) {
      if (this.#resources.size >= this.#maxResources) this.#resources.delete(this.#resources.keys().next().value!);
      activity = { job, instance, lastPushMs: receivedAtMs, pushes: 0, acceptedPoints: 0, refusedPoints: 0, recentRefusals: [], refusedByReason: new Map() };
    } else {
      this.#resources.delete(key);
    }
    this.#resources.set(key, activity);
    activity.lastPushMs = receivedAtMs;
    activity.pushes++;
    activity.acceptedPoints += result.acceptedPoints;
    activity.refusedPoints += result.rejectedPoints;
    if (result.errors.length > 0) activity.recentRefusals = keepRecent(activity.recentRefusals, result.errors);
    for (const [reason, points] of result.rejectedByReason ?? []) activity.refusedByReason.set(reason, (activity.refusedByReason.get(reason) ?? 0) + points);
  }

  /**
   * Remembers when resources last pushed before a restart (`lastPushes()` as it was), so that their
   * last-push times and rows are back at once; a resource known already keeps its own.
   */
  restoreLastPushes(saved: unknown): void {
    if (!Array.isArray(saved)) return;
    for (const entry of saved as unknown[]) {
      const { job, instance, lastPushMs } = (entry ?? {}) as { job?: unknown; instance?: unknown; lastPushMs?: unknown };
      if (typeof job !== 'string' || typeof instance !== 'string' || typeof lastPushMs !== 'number' || !Number.isFinite(lastPushMs)) continue;
      const key = jobInstanceKey(job, instance);
      if (this.#resources.has(key) || this.#resources.size >= this.#maxResources) continue;
      this.#resources.set(key, { job, instance, lastPushMs, pushes: 0, acceptedPoints: 0, refusedPoints: 0, recentRefusals: [], refusedByReason: new Map() });
    }
  }

  /** Forgets the resources whose last push was at or before `cutoffMs` (the store's expiry cutoff: their series are gone). */
  forgetPushedUpTo(cutoffMs: number): void {
    for (const [key, activity] of this.#resources) {
      if (activity.lastPushMs <= cutoffMs) this.#resources.delete(key);
    }
  }

  /** When each resource remembered (at most `MAX_TRACKED_RESOURCES`) last pushed; sorted by job, then instance. */
  lastPushes(): { readonly job: string; readonly instance: string; readonly lastPushMs: number }[] {
    return [...this.#resources.values()].map(({ job, instance, lastPushMs }) => ({ job, instance, lastPushMs })).sort((a, b) => compare(a.job, b.job) || compare(a.instance, b.instance));
  }

  /**
   * One row per resource remembered, and one per job/instance the store holds series for that no
   * remembered resource pushed; sorted by job, then instance.
   */
  statuses(held: ReadonlyMap<string, JobInstanceSeries>): ResourceStatus[] {
    const rows: ResourceStatus[] = [];
    for (const [key, activity] of this.#resources) {
      const { job, instance, lastPushMs, pushes, acceptedPoints, refusedPoints, recentRefusals, refusedByReason } = activity;
      rows.push({
        job,
        instance,
        seriesHeld: held.get(key)?.series ?? 0,
        lastPushMs,
        pushes,
        acceptedPoints,
        refusedPoints,
        recentRefusals: [...recentRefusals],
        refusedByReason: Object.fromEntries([...refusedByReason].sort(([a], [b]) => compare(a, b))),
        multipleWriters: refusedByReason.has('multiple_writers'),
      });
    }
    for (const [key, { job, instance, series }] of held) {
      if (this.#resources.has(key)) continue;
      rows.push({ job, instance, seriesHeld: series, lastPushMs: undefined, pushes: 0, acceptedPoints: 0, refusedPoints: 0, recentRefusals: [], refusedByReason: {}, multipleWriters: false });
    }
    return rows.sort((a, b) => compare(a.job, b.job) || compare(a.instance, b.instance));
  }
}

/** The newest distinct reasons, at most `MAX_RECENT_REFUSALS`, newest last. */
function keepRecent(previous: readonly string[], latest: readonly string[]): string[] {
  const fresh = latest.slice(-MAX_RECENT_REFUSALS).map(shorten);
  return [...previous.filter((reason) => !fresh.includes(reason)), ...fresh].slice(-MAX_RECENT_REFUSALS);
}

/** At most `MAX_REFUSAL_CHARS` characters, copied: a slice of a long message would keep all of it alive. */
function shorten(reason: string): string {
  if (reason.length <= MAX_REFUSAL_CHARS) return reason;
  return Buffer.from(`${reason.slice(0, MAX_REFUSAL_CHARS - 1)}…`, 'utf8').toString('utf8');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
