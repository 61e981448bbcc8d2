import { parseArgs } from 'node:util';
import { parseListenAddress } from './listenAddress.ts';
import {
  DEFAULT_METRICS_PATH,
  DEFAULT_METRICS_PORT,
  DEFAULT_OTLP_GRPC_PORT,
  DEFAULT_OTLP_HTTP_PORT,
  DEFAULT_SIDECAR_HOST,
  type SidecarConfig,
} from './sidecarSettings.ts';

/** What the command line asks for. */
export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'run'; readonly config: SidecarConfig };

/** A command line the CLI cannot run: the message says which flag, what was wrong and what to write. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

const OPTIONS = {
  'metrics-listen': { type: 'string' },
  'metrics-path': { type: 'string' },
  'otlp-http-listen': { type: 'string' },
  'otlp-grpc-listen': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export const USAGE = `Usage: otel-prom-bridge [options]

Receives OpenTelemetry metrics over OTLP (HTTP and gRPC) and serves them for Prometheus to scrape.
Every option has a working default; the listeners bind every interface, since other services push
to the sidecar and Prometheus scrapes it from elsewhere.

Options:
  --otlp-http-listen <host:port>  OTLP/HTTP receiver (POST /v1/metrics)   [default: ${DEFAULT_SIDECAR_HOST}:${DEFAULT_OTLP_HTTP_PORT}]
  --otlp-grpc-listen <host:port>  OTLP/gRPC receiver                      [default: ${DEFAULT_SIDECAR_HOST}:${DEFAULT_OTLP_GRPC_PORT}]
  --metrics-listen <host:port>    where Prometheus scrapes                [default: ${DEFAULT_SIDECAR_HOST}:${DEFAULT_METRICS_PORT}]
  --metrics-path <path>           the scrape path                         [default: ${DEFAULT_METRICS_PATH}]
  -h, --help                      show this help and exit
  -v, --version                   show the version and exit

Addresses are host:port, [ipv6]:port or :port (every interface); port 0 picks a free port.
`;

/** Reads the command line (without `node` and the script); throws CliUsageError on a bad one. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}. See --help.`);
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  try {
    const metricsPath = values['metrics-path'];
    if (metricsPath !== undefined && !metricsPath.startsWith('/')) {
      throw new RangeError(`--metrics-path must start with "/"; got ${JSON.stringify(metricsPath)}. For example: --metrics-path /metrics`);
    }
    const address = (flag: keyof typeof OPTIONS) => {
      const text = values[flag];
      return typeof text === 'string' ? parseListenAddress(text, DEFAULT_SIDECAR_HOST, `--${flag}`) : undefined;
    };
    const metrics = address('metrics-listen');
    const otlpHttp = address('otlp-http-listen');
    const otlpGrpc = address('otlp-grpc-listen');
    const metricsListener = metrics === undefined && metricsPath === undefined ? undefined : { ...metrics, ...(metricsPath === undefined ? {} : { path: metricsPath }) };
    return {
      kind: 'run',
      config: {
        ...(metricsListener === undefined ? {} : { metrics: metricsListener }),
        ...(otlpHttp === undefined ? {} : { otlpHttp }),
        ...(otlpGrpc === undefined ? {} : { otlpGrpc }),
      },
    };
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}
