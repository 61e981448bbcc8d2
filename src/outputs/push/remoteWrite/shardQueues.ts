import type { RemoteSample } from './remoteSample.ts';

/** One shard's samples in arrival order: an array with a read position, compacted as it is read. */
class ShardQueue {
  items: RemoteSample[] = [];
  head = 0;
  /** A request holds samples of this shard: no other may take any until it is done (order). */
  busy = false;
  /** When the oldest sample waiting here arrived, ms. */
  oldestAtMs = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  take(count: number): RemoteSample[] {
    const taken = this.items.slice(this.head, this.head + count);
    this.head += taken.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }
}

/**
 * An endpoint's queue: a FIFO per shard, a series always in the same shard (by its hash), so that a
 * series' samples are sent in order however many requests are in flight. A request takes samples
 * from shards no other request holds, oldest shards first; the shards it took from are held until
 * it is done (sent, or dropped), so that what follows waits for it.
 *
 * Bounded: each shard holds `capacity` samples at most; a sample arriving at a full shard pushes
 * the oldest one out (dropped, counted by the caller).
 */
export class ShardQueues {
  readonly #shards: ShardQueue[];
  readonly #capacity: number;
  #length = 0;

  constructor(shards: number, capacity: number) {
    this.#shards = Array.from({ length: shards }, () => new ShardQueue());
    this.#capacity = capacity;
  }

  /** Samples waiting (not in a request). */
  get length(): number {
    return this.#length;
  }

  /** Adds samples; returns how many older ones were pushed out of full shards. */
  push(samples: readonly RemoteSample[], nowMs: number): number {
    let dropped = 0;
    const shards = this.#shards;
    for (const sample of samples) {
      const shard = shards[sample.seriesHash % shards.length]!;
      if (shard.length === 0) shard.oldestAtMs = nowMs;
      shard.items.push(sample);
      if (shard.length > this.#capacity) {
        shard.head++;
        dropped++;
      } else {
        this.#length++;
      }
    }
    return dropped;
  }

  /**
   * Takes up to `max` samples from shards no request holds, and holds those shards. A batch is
   * taken only when it is full or the oldest of its samples waited `deadlineMs` (or `flush`).
   * Returns undefined when there is nothing to send yet.
   */
  takeBatch(max: number, nowMs: number, deadlineMs: number, flush: boolean): { readonly samples: RemoteSample[]; readonly shards: readonly number[] } | undefined {
    const free: number[] = [];
    let available = 0;
    let due = flush;
    this.#shards.forEach((shard, index) => {
      if (shard.busy || shard.length === 0) return;
      free.push(index);
      available += shard.length;
      if (nowMs - shard.oldestAtMs >= deadlineMs) due = true;
    });
    if (available === 0 || (!due && available < max)) return undefined;
    free.sort((a, b) => this.#shards[a]!.oldestAtMs - this.#shards[b]!.oldestAtMs);
    const samples: RemoteSample[] = [];
    const held: number[] = [];
    for (const index of free) {
      if (samples.length >= max) break;
      const shard = this.#shards[index]!;
      const taken = shard.take(max - samples.length);
      for (const sample of taken) samples.push(sample);
      shard.busy = true;
      // What is left arrived at its oldestAtMs or later: it may only go out sooner, never later.
      held.push(index);
    }
    this.#length -= samples.length;
    return { samples, shards: held };
  }

  /** The request that held these shards is done: others may take from them again. */
  release(shards: readonly number[]): void {
    for (const index of shards) this.#shards[index]!.busy = false;
  }

  /** Empties every shard and returns what they held, each shard's in order. */
  takeAll(): RemoteSample[] {
    const all: RemoteSample[] = [];
    for (const shard of this.#shards) {
      for (let i = shard.head; i < shard.items.length; i++) all.push(shard.items[i]!);
      shard.items = [];
      shard.head = 0;
    }
    this.#length = 0;
    return all;
  }

  /** Empties every shard; returns how many samples were waiting. */
  clear(): number {
    const dropped = this.#length;
    for (const shard of this.#shards) {
      shard.items = [];
      shard.head = 0;
    }
    this.#length = 0;
    return dropped;
  }
}
