/** Where a listener binds: a host (name, IPv4 or IPv6 address) and a port (0 picks a free one). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Reads `host:port`, `[ipv6]:port` or `:port` (the default host), as the CLI's `--*-listen` flags
 * take them. Throws a RangeError naming `what`, the value and the expected form.
 */
export function parseListenAddress(text: string, defaultHost: string, what: string): ListenAddress {
  const fail = (problem: string): never => {
    throw new RangeError(`${what} ${problem}; got ${JSON.stringify(text)}. Write host:port, [ipv6]:port or :port (e.g. 0.0.0.0:4318, [::1]:4318, :4318).`);
  };
  const trimmed = text.trim();
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):([0-9]+)$/.exec(trimmed);
  if (match === null) return fail('must be an address with a port');
  const host = match[1] ?? match[2] ?? '';
  if (match[1] !== undefined && host === '') return fail('has empty brackets for a host');
  const port = Number(match[3]);
  if (!isPort(port)) return fail('has a port outside 0-65535');
  return { host: host === '' ? defaultHost : host, port };
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}
