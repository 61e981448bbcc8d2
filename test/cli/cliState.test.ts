/**
 * The CLI with a state directory it cannot use: exit code 2 and a line naming the directory, as for
 * any other wrong setting; the directory is neither created elsewhere nor taken from its holder.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exitOf, runCli, startCliSidecar } from '../helpers/cliChild.ts';

const PORTS_OFF = ['--otlp-http-listen', '127.0.0.1:0', '--otlp-grpc-listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0'];

/** The error line the CLI logged (JSON on stderr). */
function errorLine(stderr: string): string {
  const line = stderr.split('\n').find((text) => text.includes('"level":"error"'));
  assert.ok(line, stderr);
  return (JSON.parse(line) as { msg: string }).msg;
}

describe('otel-prom-bridge --state-dir', () => {
  it('a directory that cannot be created: exit 2, naming it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'otel-prom-bridge-cli-state-')), 'a-file');
    writeFileSync(file, '');
    const cli = runCli([...PORTS_OFF, '--state-dir', join(file, 'state')], {}, { cli: 'source' });
    assert.deepEqual(await exitOf(cli, 20_000), { code: 2, signal: null });
    assert.equal(errorLine(cli.stderr), `state_dir ${join(file, 'state')} cannot be created (ENOTDIR); give a directory the sidecar may write, or leave state_dir empty to keep no state`);
  });

  it('a directory that exists but cannot be written: exit 2, naming it', { skip: process.getuid?.() === 0 && !existsSync('/sys/kernel') ? 'running as root with no sysfs' : false }, async () => {
    // Root may write anywhere but sysfs; anyone else is stopped by the mode.
    const stateDir = process.getuid?.() === 0 ? '/sys' : mkdtempSync(join(tmpdir(), 'otel-prom-bridge-cli-state-'));
    if (stateDir !== '/sys') chmodSync(stateDir, 0o555);
    const cli = runCli([...PORTS_OFF, '--state-dir', stateDir], {}, { cli: 'source' });
    assert.deepEqual(await exitOf(cli, 20_000), { code: 2, signal: null });
    assert.match(errorLine(cli.stderr), new RegExp(`^state_dir ${stateDir} cannot be written \\((EACCES|EPERM) creating ${stateDir}/sidecar\\.lock\\); give a directory the sidecar may write`));
  });

  it('a directory another running sidecar holds: exit 2, naming it and that process', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'otel-prom-bridge-cli-state-'));
    const first = await startCliSidecar(['--state-dir', stateDir]);
    try {
      assert.equal(readFileSync(join(stateDir, 'sidecar.lock'), 'utf8'), `${first.child.pid}\n`);
      const second = runCli([...PORTS_OFF, '--state-dir', stateDir], { OTEL_PROM_BRIDGE_LOG_LEVEL: 'error' }, { cli: 'source' });
      assert.deepEqual(await exitOf(second, 20_000), { code: 2, signal: null });
      assert.match(errorLine(second.stderr), new RegExp(`^state_dir ${stateDir} is in use by another otel-prom-bridge \\(pid ${first.child.pid}, lock file ${stateDir}/sidecar\\.lock\\)`));
      assert.equal(first.child.exitCode, null, 'the first goes on');
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});
