/** Label pairs sorted by name, each name once, no empty values. */
export type LabelPairs = readonly (readonly [name: string, value: string])[];

/** Label names and values are compared by UTF-16 code unit, as Prometheus sorts them (byte order for ASCII). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
