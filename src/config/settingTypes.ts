/**
 * The kinds of value a setting takes. Each reads a flag or environment variable (text) and a YAML
 * value (text, number, boolean or list) with one zod schema, says in words what is allowed, and
 * writes a value back the way the YAML file takes it.
 */
import { z } from 'zod';
import { formatHostPort, parseListenAddress, type ListenAddress } from './listenAddress.ts';
import { formatByteSize, parseByteSize } from './byteSize.ts';
import { formatDuration, parseDuration } from './duration.ts';

/** A value as YAML holds it. */
export type YamlValue = string | number | boolean | readonly string[] | readonly Readonly<Record<string, unknown>>[] | Readonly<Record<string, unknown>>;

export interface SettingType<T> {
  /** The value's shape in `--help`, e.g. `<host:port|off>`. */
  readonly placeholder: string;
  /** What is allowed, in words, for `--help`, the README and error lines. */
  readonly allowed: string;
  /** Reads text (flags, environment) or a YAML value; the issue message says what is wrong. */
  readonly schema: z.ZodType<T, unknown>;
  readonly format: (value: T) => YamlValue;
  /** A secret: `--check-config` and the start log line show `***` instead (when it is set). */
  readonly secret?: boolean;
  /**
   * A list or map in YAML (remote_write, external_labels): an error names the place in it instead
   * of quoting the whole value (which may hold secrets), and `format` masks its own secrets.
   */
  readonly structured?: boolean;
}

/** A listener that can be turned off. */
export type ListenSetting = ListenAddress | 'off';

export function listenAddressType(defaultHost: string): SettingType<ListenSetting> {
  return {
    placeholder: '<host:port|off>',
    allowed: `host:port, [ipv6]:port, :port (host ${defaultHost}) or off; port 0 picks a free port`,
    schema: z.union([z.string(), z.number()], { error: 'not text' }).transform((text, context): ListenSetting => {
      if (typeof text === 'number') {
        // `metrics_listen: 9464` in YAML is a number, not the address `:9464`.
        context.addIssue({ code: 'custom', message: `a bare number: for port ${text} on the default host write ":${text}" (quoted in YAML), or quote a host:port` });
        return z.NEVER;
      }
      if (text.trim() === 'off') return 'off';
      try {
        return parseListenAddress(text, defaultHost, '');
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? (error.message.split(';')[0] ?? '').trim() : String(error) });
        return z.NEVER;
      }
    }),
    format: (value) => (value === 'off' ? 'off' : formatHostPort(value.host, value.port)),
  };
}

