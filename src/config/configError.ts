/** A configuration the sidecar cannot start with; the message is one line. The CLI exits 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Where a setting's value came from. */
export type SettingSource =
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'file'; readonly file: string; readonly key: string }
  | { readonly kind: 'default' };

/** `--metrics-listen`, `OTEL_PROM_BRIDGE_METRICS_LISTEN`, `bridge.yaml:metrics_listen` or `default`. */
export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'flag':
      return source.flag;
    case 'env':
      return source.variable;
    case 'file':
      return `${source.file}:${source.key}`;
    case 'default':
      return 'default';
  }
}
