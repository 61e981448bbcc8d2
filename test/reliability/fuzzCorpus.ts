/**
 * The fuzz tests' inputs: valid OTLP requests recorded from real MeterProviders (every instrument
 * kind, cumulative and delta) and written by hand (exemplars, summaries, odd values), and seeded
 * mutators that turn them into hostile ones: protobuf mutated field by field (numbers, wire types,
 * length prefixes, values, duplicated, removed and spliced fields) and byte by byte (bit flips,
 * truncation, insertion, splices), JSON mutated value by value and byte by byte.
 */
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { collectSdkMetrics } from '../otlp/sdkFixtures.ts';
import { bytes, concat, double, fixed64, message, packedDouble, packedFixed64, sint32, string, varint, varintBytes } from '../helpers/protobufWriter.ts';
import type { SeededRandom } from '../helpers/seededRandom.ts';

export interface SeedRequests {
  readonly protobuf: readonly Uint8Array[];
  readonly json: readonly string[];
}

const NOW_NS = 1_700_000_000_000_000_000n;
const START_NS = NOW_NS - 60_000_000_000n;

/** A request with what the SDK does not send: exemplars, summaries, scope attributes, NaN and infinities, empty names. */
function handWrittenProtobuf(): Uint8Array {
  const attribute = (key: string, value: string) => message(1, string(1, key), message(2, string(1, value)));
  const resource = message(1, attribute('service.name', 'hand'), attribute('service.instance.id', 'h-1'));
  const exemplar = message(5, fixed64(2, NOW_NS), double(3, 2.5), bytes(4, new Uint8Array(8).fill(0xcd)), bytes(5, new Uint8Array(16).fill(0xab)), message(7, string(1, 'user'), message(2, string(1, 'u1'))));
  const counter = message(2, string(1, 'hand.requests'), string(3, '1'), message(7, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), double(4, 7), attribute('route', '/a'), exemplar), varint(2, 2), varint(3, 1)));
  const delta = message(2, string(1, 'hand.delta'), message(7, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(6, 3)), varint(2, 1), varint(3, 1)));
  const gauge = message(2, string(1, 'hand.gauge'), message(5, message(1, fixed64(3, NOW_NS), double(4, Number.NaN)), message(1, fixed64(3, NOW_NS), double(4, -Infinity), attribute('k', 'v'))));
  const histogram = message(
    2,
    string(1, 'hand.latency'),
    string(3, 's'),
    message(9, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, 6), double(5, 3.5), packedFixed64(6, [1, 2, 3]), packedDouble(7, [0.1, 1])), varint(2, 2)),
  );
  const exponential = message(
    2,
    string(1, 'hand.exp'),
    message(10, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, 5), double(5, 9), sint32(6, 2), fixed64(7, 1), message(8, sint32(1, -3), message(2, varintBytes(1)), varint(2, 1)), message(9, sint32(1, 0), varint(2, 2))), varint(2, 1)),
  );
  const summary = message(
    2,
    string(1, 'hand.summary'),
    message(11, message(1, fixed64(2, START_NS), fixed64(3, NOW_NS), fixed64(4, 3), double(5, 6), message(6, double(1, 0.5), double(2, 2)), message(6, double(1, 0.99), double(2, 3)))),
  );
  const scope = message(1, string(1, 'hand-scope'), string(2, '1.0'), attribute('scope.attr', 'x'));
  return concat(message(1, resource, message(2, scope, counter, delta, gauge, histogram, exponential, summary), string(3, 'https://example.com/schema')));
}

function handWrittenJson(): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hand-json' } }, { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, { boolValue: true }] } } }] },
        scopeMetrics: [
          {
            scope: { name: 'hand-json', version: '2' },
            metrics: [
              { name: 'json.counter', unit: '{item}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), asInt: '12', exemplars: [{ timeUnixNano: String(NOW_NS), asDouble: 1, traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }] }] } },
              { name: 'json.delta', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), asDouble: 0.5 }] } },
              { name: 'json.gauge', gauge: { dataPoints: [{ timeUnixNano: String(NOW_NS), asDouble: 'NaN' }, { timeUnixNano: String(NOW_NS), asDouble: 'Infinity', attributes: [{ key: 'a', value: { kvlistValue: { values: [{ key: 'b', value: { doubleValue: 1 } }] } } }] }] } },
              { name: 'json.histogram', histogram: { aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), count: '6', sum: 3.5, bucketCounts: ['1', '2', '3'], explicitBounds: [0.1, 1] }] } },
              { name: 'json.exp', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), count: '4', sum: 2, scale: 1, zeroCount: '1', positive: { offset: -1, bucketCounts: ['1', '2'] } }] } },
              { name: 'json.summary', summary: { dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), count: '2', sum: 4, quantileValues: [{ quantile: 0.5, value: 2 }] }] } },
            ],
          },
        ],
      },
    ],
  });
}

