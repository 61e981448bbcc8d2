/**
 * How an error or a drop names its place in a request, in both encodings: the fields from the top
 * down, joined by dots, each with its index when it is repeated
 * (`resource_metrics[0].scope_metrics[1].metrics[2].sum`); `request` for the top level itself.
 *
 * @param names the field of each message entered, from the top, then the field being read if any
 * @param indices for each name, its index in its repeated field, or -1
 */
export function formatFieldPath(names: readonly string[], indices: readonly number[]): string {
  let path = '';
  for (let i = 0; i < names.length; i++) {
    path += (i === 0 ? '' : '.') + names[i]!;
    const index = indices[i]!;
    if (index >= 0) path += `[${index}]`;
  }
  return path === '' ? 'request' : path;
}
