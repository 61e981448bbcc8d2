/**
 * `otel-prom-bridge rules` as a child process (`src/cli.ts`, no build needed): from a saved scrape
 * and from live exporters over HTTP (the official one on its own server, the bridge's answering in
 * OpenMetrics), its output a rule file `promtool check rules` accepts; wrong options exit 2, a
 * scrape that cannot be read or says nothing exits 1, each with one plain line.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PrometheusExporter as OfficialPrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { parse } from 'yaml';
import { buildMigrationRules, PrometheusExporter } from '../../src/index.ts';
import { exitOf, runCli, type CliChild } from '../helpers/cliChild.ts';
import { freePorts } from '../helpers/freePorts.ts';
import { requireExecutable, skipUnlessInstalled } from '../helpers/prometheus.ts';
import { createTableProvider, scrapeOfficial } from '../otel/fixtures/instrumentTable.ts';

const EXIT_TIMEOUT_MS = 20_000;
const QUIET = { warn: () => undefined, debug: () => undefined };

interface RuleFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly { readonly record: string; readonly expr: string }[] }[];
}

let dir: string;
let provider: MeterProvider;
let official: OfficialPrometheusExporter;
let ours: PrometheusExporter;
let officialUrl: string;
let officialFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rules-cli-'));
  const [port] = (await freePorts(1)) as [number];
  official = new OfficialPrometheusExporter({ host: '127.0.0.1', port });
  await official.startServer();
  officialUrl = `http://127.0.0.1:${port}/metrics`;
  ours = new PrometheusExporter({ host: '127.0.0.1', port: 0, logger: QUIET });
  await ours.startServer();
  provider = createTableProvider([official, ours]);
  officialFile = join(dir, 'official.prom');
  await writeFile(officialFile, await scrapeOfficial(official));
});

after(async () => {
  await provider.shutdown();
  await rm(dir, { recursive: true, force: true });
});

async function rules(args: readonly string[]): Promise<{ cli: CliChild; code: number | null }> {
  const cli = runCli(['rules', ...args], undefined, { cli: 'source' });
  const { code } = await exitOf(cli, EXIT_TIMEOUT_MS);
  return { cli, code };
}

function records(yaml: string): Map<string, string> {
  const file = parse(yaml) as RuleFile;
  return new Map(file.groups.flatMap((group) => group.rules.map((rule) => [rule.record, rule.expr] as const)));
}

async function checkWithPromtool(yaml: string, name: string): Promise<void> {
  const path = join(dir, name);
  await writeFile(path, yaml);
  const { stdout } = await promisify(execFile)(requireExecutable('promtool'), ['check', 'rules', path], { timeout: EXIT_TIMEOUT_MS });
  assert.match(stdout, /SUCCESS: \d+ rules found/);
}

describe('otel-prom-bridge rules', () => {
  it('--from a saved scrape of the official exporter: the rule file on stdout, exit 0', { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const { cli, code } = await rules(['--from', officialFile]);
    assert.equal(code, 0, cli.stderr);
    assert.equal(cli.stderr, '');
    assert.equal(cli.stdout, buildMigrationRules(await readFile(officialFile, 'utf8'), { source: officialFile }).yaml);
    assert.equal(records(cli.stdout).get('http_server_request_duration_bucket'), 'http_server_request_duration_seconds_bucket');
    await checkWithPromtool(cli.stdout, 'from-file.yml');
  });

  it("--from the official exporter's URL: its text read as the official naming", { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const { cli, code } = await rules(['--from', officialUrl, '--group', 'legacy']);
    assert.equal(code, 0, cli.stderr);
    assert.match(cli.stdout, /\(@opentelemetry\/exporter-prometheus's naming\)/);
    assert.equal((parse(cli.stdout) as RuleFile).groups[0]?.name, 'legacy');
    assert.equal(records(cli.stdout).get('cpu_utilization'), 'cpu_utilization_ratio');
    await checkWithPromtool(cli.stdout, 'from-official-url.yml');
  });

  it("--from the bridge's URL: fetched in OpenMetrics, read as Prometheus' naming", { skip: skipUnlessInstalled(['promtool']) }, async () => {
    const { cli, code } = await rules(['--from', ours.address()!.url]);
    assert.equal(code, 0, cli.stderr);
    assert.match(cli.stdout, /\(the bridge's Prometheus naming\)/);
    const map = records(cli.stdout);
    assert.equal(map.get('http_server_request_duration_bucket'), 'http_server_request_duration_seconds_bucket');
    assert.equal(map.get('memory_used'), 'memory_used_bytes');
    await checkWithPromtool(cli.stdout, 'from-bridge-url.yml');
  });

  it('a text scrape without # UNIT lines: exit 1 saying to give --naming or OpenMetrics; with --naming it runs', async () => {
    const text = join(dir, 'bridge.prom');
    await writeFile(text, (await ours.render('text/plain;version=0.0.4')).body);
    const refused = await rules(['--from', text]);
    assert.equal(refused.code, 1);
    assert.equal(refused.cli.stdout, '');
    assert.match(refused.cli.stderr, /^otel-prom-bridge rules: cannot tell whose naming this scrape has: .*--naming\)\.\n$/);

    const told = await rules(['--from', text, '--naming', 'prometheus']);
    assert.equal(told.code, 0, told.cli.stderr);
    assert.match(told.cli.stdout, /^groups:$/m);
    assert.match(told.cli.stderr, /^otel-prom-bridge rules: no series of .* needs a rule \(see the notes in the output\)\.\n$/);
  });

  it('a file or URL it cannot read: exit 1, one line naming it', async () => {
    const missing = join(dir, 'missing.prom');
    const noFile = await rules(['--from', missing]);
    assert.equal(noFile.code, 1);
    assert.match(noFile.cli.stderr, new RegExp(`^otel-prom-bridge rules: could not read ${missing}: ENOENT`));
    const [closed] = (await freePorts(1)) as [number];
    const noServer = await rules(['--from', `http://127.0.0.1:${closed}/metrics`]);
    assert.equal(noServer.code, 1);
    assert.match(noServer.cli.stderr, new RegExp(`^otel-prom-bridge rules: could not fetch http://127\\.0\\.0\\.1:${closed}/metrics: fetch failed: .*ECONNREFUSED`));
    const notFound = await rules(['--from', officialUrl.replace('/metrics', '/nothing')]);
    assert.equal(notFound.code, 1);
    assert.match(notFound.cli.stderr, /answered 404 Not Found; expected a metrics scrape\.\n$/);
  });

  it('wrong options: exit 2, one line; --help: exit 0', async () => {
    const noFrom = await rules([]);
    assert.equal(noFrom.code, 2);
    assert.equal(noFrom.cli.stderr, 'otel-prom-bridge: rules needs --from <file|url>: a scrape of @opentelemetry/exporter-prometheus or of the bridge. See rules --help.\n');
    const badNaming = await rules(['--from', officialFile, '--naming', 'official']);
    assert.equal(badNaming.code, 2);
    assert.equal(badNaming.cli.stderr, 'otel-prom-bridge: rules --naming "official" is not valid; allowed: auto, exporter-prometheus, prometheus.\n');
    const unknown = await rules(['--from', officialFile, '--to', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.cli.stderr, /^otel-prom-bridge: rules: unknown option '--to'\. See rules --help\.\n$/);
    const help = await rules(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.cli.stdout, /^Usage: otel-prom-bridge rules --from <file\|url>/);
  });
});