/** The valid requests mutations start from: two SDK collections per temporality in both encodings, and the hand-written ones. */
export async function buildSeedRequests(): Promise<SeedRequests> {
  const protobuf: Uint8Array[] = [handWrittenProtobuf()];
  const json: string[] = [handWrittenJson()];
  for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
    const { first, second } = await collectSdkMetrics(temporality);
    for (const collected of [first, second]) {
      protobuf.push(ProtobufMetricsSerializer.serializeRequest(collected)!);
      json.push(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(collected)!));
    }
  }
  return { protobuf, json };
}

// ---- protobuf ------------------------------------------------------------------------------

/** One field as read: a LEN field that parses as a message keeps its fields as children. */
interface PbField {
  field: number;
  wire: number;
  /** VARINT: the value; I64/I32: the raw bytes; LEN: the payload when it has no children. */
  value: bigint | Uint8Array;
  children: PbField[] | undefined;
  /** Added to a LEN field's true length when written (a corrupted length prefix). */
  lengthError: number;
}

/** The fields of `bytes`, or undefined when they are not a well-formed message. */
function parsePb(bytes: Uint8Array, depth: number): PbField[] | undefined {
  const fields: PbField[] = [];
  let pos = 0;
  const readVarint = (): bigint | undefined => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = bytes[pos++];
      if (byte === undefined) return undefined;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const key = readVarint();
    if (key === undefined) return undefined;
    const wire = Number(key & 7n);
    const field = Number(key >> 3n);
    if (field === 0) return undefined;
    if (wire === 0) {
      const value = readVarint();
      if (value === undefined) return undefined;
      fields.push({ field, wire, value, children: undefined, lengthError: 0 });
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (pos + size > bytes.length) return undefined;
      fields.push({ field, wire, value: bytes.slice(pos, pos + size), children: undefined, lengthError: 0 });
      pos += size;
    } else if (wire === 2) {
      const length = readVarint();
      if (length === undefined || pos + Number(length) > bytes.length) return undefined;
      const payload = bytes.slice(pos, pos + Number(length));
      pos += Number(length);
      const children = depth < 12 && payload.length > 0 ? parsePb(payload, depth + 1) : undefined;
      fields.push({ field, wire, value: payload, children, lengthError: 0 });
    } else {
      return undefined;
    }
  }
  return fields;
}

function writePb(fields: readonly PbField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    parts.push(varintBytes((BigInt(f.field) << 3n) | BigInt(f.wire & 7)));
    // After a wire-type change the payload is written as it was: deliberately mismatched.
    const payload = f.children !== undefined ? writePb(f.children) : f.value instanceof Uint8Array ? f.value : varintBytes(f.value);
    if (f.wire === 2) parts.push(varintBytes(Math.max(0, payload.length + f.lengthError)));
    parts.push(payload);
  }
  return concat(...parts);
}

function flatten(fields: PbField[], into: { list: PbField[]; node: PbField }[] = []): { list: PbField[]; node: PbField }[] {
  for (const node of fields) {
    into.push({ list: fields, node });
    if (node.children !== undefined) flatten(node.children, into);
  }
  return into;
}

const SPECIAL_VARINTS = [0n, 1n, 2n, 3n, 127n, 128n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
const SPECIAL_DOUBLES = [Number.NaN, Infinity, -Infinity, -0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 2, 0.1];
const INVALID_UTF8 = [Uint8Array.of(0xff), Uint8Array.of(0xc3, 0x28), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xf4, 0x90, 0x80, 0x80), Uint8Array.of(0xe2, 0x82)];

function doubleBytes(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value, true);
  return out;
}

