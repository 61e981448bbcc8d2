import type { DropCounter } from './dropCounter.ts';
import type { Family, MetricType } from './family.ts';
import { occupiedNames } from './familyNames.ts';

/**
 * Families by name, enforcing the conflict rules: one family per name, the first type seen wins,
 * and no family may take a name another one's samples use. Refusals are counted and logged.
 */
export class FamilyIndex {
  readonly #families = new Map<string, Family>();
  readonly #owners = new Map<string, string>();
  readonly #drops: DropCounter;

  constructor(drops: DropCounter) {
    this.#drops = drops;
  }

  /** The family for this name and type, created if new; undefined when it conflicts. */
  familyFor(name: string, type: MetricType, help: string, unit: string, source: string): Family | undefined {
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) {
        this.#drops.drop('type_conflict', `${source} would be a ${type} named ${name}, which is already a ${existing.type}`);
        return undefined;
      }
      // Different HELP or UNIT: keep the first, drop nothing.
      if (existing.help === '' && help !== '') existing.help = help;
      if (existing.unit === '' && unit !== '') existing.unit = unit;
      return existing;
    }
    const names = occupiedNames(name, type);
    for (const occupied of names) {
      const owner = this.#owners.get(occupied);
      if (owner !== undefined) {
        this.#drops.drop('name_conflict', `${source} as ${type} ${name} needs the name ${occupied}, which ${owner} uses`);
        return undefined;
      }
    }
    const family: Family = { name, type, help, unit, series: new Map() };
    this.#families.set(name, family);
    for (const occupied of names) this.#owners.set(occupied, name);
    return family;
  }

  get(name: string): Family | undefined {
    return this.#families.get(name);
  }

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

  /** Families sorted by name, as Prometheus' own clients write them. */
  sorted(): Family[] {
    return [...this.#families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.#families.size;
  }
}
