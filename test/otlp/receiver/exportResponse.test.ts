import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { encodeExportResponseJson, encodeExportResponseProtobuf, type PartialSuccess } from '../../../src/otlp/receiver/exportResponse.ts';
import { encodeStatusJson, encodeStatusProtobuf, rpcCodeForHttpStatus, RpcCode } from '../../../src/otlp/receiver/rpcStatus.ts';
import { decodeStatus } from '../../sidecar/sidecarHarness.ts';

const CASES: [name: string, result: PartialSuccess, protobufHex: string, json: string][] = [
  ['all accepted', { rejectedDataPoints: 0, errorMessage: '' }, '', '{}'],
  ['rejected points without a message', { rejectedDataPoints: 3, errorMessage: '' }, '0a020803', '{"partialSuccess":{"rejectedDataPoints":"3"}}'],
  ['a warning without rejected points', { rejectedDataPoints: 0, errorMessage: 'hi' }, '0a0412026869', '{"partialSuccess":{"errorMessage":"hi"}}'],
  ['both, with a multi-byte varint', { rejectedDataPoints: 300, errorMessage: 'é' }, '0a0708ac021202c3a9', '{"partialSuccess":{"rejectedDataPoints":"300","errorMessage":"é"}}'],
];

describe('ExportMetricsServiceResponse encoding', () => {
  for (const [name, result, protobufHex, json] of CASES) {
    it(`${name}: protobuf ${protobufHex || '(empty)'}, JSON ${json}`, () => {
      const bytes = encodeExportResponseProtobuf(result);
      assert.equal(bytes.toString('hex'), protobufHex);
      assert.equal(encodeExportResponseJson(result), json);
    });

    it(`${name}: the official OTLP client code reads both back`, () => {
      const fromProtobuf = ProtobufMetricsSerializer.deserializeResponse(encodeExportResponseProtobuf(result));
      const fromJson = JsonMetricsSerializer.deserializeResponse(new TextEncoder().encode(encodeExportResponseJson(result)));
      for (const decoded of [fromProtobuf, fromJson]) {
        assert.equal(Number(decoded.partialSuccess?.rejectedDataPoints ?? 0), result.rejectedDataPoints);
        assert.equal(decoded.partialSuccess?.errorMessage ?? '', result.errorMessage);
      }
    });
  }

  it('encodes a large rejected count (a long message) correctly', () => {
    const result = { rejectedDataPoints: 2 ** 40, errorMessage: 'x'.repeat(200) };
    const decoded = ProtobufMetricsSerializer.deserializeResponse(encodeExportResponseProtobuf(result));
    assert.equal(Number(decoded.partialSuccess?.rejectedDataPoints), 2 ** 40);
    assert.equal(decoded.partialSuccess?.errorMessage, 'x'.repeat(200));
  });
});

describe('google.rpc.Status for OTLP/HTTP errors', () => {
  it('protobuf: code in field 1, message in field 2', () => {
    assert.equal(encodeStatusProtobuf(RpcCode.INVALID_ARGUMENT, 'bad').toString('hex'), '08031203626164');
    assert.deepEqual(decodeStatus(encodeStatusProtobuf(RpcCode.RESOURCE_EXHAUSTED, 'too large ✓')), { code: 8, message: 'too large ✓' });
    assert.equal(encodeStatusProtobuf(RpcCode.INTERNAL, '').toString('hex'), '080d');
  });

  it('JSON: {"code":…,"message":"…"}', () => {
    assert.equal(encodeStatusJson(RpcCode.INVALID_ARGUMENT, 'a "quoted" reason'), '{"code":3,"message":"a \\"quoted\\" reason"}');
  });

  const codes: [status: number, code: number][] = [
    [400, 3],
    [404, 5],
    [405, 12],
    [413, 8],
    [415, 3],
    [429, 14],
    [500, 13],
    [503, 14],
  ];
  for (const [status, code] of codes) {
    it(`HTTP ${status} → code ${code}`, () => assert.equal(rpcCodeForHttpStatus(status), code));
  }
});
