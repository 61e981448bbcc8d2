import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliUsageError, parseCliArgs } from '../../src/sidecar/cliArgs.ts';
import { formatHostPort, parseListenAddress } from '../../src/sidecar/listenAddress.ts';

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

describe('parseCliArgs', () => {
  it('runs with no flags: every default left to the sidecar', () => {
    assert.deepEqual(parseCliArgs([]), { kind: 'run', config: {} });
    assert.deepEqual(parseCliArgs(['--metrics-path', '/m']), { kind: 'run', config: { metrics: { path: '/m' } } });
  });

  it('reads every listen flag and the metrics path', () => {
    assert.deepEqual(
      parseCliArgs(['--metrics-listen', ':9000', '--otlp-http-listen=127.0.0.1:4318', '--otlp-grpc-listen', '[::1]:4317', '--metrics-path', '/prom']),
      {
        kind: 'run',
        config: {
          metrics: { host: '0.0.0.0', port: 9000, path: '/prom' },
          otlpHttp: { host: '127.0.0.1', port: 4318 },
          otlpGrpc: { host: '::1', port: 4317 },
        },
      },
    );
  });

  it('--help and --version (and -h, -v) win over the rest', () => {
    assert.deepEqual(parseCliArgs(['--metrics-listen', ':1', '--help']), { kind: 'help' });
    assert.deepEqual(parseCliArgs(['-h']), { kind: 'help' });
    assert.deepEqual(parseCliArgs(['-v']), { kind: 'version' });
  });

  const bad: [args: string[], message: RegExp][] = [
    [['--nope'], /^Unknown option '--nope'\. See --help\.$/],
    [['positional'], /positional.*See --help\.$/],
    [['--metrics-listen'], /--metrics-listen.*argument.*See --help\.$/],
    [['--metrics-path', 'x'], /^--metrics-path must start with "\/"; got "x"\. For example: --metrics-path \/metrics$/],
    [['--otlp-http-listen', 'nowhere'], /^--otlp-http-listen must be an address with a port; got "nowhere"\./],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(' ')} → CliUsageError`, () => assert.throws(() => parseCliArgs(args), (error: unknown) => error instanceof CliUsageError && message.test(error.message)));
  }
});
