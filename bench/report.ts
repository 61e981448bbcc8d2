import type { ResultRow } from './results.ts';
import type { Ratio, TargetResult } from './targets.ts';
import type { WorkloadName } from './workload.ts';

/** Formats rows of cells as aligned columns (the first left-aligned, the rest right-aligned). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatMs(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function formatBytes(value: number): string {
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(0)} KiB`;
  return `${value} B`;
}

/** A cell for one row: the median and the spread over runs. */
function cell(row: ResultRow | undefined): string {
  if (row === undefined) return '';
  if (row.pointsPerSecond !== undefined) {
    const { median, min, max } = row.pointsPerSecond;
    return `${(median / 1e6).toFixed(2)} (${(min / 1e6).toFixed(2)}–${(max / 1e6).toFixed(2)})`;
  }
  if (row.bytesPerSeries !== undefined) return `${row.bytesPerSeries.toFixed(0)} B`;
  if (row.timing !== undefined) return `${formatMs(row.timing.medianMs)} (${formatMs(row.timing.minMs)}–${formatMs(row.timing.maxMs)})`;
  return row.note ?? '';
}

/** The report for people: every figure with the workloads side by side, sizes, ratios and targets. */
export function formatReport(rows: readonly ResultRow[], workloads: readonly WorkloadName[], ratios: readonly Ratio[], targets: readonly TargetResult[]): string {
  const ids = [...new Set(rows.map((r) => r.id))];
  const byId = (id: string, workload: WorkloadName): ResultRow | undefined => rows.find((r) => r.id === id && r.workload === workload);
  const labelOf = (id: string): string => rows.find((r) => r.id === id)!.label;
  const out: string[] = [];

  const sections: [string, string][] = [
    ['scrape', 'Scrape and render: ms per operation, median (fastest–slowest run)'],
    ['ingest', 'Ingest: million data points per second, median (slowest–fastest run)'],
    ['memory', 'Memory: heap bytes per series after gc()'],
    ['state', 'State across restarts: ms per snapshot written or restored, median (fastest–slowest run)'],
  ];
  for (const [section, title] of sections) {
    // The encoder comparison's rows (`encode.*`, series per second) have a table of their own (formatEncodeComparison).
    const sectionIds = ids.filter((id) => byId(id, rows.find((r) => r.id === id)!.workload)?.section === section && !id.startsWith('encode.'));
    if (sectionIds.length === 0) continue;
    out.push(`\n${title}`);
    out.push(formatTable(['', ...workloads], sectionIds.map((id) => [labelOf(id), ...workloads.map((w) => cell(byId(id, w)))])));
  }

  const loopRows = ids.filter((id) => rows.some((r) => r.id === id && r.timing?.eventLoopMaxMs !== undefined));
  if (loopRows.length > 0) {
    out.push('\nLongest event-loop block during the operation, ms: median of runs (worst run)');
    out.push(
      formatTable(
        ['', ...workloads],
        loopRows.map((id) => [
          labelOf(id),
          ...workloads.map((w) => {
            const loop = byId(id, w)?.timing?.eventLoopMaxMs;
            return loop === undefined ? '' : `${formatMs(loop.median)} (${formatMs(loop.max)})`;
          }),
        ]),
      ),
    );
  }

  const sized = ids.filter((id) => rows.some((r) => r.id === id && r.bytes !== undefined));
  if (sized.length > 0) {
    out.push('\nBody sizes: bytes (gzip level 1 as served) lines');
    out.push(
      formatTable(
        ['', ...workloads],
        sized.map((id) => [
          labelOf(id),
          ...workloads.map((w) => {
            const r = byId(id, w);
            if (r?.bytes === undefined) return '';
            return [formatBytes(r.bytes), r.gzipBytes === undefined ? '' : `(${formatBytes(r.gzipBytes)})`, r.lines === undefined ? '' : `${r.lines} lines`]
              .filter(Boolean)
              .join(' ');
          }),
        ]),
      ),
    );
  }

  const notes = rows.filter((r) => r.note !== undefined && r.note !== '');
  for (const r of notes) out.push(`  note, ${r.workload} ${r.label}: ${r.note}`);

  if (ratios.length > 0) {
    out.push('\nRatios, peer / ours (above 1: ours is faster; ingest: ours / peer in points per second)');
    const names = [...new Set(ratios.map((r) => r.name))];
    out.push(
      formatTable(
        ['', ...workloads],
        names.map((name) => [name, ...workloads.map((w) => ratios.find((r) => r.name === name && r.workload === w)?.value.toFixed(2) ?? '')]),
      ),
    );
  }

  out.push('\nTargets (issue 4)');
  out.push(formatTable(['target', 'this run', ''], targets.map((t) => [t.target, t.figure, t.status])));
  return out.join('\n');
}
