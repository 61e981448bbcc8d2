/**
 * The remote-write examples of README.md's "Scale out": every YAML block is a configuration file the
 * sidecar accepts (`--check-config`), its secret files standing in a temporary directory, and the
 * queue table gives Prometheus' defaults as the code has them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_QUEUE_CONFIG, DEFAULT_REMOTE_TIMEOUT_MS } from '../../src/outputs/push/remoteWrite/remoteWriteEndpoint.ts';
import { exitOf, runCli } from '../helpers/cliChild.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const start = README.indexOf('\n## Scale out\n');
const SECTION = README.slice(start, README.indexOf('\n## ', start + 1));
const SECRETS = '/etc/otel-prom-bridge/secrets/';
const dir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-readme-rw-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const blocks = [...SECTION.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);

describe('README "Scale out"', () => {
  it('exists, with an example for Mimir, Thanos Receive, Cortex and Prometheus', () => {
    assert.ok(start >= 0);
    assert.equal(blocks.length, 4);
    for (const receiver of ['Mimir', 'Thanos', 'Cortex', 'Prometheus']) assert.ok(blocks.some((block) => block.startsWith(`# ${receiver}`) || block.startsWith(`# Grafana ${receiver}`)), receiver);
  });

  blocks.forEach((block, index) => {
    it(`example ${index + 1} (${block.split('\n')[0]}) is accepted by --check-config`, async () => {
      for (const [, name] of block.matchAll(/\/etc\/otel-prom-bridge\/secrets\/([\w.-]+)/g)) writeFileSync(join(dir, name!), 's3cret\n');
      const path = join(dir, `example-${index + 1}.yaml`);
      writeFileSync(path, block.replaceAll(SECRETS, `${dir}/`));
      const cli = runCli(['--config', path, '--check-config'], {}, { cli: 'source' });
      const exit = await exitOf(cli, 30_000);
      assert.equal(exit.code, 0, cli.stderr);
      assert.match(cli.stdout, /^remote_write:$/m);
      assert.doesNotMatch(cli.stdout, /s3cret/);
    });
  });

  it('gives the queue_config defaults the code has', () => {
    const row = (name: string): string => new RegExp(`^\\| \`${name}\`[^|]* \\| \`([^\`]+)\` \\|`, 'm').exec(SECTION)?.[1] ?? '';
    const q = DEFAULT_QUEUE_CONFIG;
    const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
    assert.deepEqual(
      {
        capacity: row('capacity'),
        max_shards: row('max_shards'),
        min_shards: row('min_shards'),
        max_samples_per_send: row('max_samples_per_send'),
        batch_send_deadline: row('batch_send_deadline'),
        min_backoff: row('min_backoff'),
        max_backoff: row('max_backoff'),
        retry_on_http_429: row('retry_on_http_429'),
        remote_timeout: row('remote_timeout'),
      },
      {
        capacity: String(q.capacity),
        max_shards: String(q.maxShards),
        min_shards: String(q.minShards),
        max_samples_per_send: String(q.maxSamplesPerSend),
        batch_send_deadline: seconds(q.batchSendDeadlineMs),
        min_backoff: seconds(q.minBackoffMs),
        max_backoff: seconds(q.maxBackoffMs),
        retry_on_http_429: String(q.retryOnHttp429),
        remote_timeout: seconds(DEFAULT_REMOTE_TIMEOUT_MS),
      },
    );
  });
});
