import { I64, LEN, VARINT } from './wireTypes.ts';

/**
 * The messages of an OTLP metrics request and their fields, as the protobuf decoder needs them: to
 * name a field in an error path, and to tell a known field sent with a wrong wire type from an
 * unknown field to skip.
 *
 * Field numbers and types: opentelemetry-proto, `opentelemetry/proto/{collector/metrics,metrics,
 * common,resource}/v1/*.proto`.
 */

// Message kinds: for error paths, and to tell a known field with a wrong wire type from an unknown field.
export const REQUEST = 0;
export const RESOURCE_METRICS = 1;
export const RESOURCE = 2;
export const SCOPE_METRICS = 3;
export const SCOPE = 4;
export const METRIC = 5;
export const GAUGE = 6;
export const SUM = 7;
export const HISTOGRAM = 8;
export const EXPONENTIAL_HISTOGRAM = 9;
export const SUMMARY = 10;
export const NUMBER_POINT = 11;
export const HISTOGRAM_POINT = 12;
export const EXPONENTIAL_POINT = 13;
export const BUCKETS = 14;
export const SUMMARY_POINT = 15;
export const VALUE_AT_QUANTILE = 16;
export const EXEMPLAR = 17;
export const KEY_VALUE = 18;
export const ANY_VALUE = 19;
export const ARRAY_VALUE = 20;
export const KEY_VALUE_LIST = 21;

export interface FieldInfo {
  readonly name: string;
  /** Wire types accepted; repeated numeric fields take both their own and LEN (packed). */
  readonly wireTypes: readonly number[];
}

export type FieldTable = readonly (FieldInfo | undefined)[];

function fieldTable(fields: Record<number, readonly [name: string, ...wireTypes: number[]]>): FieldTable {
  const table: (FieldInfo | undefined)[] = [];
  for (const [number, [name, ...wireTypes]] of Object.entries(fields)) table[Number(number)] = { name, wireTypes };
  return table;
}

const POINT_TIMES = { 2: ['start_time_unix_nano', I64], 3: ['time_unix_nano', I64] } as const;

/** Every field of every message read, indexed by message kind and field number. */
export const FIELDS: readonly FieldTable[] = [
  fieldTable({ 1: ['resource_metrics', LEN] }),
  fieldTable({ 1: ['resource', LEN], 2: ['scope_metrics', LEN], 3: ['schema_url', LEN] }),
  fieldTable({ 1: ['attributes', LEN], 2: ['dropped_attributes_count', VARINT], 3: ['entity_refs', LEN] }),
  fieldTable({ 1: ['scope', LEN], 2: ['metrics', LEN], 3: ['schema_url', LEN] }),
  fieldTable({ 1: ['name', LEN], 2: ['version', LEN], 3: ['attributes', LEN], 4: ['dropped_attributes_count', VARINT] }),
  fieldTable({
    1: ['name', LEN],
    2: ['description', LEN],
    3: ['unit', LEN],
    5: ['gauge', LEN],
    7: ['sum', LEN],
    9: ['histogram', LEN],
    10: ['exponential_histogram', LEN],
    11: ['summary', LEN],
    12: ['metadata', LEN],
  }),
  fieldTable({ 1: ['data_points', LEN] }),
  fieldTable({ 1: ['data_points', LEN], 2: ['aggregation_temporality', VARINT], 3: ['is_monotonic', VARINT] }),
  fieldTable({ 1: ['data_points', LEN], 2: ['aggregation_temporality', VARINT] }),
  fieldTable({ 1: ['data_points', LEN], 2: ['aggregation_temporality', VARINT] }),
  fieldTable({ 1: ['data_points', LEN] }),
  fieldTable({
    ...POINT_TIMES,
    4: ['as_double', I64],
    5: ['exemplars', LEN],
    6: ['as_int', I64],
    7: ['attributes', LEN],
    8: ['flags', VARINT],
  }),
  fieldTable({
    ...POINT_TIMES,
    4: ['count', I64],
    5: ['sum', I64],
    6: ['bucket_counts', I64, LEN],
    7: ['explicit_bounds', I64, LEN],
    8: ['exemplars', LEN],
    9: ['attributes', LEN],
    10: ['flags', VARINT],
    11: ['min', I64],
    12: ['max', I64],
  }),
  fieldTable({
    1: ['attributes', LEN],
    ...POINT_TIMES,
    4: ['count', I64],
    5: ['sum', I64],
    6: ['scale', VARINT],
    7: ['zero_count', I64],
    8: ['positive', LEN],
    9: ['negative', LEN],
    10: ['flags', VARINT],
    11: ['exemplars', LEN],
    12: ['min', I64],
    13: ['max', I64],
    14: ['zero_threshold', I64],
  }),
  fieldTable({ 1: ['offset', VARINT], 2: ['bucket_counts', VARINT, LEN] }),
  fieldTable({
    ...POINT_TIMES,
    4: ['count', I64],
    5: ['sum', I64],
    6: ['quantile_values', LEN],
    7: ['attributes', LEN],
    8: ['flags', VARINT],
  }),
  fieldTable({ 1: ['quantile', I64], 2: ['value', I64] }),
  fieldTable({
    2: ['time_unix_nano', I64],
    3: ['as_double', I64],
    4: ['span_id', LEN],
    5: ['trace_id', LEN],
    6: ['as_int', I64],
    7: ['filtered_attributes', LEN],
  }),
  fieldTable({ 1: ['key', LEN], 2: ['value', LEN], 3: ['key_strindex', VARINT] }),
  fieldTable({
    1: ['string_value', LEN],
    2: ['bool_value', VARINT],
    3: ['int_value', VARINT],
    4: ['double_value', I64],
    5: ['array_value', LEN],
    6: ['kvlist_value', LEN],
    7: ['bytes_value', LEN],
    8: ['string_value_strindex', VARINT],
  }),
  fieldTable({ 1: ['values', LEN] }),
  fieldTable({ 1: ['values', LEN] }),
];

export function fieldName(kind: number, field: number): string {
  return FIELDS[kind]?.[field]?.name ?? `(field ${field})`;
}
