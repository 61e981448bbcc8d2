import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/configError.ts';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { formatHostPort, parseListenAddress } from '../../src/config/listenAddress.ts';

describe('parseListenAddress', () => {
  const good: [text: string, host: string, port: number][] = [
    ['0.0.0.0:4318', '0.0.0.0', 4318],
    ['127.0.0.1:0', '127.0.0.1', 0],
    ['localhost:9464', 'localhost', 9464],
    ['[::1]:4317', '::1', 4317],
    ['[::]:4317', '::', 4317],
    [':4318', 'default-host', 4318],
    [' 10.0.0.1:80 ', '10.0.0.1', 80],
  ];
  for (const [text, host, port] of good) {
    it(`${JSON.stringify(text)} → ${host} port ${port}`, () => assert.deepEqual(parseListenAddress(text, 'default-host', '--x'), { host, port }));
  }

  const bad: [text: string, problem: string][] = [
    ['4318', 'must be an address with a port'],
    ['host', 'must be an address with a port'],
    ['::1:4317', 'must be an address with a port'],
    ['[]:4317', 'has empty brackets for a host'],
    ['host:65536', 'has a port outside 0-65535'],
    ['host:-1', 'must be an address with a port'],
    ['host:', 'must be an address with a port'],
  ];
  for (const [text, problem] of bad) {
    it(`${JSON.stringify(text)} → "${problem}"`, () =>
      assert.throws(() => parseListenAddress(text, 'h', '--metrics-listen'), {
        name: 'RangeError',
        message: `--metrics-listen ${problem}; got ${JSON.stringify(text)}. Write host:port, [ipv6]:port or :port (e.g. 0.0.0.0:4318, [::1]:4318, :4318).`,
      }));
  }

  it('formats IPv6 hosts in brackets', () => {
    assert.equal(formatHostPort('::', 4317), '[::]:4317');
    assert.equal(formatHostPort('0.0.0.0', 4317), '0.0.0.0:4317');
  });
});

/** The sidecar's listen flags, read by the config loader (the full table is in test/config). */
describe('the listen flags', () => {
  const run = (argv: string[]) => {
    const command = loadConfig({ argv, env: {} });
    assert.equal(command.kind, 'run');
    return command.kind === 'run' ? command.config.values : assert.fail();
  };

  it('with no flags every listener keeps its default', () => {
    const values = run([]);
    assert.deepEqual(values.metricsListen, { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(values.otlpHttpListen, { host: '0.0.0.0', port: 4318 });
    assert.deepEqual(values.otlpGrpcListen, { host: '0.0.0.0', port: 4317 });
    assert.equal(values.metricsPath, '/metrics');
  });

  it('reads every listen flag and the metrics path', () => {
    const values = run(['--metrics-listen', ':9000', '--otlp-http-listen=127.0.0.1:4318', '--otlp-grpc-listen', '[::1]:4317', '--metrics-path', '/prom']);
    assert.deepEqual(values.metricsListen, { host: '0.0.0.0', port: 9000 });
    assert.deepEqual(values.otlpHttpListen, { host: '127.0.0.1', port: 4318 });
    assert.deepEqual(values.otlpGrpcListen, { host: '::1', port: 4317 });
    assert.equal(values.metricsPath, '/prom');
  });

  it('--help and --version (and -h, -v) win over the rest', () => {
    assert.deepEqual(loadConfig({ argv: ['--metrics-listen', ':1', '--help'], env: {} }), { kind: 'help' });
    assert.deepEqual(loadConfig({ argv: ['-h'], env: {} }), { kind: 'help' });
    assert.deepEqual(loadConfig({ argv: ['-v'], env: {} }), { kind: 'version' });
  });

  const bad: [args: string[], message: RegExp][] = [
    [['--nope'], /^unknown option '--nope'\. See --help\.$/],
    [['positional'], /positional.*See --help\.$/],
    [['--metrics-listen'], /--metrics-listen.*argument.*See --help\.$/],
    [['--metrics-path', 'x'], /^metrics_path "x" from --metrics-path is not valid \(not a path starting with \/ .*\); allowed: a URL path starting with \/\.$/],
    [['--otlp-http-listen', 'nowhere'], /^otlp_http_listen "nowhere" from --otlp-http-listen is not valid \(must be an address with a port\); allowed: host:port/],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(' ')} → ConfigError`, () => assert.throws(() => loadConfig({ argv: args, env: {} }), (error: unknown) => error instanceof ConfigError && message.test(error.message)));
  }
});
