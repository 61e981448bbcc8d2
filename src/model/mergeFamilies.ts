import type { DropCounter } from './dropCounter.ts';
import type { Family } from './family.ts';
import { occupiedNames } from './familyNames.ts';

/**
 * Adds `extra` families (prom-client, the bridge's own) to `primary` ones under the conflict rules:
 * a family of the same name and type is merged series by series (a series already present wins),
 * one of another type or one that takes another's sample name is dropped. `primary` is not changed.
 */
export function mergeFamilies(primary: readonly Family[], extra: readonly Family[], drops: DropCounter): Family[] {
  if (extra.length === 0) return [...primary];
  const byName = new Map<string, Family>();
  const owners = new Map<string, string>();
  for (const family of primary) {
    byName.set(family.name, family);
    for (const name of occupiedNames(family.name, family.type)) owners.set(name, family.name);
  }
  for (const family of extra) {
    const existing = byName.get(family.name);
    if (existing !== undefined) {
      if (existing.type !== family.type) {
        drops.drop('type_conflict', `${family.type} ${family.name} conflicts with the ${existing.type} of that name`);
        continue;
      }
      const series = new Map(existing.series);
      for (const [key, value] of family.series) {
        if (series.has(key)) drops.drop('duplicate_series', `${family.name}{${key}} appears twice`);
        else series.set(key, value);
      }
      byName.set(family.name, { ...existing, help: existing.help || family.help, unit: existing.unit || family.unit, series });
      continue;
    }
    const clash = occupiedNames(family.name, family.type).find((name) => owners.has(name));
    if (clash !== undefined) {
      drops.drop('name_conflict', `${family.type} ${family.name} needs the name ${clash}, which ${owners.get(clash)} uses`);
      continue;
    }
    byName.set(family.name, family);
    for (const name of occupiedNames(family.name, family.type)) owners.set(name, family.name);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
