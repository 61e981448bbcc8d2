import type { DropCounter } from './dropCounter.ts';
import type { Family, MetricType, Series } from './family.ts';
import { occupiedNames } from './familyNames.ts';

/**
 * Families by name, enforcing the conflict rules: one family per name, the first type seen wins,
 * and no family may take a name another one's samples use. Refusals are counted and logged.
 * Deleting a family releases its names (a later family of another type may then take them).
 *
 * `previous`: an index this one replaces (a new snapshot of the same process). A family claimed
 * under a name and type `previous` holds is taken over, object and series map, instead of
 * created empty: its series are still there, for the owner to write over or remove.
 */
export class FamilyIndex<S extends Series = Series> {
  readonly #families = new Map<string, Family<S>>();
  readonly #owners = new Map<string, string>();
  /** Families whose HELP is the translator's fallback (their metric had no description), for a description to replace. */
  readonly #fallbackHelp = new WeakSet<Family<S>>();
  readonly #drops: DropCounter;
  #previous: FamilyIndex<S> | undefined;

  constructor(drops: DropCounter, previous?: FamilyIndex<S>) {
    this.#drops = drops;
    this.#previous = previous;
  }

  /** Lets go of the index this one replaced (its families not taken over go with it). */
  forgetPrevious(): void {
    this.#previous = undefined;
  }

  /** The family for this name and type, created if new; undefined when it conflicts (counted once). */
  familyFor(name: string, type: MetricType, help: string, unit: string, source: string, helpIsFallback = false): Family<S> | undefined {
    const claimed = this.claim(name, type, help, unit, source, 1, helpIsFallback);
    return 'refused' in claimed ? undefined : claimed;
  }

  /**
   * Like `familyFor`, for a metric with `points` points: on a conflict the points are counted as
   * dropped and the reason is returned with a sentence (for the sender), instead of the family.
   * `helpIsFallback`: `help` was made up for a metric without a description; the first claim
   * with a description replaces it.
   */
  claim(name: string, type: MetricType, help: string, unit: string, source: string, points: number, helpIsFallback = false): Family<S> | FamilyConflict {
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) {
        const detail = `${source} would be a ${type} named ${name}, which is already a ${existing.type}`;
        this.#drops.drop('type_conflict', detail, points);
        return { refused: 'type_conflict', detail };
      }
      // Different HELP or UNIT: keep the first (a description before a fallback), drop nothing.
      if (help !== '' && (existing.help === '' || (!helpIsFallback && this.#fallbackHelp.has(existing)))) this.#setHelp(existing, help, helpIsFallback);
      if (existing.unit === '' && unit !== '') existing.unit = unit;
      return existing;
    }
    const names = occupiedNames(name, type);
    for (const occupied of names) {
      const owner = this.#owners.get(occupied);
      if (owner !== undefined) {
        const detail = `${source} as ${type} ${name} needs the name ${occupied}, which ${owner} uses`;
        this.#drops.drop('name_conflict', detail, points);
        return { refused: 'name_conflict', detail };
      }
    }
    const family = this.#takeOver(name, type, help, unit) ?? { name, type, help, unit, series: new Map<string, S>() };
    this.#setHelp(family, help, helpIsFallback);
    this.#families.set(name, family);
    for (const occupied of names) this.#owners.set(occupied, name);
    return family;
  }

  /** The previous index's family of this name and type, with this claim's help and unit. */
  #takeOver(name: string, type: MetricType, help: string, unit: string): Family<S> | undefined {
    const family = this.#previous?.get(name);
    if (family === undefined || family.type !== type) return undefined;
    family.help = help;
    family.unit = unit;
    return family;
  }

  #setHelp(family: Family<S>, help: string, fallback: boolean): void {
    family.help = help;
    if (fallback) this.#fallbackHelp.add(family);
    else this.#fallbackHelp.delete(family);
  }

  /** Whether the family's HELP is the translator's fallback, which a description replaces (kept in a state snapshot). */
  helpIsFallback(family: Family<S>): boolean {
    return this.#fallbackHelp.has(family);
  }

  get(name: string): Family<S> | undefined {
    return this.#families.get(name);
  }

  /** Removes a family and releases every name it occupied. */
  delete(name: string): void {
    const family = this.#families.get(name);
    if (family === undefined) return;
    this.#families.delete(name);
    for (const occupied of occupiedNames(family.name, family.type)) this.#owners.delete(occupied);
  }

  clear(): void {
    this.#families.clear();
    this.#owners.clear();
  }

  /** Every family, in no particular order (deleting the current one while iterating is safe). */
  values(): IterableIterator<Family<S>> {
    return this.#families.values();
  }

  /** Families sorted by name, as Prometheus' own clients write them. */
  sorted(): Family<S>[] {
    return [...this.#families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.#families.size;
  }
}

/** Why a family could not be claimed, and a sentence saying so. */
export interface FamilyConflict {
  readonly refused: 'type_conflict' | 'name_conflict';
  readonly detail: string;
}
