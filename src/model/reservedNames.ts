import type { MetricType } from './family.ts';
import { occupiedNames } from './familyNames.ts';

/** The prefix of every metric the bridge writes about itself. */
export const BRIDGE_METRICS_PREFIX = 'otel_prom_bridge_';

/**
 * Names the store refuses to give pushed or collected data (`reserved_name`): those of the
 * metrics the bridge serves beside the store's series (its own `otel_prom_bridge_*`, the sidecar's
 * process and Node.js metrics). A family is refused when any name it would occupy in the output
 * (its samples', its OpenMetrics family name) is reserved, so the bridge's own series always win
 * and no scrape has to settle a conflict.
 */
export class ReservedNames {
  readonly #prefixes: readonly string[];
  readonly #names: ReadonlySet<string>;

  /** `prefixes`: every name starting with one is reserved; `families`: the names these occupy are. */
  constructor(prefixes: readonly string[], families: readonly { readonly name: string; readonly type: MetricType }[] = []) {
    this.#prefixes = prefixes;
    this.#names = new Set(families.flatMap((family) => occupiedNames(family.name, family.type)));
  }

  /** The reserved name that a family `name` of `type` would take, if any. */
  takenBy(name: string, type: MetricType): string | undefined {
    // Every name a family occupies starts with its name or its name without `_total`, which
    // starts with the same prefix: checking the name is enough.
    if (this.#prefixes.some((prefix) => name.startsWith(prefix))) return name;
    if (this.#names.size === 0) return undefined;
    return occupiedNames(name, type).find((occupied) => this.#names.has(occupied));
  }
}