/** One structural mutation of a parsed message; `donor` gives fields to splice in. */
function mutateField(random: SeededRandom, fields: PbField[], donor: PbField[] | undefined): void {
  const nodes = flatten(fields);
  if (nodes.length === 0) return;
  const { list, node } = random.pick(nodes);
  switch (random.int(10)) {
    case 0:
      node.field = random.chance(0.9) ? random.between(1, 20) : random.pick([2 ** 29 - 1, 19000, 1000]);
      break;
    case 1:
      node.wire = random.int(8);
      break;
    case 2:
      if (node.wire === 0) node.value = random.pick(SPECIAL_VARINTS);
      else if (node.wire === 1) node.value = random.chance(0.5) ? doubleBytes(random.pick(SPECIAL_DOUBLES)) : random.bytes(8);
      else if (node.wire === 5) node.value = random.bytes(4);
      else {
        node.children = undefined;
        node.value = random.chance(0.5) ? random.pick(INVALID_UTF8) : random.bytes(random.int(32));
      }
      break;
    case 3:
      if (node.wire === 2) node.lengthError = random.pick([-1, 1, -2, 5, 1000, 2 ** 31, -(2 ** 20)]);
      else node.value = random.pick(SPECIAL_VARINTS);
      break;
    case 4:
      list.splice(list.indexOf(node), 0, structuredClone(node));
      break;
    case 5:
      list.splice(list.indexOf(node), 1);
      break;
    case 6: {
      const donorNodes = donor === undefined ? [] : flatten(donor);
      if (donorNodes.length > 0) list.splice(list.indexOf(node), 0, structuredClone(random.pick(donorNodes).node));
      break;
    }
    case 7:
      // Many copies: repeated fields that grow the request.
      for (let i = random.between(2, 50); i > 0; i--) list.push(structuredClone(node));
      break;
    case 8:
      if (node.wire === 2 && node.children === undefined && node.value instanceof Uint8Array) {
        // A string with invalid UTF-8 inside it.
        node.value = concat(node.value.subarray(0, random.int(node.value.length + 1)), random.pick(INVALID_UTF8), node.value.subarray(random.int(node.value.length + 1)));
      } else node.wire = random.pick([3, 4, 6, 7]);
      break;
    default:
      // A negative int64 (two's complement), e.g. a negative count or offset.
      if (node.wire === 0) node.value = BigInt.asUintN(64, -BigInt(random.between(1, 2 ** 30)));
      else node.field = random.between(1, 16);
  }
}

/** Byte-level mutations of an encoded request. */
function mutateBytes(random: SeededRandom, bytes: Uint8Array, donor: Uint8Array): Uint8Array {
  if (bytes.length === 0) return random.bytes(random.int(64));
  const out = Uint8Array.from(bytes);
  switch (random.int(6)) {
    case 0: {
      for (let flips = random.between(1, 8); flips > 0; flips--) out[random.int(out.length)]! ^= 1 << random.int(8);
      return out;
    }
    case 1:
      return out.subarray(0, random.int(out.length));
    case 2: {
      const at = random.int(out.length + 1);
      return concat(out.subarray(0, at), random.bytes(random.between(1, 16)), out.subarray(at));
    }
    case 3: {
      const at = random.int(out.length);
      return concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + random.between(1, 64))));
    }
    case 4:
      return concat(out.subarray(0, random.int(out.length + 1)), donor.subarray(random.int(donor.length + 1)));
    default: {
      for (let sets = random.between(1, 4); sets > 0; sets--) out[random.int(out.length)] = random.pick([0x00, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a]);
      return out;
    }
  }
}

/** A protobuf request mutated from `seeds`: 1 to 4 structural mutations, then sometimes byte-level ones. */
export function mutateProtobuf(random: SeededRandom, seeds: readonly Uint8Array[]): Uint8Array {
  const seed = random.pick(seeds);
  const donorBytes = random.pick(seeds);
  let bytes = seed;
  if (random.chance(0.75)) {
    const fields = parsePb(seed, 0)!;
    const donor = parsePb(donorBytes, 0);
    for (let n = random.between(1, 4); n > 0; n--) mutateField(random, fields, donor);
    bytes = writePb(fields);
  }
  if (random.chance(0.4)) bytes = mutateBytes(random, bytes, donorBytes);
  return bytes;
}

// ---- JSON ----------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function nested(depth: number, leaf: Json): Json {
  let value: Json = leaf;
  for (let i = 0; i < depth; i++) value = { kvlistValue: { values: [{ key: 'k', value }] } };
  return value;
}

