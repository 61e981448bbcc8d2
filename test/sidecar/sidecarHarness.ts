/**
 * Shared pieces of the sidecar tests: a sidecar on free loopback ports, scraping it, and reading the
 * small protobuf messages the receivers answer with.
 */
import assert from 'node:assert/strict';
import { Sidecar } from '../../src/sidecar/Sidecar.ts';
import type { SidecarAddresses } from '../../src/sidecar/sidecarAddresses.ts';
import type { SidecarConfig } from '../../src/sidecar/sidecarSettings.ts';
import { parseExposition, type ParsedFamily, type ParsedSample } from '../helpers/parseExposition.ts';
import { readFields } from '../helpers/readFields.ts';

/** Every wait in these tests ends within this. */
export const TIMEOUT_MS = 10_000;

export const quietLogger = { warn: () => undefined, debug: () => undefined };

export interface RunningSidecar {
  readonly sidecar: Sidecar;
  readonly addresses: SidecarAddresses;
}

/** A sidecar with every listener on 127.0.0.1 and a port the OS picks. */
export async function startSidecar(config: SidecarConfig = {}): Promise<RunningSidecar> {
  const sidecar = new Sidecar({
    logger: quietLogger,
    ...config,
    otlpHttp: { host: '127.0.0.1', port: 0, ...config.otlpHttp },
    otlpGrpc: { host: '127.0.0.1', port: 0, ...config.otlpGrpc },
    metrics: { host: '127.0.0.1', port: 0, ...config.metrics },
  });
  return { sidecar, addresses: await sidecar.start() };
}

/** GET `url` with a bounded wait. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

/**
 * Scrapes the sidecar (text 0.0.4, or the text format `accept` asks for), asserting a 200, and
 * parses the exposition strictly.
 */
export async function scrape(addresses: SidecarAddresses, accept?: string): Promise<ParsedFamily[]> {
  const response = await get(addresses.metrics.url, accept === undefined ? {} : { accept });
  const body = await response.text();
  assert.equal(response.status, 200, body);
  return parseExposition(body, 'text');
}

/** Samples named `name` whose labels include every pair of `labels`. */
export function samplesOf(families: readonly ParsedFamily[], name: string, labels: Record<string, string> = {}): ParsedSample[] {
  return families.flatMap((family) =>
    family.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)),
  );
}

/** The value of the one sample that matches; fails showing the candidates otherwise. */
export function valueOf(families: readonly ParsedFamily[], name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(families, name, labels);
  assert.equal(found.length, 1, `one sample ${name} ${JSON.stringify(labels)}; found ${JSON.stringify(found)} among ${JSON.stringify(samplesOf(families, name))}`);
  return found[0]!.value;
}

/** A `google.rpc.Status` read from protobuf: field 1 code, field 2 message (details ignored). */
export function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  let code = 0;
  let message = '';
  for (const field of readFields(bytes)) {
    if (field.number === 1 && typeof field.value === 'number') code = field.value;
    if (field.number === 2 && field.value instanceof Uint8Array) message = Buffer.from(field.value).toString('utf8');
  }
  return { code, message };
}
