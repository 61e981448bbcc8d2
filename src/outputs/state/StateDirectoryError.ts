/** The state directory cannot be used (not creatable, not writable, or locked by another sidecar): the CLI exits 2. */
export class StateDirectoryError extends Error {
  override readonly name = 'StateDirectoryError';
}
