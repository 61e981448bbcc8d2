import { deepStrictEqual } from 'node:assert/strict';
import { fromBinary } from '@bufbuild/protobuf';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { decodeExportMetricsServiceRequest } from '../../src/otlp/decode/protobuf/decodeExportMetricsServiceRequest.ts';
import { measure, summarize, type MeasureOptions, type Timing } from '../measure.ts';
import { formatTable } from '../report.ts';
import { findRow, pointRate, type ResultRow } from '../results.ts';
import { countPoints, type Workload, type WorkloadName } from '../workload.ts';
import { bufbuildToOtelData } from './bufbuildToOtelData.ts';
import { ExportMetricsServiceRequestSchema } from './gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { loadProtobufjsRequestType, protobufjsToOtelData } from './protobufjsToOtelData.ts';

/**
 * The decoder comparison of issue 19: decoding the workload's OTLP protobuf request with ours, and
 * with the two common libraries, both to their own message objects and to the bridge's data model
 * (the work ours does: the libraries' output converted with the same rules). Subjects take turns
 * run by run, so that the noise of a shared machine falls on all of them alike.
 */

type Options = Omit<MeasureOptions, 'before' | 'trackEventLoop'>;

interface Subject {
  readonly id: string;
  readonly label: string;
  readonly decode: (bytes: Uint8Array) => unknown;
}

const requestType = loadProtobufjsRequestType();

const SUBJECTS: readonly Subject[] = [
  { id: 'decode.ours', label: 'ours, bytes → otelData', decode: (bytes) => decodeExportMetricsServiceRequest(bytes) },
  { id: 'decode.bufbuild.messages', label: '@bufbuild/protobuf fromBinary, bytes → its messages', decode: (bytes) => fromBinary(ExportMetricsServiceRequestSchema, bytes) },
  {
    id: 'decode.bufbuild.otelData',
    label: '@bufbuild/protobuf fromBinary + conversion → otelData',
    decode: (bytes) => bufbuildToOtelData(fromBinary(ExportMetricsServiceRequestSchema, bytes)),
  },
  { id: 'decode.protobufjs.messages', label: 'protobufjs Type.decode, bytes → its messages', decode: (bytes) => requestType.decode(bytes) },
  { id: 'decode.protobufjs.otelData', label: 'protobufjs Type.decode + conversion → otelData', decode: (bytes) => protobufjsToOtelData(requestType.decode(bytes)) },
];

/** The library decoders with conversion, whose best figure ours must beat by this much to be kept. */
const CONVERTED = ['decode.bufbuild.otelData', 'decode.protobufjs.otelData'];
export const KEEP_OURS_AT = 1.5;

export async function benchDecode(workload: Workload, resourceMetrics: ResourceMetrics, options: Options): Promise<ResultRow[]> {
  const points = countPoints(resourceMetrics);
  const bytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  if (bytes === undefined) throw new Error('ProtobufMetricsSerializer could not encode the workload');
  // The conversions are only fair if they give what ours gives.
  const ours = decodeExportMetricsServiceRequest(bytes);
  deepStrictEqual(bufbuildToOtelData(fromBinary(ExportMetricsServiceRequestSchema, bytes)), ours, '@bufbuild/protobuf + conversion differs from ours');
  deepStrictEqual(protobufjsToOtelData(requestType.decode(bytes)), ours, 'protobufjs + conversion differs from ours');

  const runsMs = new Map<string, number[]>(SUBJECTS.map((s) => [s.id, []]));
  const operations = new Map<string, number>(SUBJECTS.map((s) => [s.id, 0]));
  for (let run = 0; run < options.runs; run++) {
    for (const subject of SUBJECTS) {
      const warmup = run === 0 ? Math.max(options.warmup ?? 1, 5) : 0;
      const timing = await measure(() => subject.decode(bytes), { ...options, runs: 1, warmup });
      runsMs.get(subject.id)!.push(timing.runsMs[0]!);
      operations.set(subject.id, operations.get(subject.id)! + timing.operations);
    }
  }
  return SUBJECTS.map((subject) => {
    const runs = runsMs.get(subject.id)!;
    const timing: Timing = { ...summarize(runs), runsMs: runs, operations: operations.get(subject.id)! };
    return { id: subject.id, section: 'decode', workload: workload.name, label: subject.label, timing, pointsPerSecond: pointRate(timing, points) };
  });
}

function rate(rows: readonly ResultRow[], id: string, workload: WorkloadName): number | undefined {
  return findRow(rows, id, workload)?.pointsPerSecond?.median;
}

/** The comparison for people: points per second side by side, ours against each, and the decision. */
export function formatDecodeComparison(rows: readonly ResultRow[], workloads: readonly WorkloadName[]): string {
  const measured = workloads.filter((w) => rate(rows, 'decode.ours', w) !== undefined);
  if (measured.length === 0) return '';
  const out = ['\nOTLP protobuf decoding: million data points per second, median (slowest–fastest run)'];
  out.push(
    formatTable(
      ['', ...measured],
      SUBJECTS.map((s) => [
        s.label,
        ...measured.map((w) => {
          const r = findRow(rows, s.id, w)?.pointsPerSecond;
          return r === undefined ? '' : `${(r.median / 1e6).toFixed(2)} (${(r.min / 1e6).toFixed(2)}–${(r.max / 1e6).toFixed(2)})`;
        }),
      ]),
    ),
  );
  const ratioRows = SUBJECTS.slice(1).map((s) => [
    `ours / ${s.label}`,
    ...measured.map((w) => `${(rate(rows, 'decode.ours', w)! / rate(rows, s.id, w)!).toFixed(2)}×`),
  ]);
  const best = (w: WorkloadName): number => Math.max(...CONVERTED.map((id) => rate(rows, id, w)!));
  ratioRows.push(['ours / best library with conversion', ...measured.map((w) => `${(rate(rows, 'decode.ours', w)! / best(w)).toFixed(2)}×`)]);
  out.push('', formatTable(['ratio (above 1: ours is faster)', ...measured], ratioRows));
  const keep = measured.every((w) => rate(rows, 'decode.ours', w)! >= KEEP_OURS_AT * best(w));
  out.push(
    keep
      ? `Decision: keep the hand-written decoder (at least ${KEEP_OURS_AT}× the best library with conversion on every workload).`
      : `Decision: the hand-written decoder is not ${KEEP_OURS_AT}× the best library with conversion on every workload; consider a library.`,
  );
  return out.join('\n');
}