export const urlPathType: SettingType<string> = {
  placeholder: '<path>',
  allowed: 'a URL path starting with /',
  schema: z.string({ error: 'not text' }).regex(/^\/[^\s?#]*$/, { error: 'not a path starting with / (without spaces, ? or #)' }),
  format: (value) => value,
};

export const namespaceType: SettingType<string> = {
  placeholder: '<name>',
  allowed: 'empty, or letters, digits and _ not starting with a digit',
  schema: z.string({ error: 'not text' }).regex(/^(?:[a-zA-Z_][a-zA-Z0-9_]*)?$/, { error: 'not a metric name prefix' }),
  format: (value) => value,
};

export function oneOfType<const T extends string>(values: readonly [T, ...T[]], placeholder: string): SettingType<T> {
  return {
    placeholder,
    allowed: `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`,
    schema: z.enum(values, { error: 'not one of the allowed values' }) as unknown as z.ZodType<T, unknown>,
    format: (value) => value,
  };
}

/** Comma-separated in a flag or variable; a list (or the same text) in YAML. Empty entries are left out. */
export const keyListType: SettingType<readonly string[]> = {
  placeholder: '<key,key,...>',
  allowed: 'attribute keys, comma-separated (a list in YAML)',
  schema: z.union(
    [
      z.string().transform((text) => text.split(',')),
      z.array(z.string({ error: 'a list entry is not text' })),
    ],
    { error: 'not text or a list of texts' },
  ).transform((keys) => keys.map((key) => key.trim()).filter((key) => key !== '')),
  format: (value) => value,
};

const ON = ['on', 'true'];
const OFF = ['off', 'false'];

export const onOffType: SettingType<boolean> = {
  placeholder: '<on|off>',
  allowed: 'on or off (true or false)',
  schema: z.union([
    z.boolean(),
    z.string().refine((text) => [...ON, ...OFF].includes(text.trim().toLowerCase()), { error: 'not on or off' }).transform((text) => ON.includes(text.trim().toLowerCase())),
  ], { error: 'not on or off' }),
  format: (value) => (value ? 'on' : 'off'),
};

/** A duration with a unit, at least `minMs` (and at most `maxMs`, when given). */
export function durationType(minMs: number, maxMs?: number): SettingType<number> {
  const range = maxMs === undefined ? `of at least ${formatDuration(minMs)}` : `from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  const bounded = z.number().min(minMs, { error: 'too short' });
  return {
    placeholder: '<duration>',
    allowed: `a duration ${range}, e.g. 30s, 5m, 1h30m (units ms, s, m, h, d)`,
    schema: z
      .string({ error: 'not a duration with a unit' })
      .transform((text, context) => parseDuration(text) ?? (context.addIssue({ code: 'custom', message: 'not a duration' }), z.NEVER))
      .pipe(maxMs === undefined ? bounded : bounded.max(maxMs, { error: 'too long' })),
    format: formatDuration,
  };
}

export function byteSizeType(min: number, max: number): SettingType<number> {
  return {
    placeholder: '<size>',
    allowed: `a size from ${formatByteSize(min)} to ${formatByteSize(max)}, e.g. 512KiB, 16MiB, 1GiB, 10MB or bytes`,
    schema: z
      .union([z.number(), z.string().transform((text, context) => parseByteSize(text) ?? (context.addIssue({ code: 'custom', message: 'not a size' }), z.NEVER))], {
        error: 'not a size',
      })
      .pipe(z.number().int({ error: 'not a whole number of bytes' }).min(min, { error: 'too small' }).max(max, { error: 'too large' })),
    format: formatByteSize,
  };
}

export function wholeNumberType(min: number, max: number): SettingType<number> {
  return {
    placeholder: '<n>',
    allowed: `a whole number from ${min} to ${max}`,
    schema: z
      .union([z.number(), z.string().regex(/^\s*[0-9]+\s*$/, { error: 'not a whole number' }).transform(Number)], { error: 'not a whole number' })
      .pipe(z.number().int({ error: 'not a whole number' }).min(min, { error: 'too small' }).max(max, { error: 'too large' })),
    format: (value) => value,
  };
}

/** A file to read at start; empty for none. */
export const filePathType: SettingType<string> = {
  placeholder: '<file>',
  allowed: 'a file path, or empty for none',
  schema: z.string({ error: 'not text' }).transform((text) => text.trim()),
  format: (value) => value,
};

/** A directory to keep files in; empty for none. */
export const directoryPathType: SettingType<string> = {
  placeholder: '<dir>',
  allowed: 'a directory path, or empty for none',
  schema: z.string({ error: 'not text' }).transform((text) => text.trim()),
  format: (value) => value,
};

/** A password or token given as text; empty for none. Flags show in `ps`: the variable or a file is safer. */
export const secretType: SettingType<string> = {
  placeholder: '<secret>',
  allowed: 'text, or empty for none (the flag shows in ps: prefer the variable or the _file setting)',
  schema: z.string({ error: 'not text' }),
  format: (value) => value,
  secret: true,
};

/** A basic-auth username: RFC 7617 splits user and password at the first colon, so it has none. */
export const usernameType: SettingType<string> = {
  placeholder: '<name>',
  allowed: 'text without ":", or empty for none',
  schema: z.string({ error: 'not text' }).refine((text) => !text.includes(':'), { error: 'contains ":"' }),
  format: (value) => value,
};