function randomJsonValue(random: SeededRandom): Json {
  switch (random.int(16)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([-1, 0, 1.5, -0.5, 1e308, -1e308, 2 ** 64, 2 ** 53 + 1, 4294967296, 3]);
    case 3:
      return random.pick(['NaN', 'Infinity', '-Infinity', '-1', '18446744073709551615', '18446744073709551616', '1e3', '0x10', ' 1', '']);
    case 4:
      return random.pick(['\u0000', '\ud800', 'a\nb"c\\', '# EOF', '\u2028', 'é😀']);
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return nested(random.between(1, 200), { stringValue: 'deep' });
    case 8:
      return 'x'.repeat(random.between(100, 5000));
    case 9:
      return Array.from({ length: random.between(1, 100) }, () => random.int(10));
    case 10:
      return { stringValue: random.pick(['a', '', '\n']) };
    case 11:
      return { intValue: random.pick(['1', '-9223372036854775808', '9223372036854775808', 'x', 1.5]) };
    case 12:
      return [{ key: 'k', value: { doubleValue: 'NaN' } }];
    case 13:
      return random.pick([1, 2, 0, 3, 7, -1]);
    case 14:
      return { aggregationTemporality: random.int(4), dataPoints: [{ timeUnixNano: '1', asDouble: 1 }] };
    default:
      return random.pick(['1700000000000000000', '0', '-1']);
  }
}

interface JsonSlot {
  readonly parent: Json[] | { [key: string]: Json };
  readonly key: string | number;
}

function collectSlots(value: Json, into: JsonSlot[]): JsonSlot[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      into.push({ parent: value, key: index });
      collectSlots(item, into);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      into.push({ parent: value, key });
      collectSlots(value[key]!, into);
    }
  }
  return into;
}

function getSlot(slot: JsonSlot): Json {
  return Array.isArray(slot.parent) ? slot.parent[slot.key as number]! : slot.parent[slot.key as string]!;
}

function setSlot(slot: JsonSlot, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else slot.parent[slot.key as string] = value;
}

function mutateJsonValue(random: SeededRandom, root: Json): void {
  const slots = collectSlots(root, []);
  if (slots.length === 0) return;
  const slot = random.pick(slots);
  const { parent, key } = slot;
  switch (random.int(7)) {
    case 0:
    case 1:
      setSlot(slot, randomJsonValue(random));
      break;
    case 2:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 3:
      if (Array.isArray(parent)) for (let n = random.between(1, 20); n > 0; n--) parent.push(structuredClone(parent[key as number]!));
      else parent[random.pick([`${String(key)}_`, String(key).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), String(key).toUpperCase(), '__proto__', 'constructor'])] = getSlot(slot);
      break;
    case 4: {
      const value = getSlot(slot);
      if (typeof value === 'number') setSlot(slot, random.pick([-value, value * 1e300, String(value), value + 0.5]));
      else if (typeof value === 'string') setSlot(slot, random.pick([`-${value}`, `${value}${value}`, value.slice(1), Number(value)]));
      else setSlot(slot, random.pick([JSON.stringify(value), [value], null]));
      break;
    }
    case 5:
      setSlot(slot, nested(random.between(30, 100), getSlot(slot)));
      break;
    default:
      if (!Array.isArray(parent)) parent[random.pick(['unknownField', 'x', '', 'asDouble', 'asInt', 'gauge', 'sum'])] = randomJsonValue(random);
  }
}

function mutateJsonText(random: SeededRandom, text: string, donor: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  switch (random.int(4)) {
    case 0:
      return bytes.subarray(0, random.int(bytes.length));
    case 1: {
      const at = random.int(bytes.length + 1);
      return concat(bytes.subarray(0, at), random.pick([...INVALID_UTF8, new TextEncoder().encode(random.pick(['{', '}', '"', ',', '[', ']', '\\', '\\u00', '1e999', 'null']))]), bytes.subarray(at));
    }
    case 2:
      return concat(bytes.subarray(0, random.int(bytes.length + 1)), new TextEncoder().encode(donor).subarray(random.int(donor.length)));
    default: {
      const out = Uint8Array.from(bytes);
      for (let flips = random.between(1, 4); flips > 0; flips--) out[random.int(out.length)]! ^= 1 << random.int(8);
      return out;
    }
  }
}

/** A JSON request mutated from `seeds`: 1 to 4 value-level mutations, sometimes byte-level ones instead. */
export function mutateJson(random: SeededRandom, seeds: readonly string[]): Uint8Array {
  const seed = random.pick(seeds);
  if (random.chance(0.3)) return mutateJsonText(random, seed, random.pick(seeds));
  const root = JSON.parse(seed) as Json;
  for (let n = random.between(1, 4); n > 0; n--) mutateJsonValue(random, root);
  return new TextEncoder().encode(JSON.stringify(root));
}
