import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';

/**
 * How an in-process reader takes the SDK's data into its series store:
 * - `snapshot`: cumulative for every instrument; each collection replaces the store (`replaceWith`).
 *   The SDK reports every series each time. The drop-in exporter, which collects on each scrape.
 * - `changes`: delta for synchronous instruments, so the SDK reports only the series recorded since
 *   the last collection, added onto the store's cumulative series (`apply`); cumulative for
 *   observable ones, whose callbacks report every series anyway and whose resets a delta could not
 *   carry (a lower observed total would come back as an increment). A collection in which few
 *   series changed then costs in proportion to those, in the SDK as in the store, and the chunks
 *   of text of the others are served as they were. The periodic reader.
 */
export type CollectionMode = 'snapshot' | 'changes';

const OBSERVABLE: ReadonlySet<InstrumentType> = new Set([
  InstrumentType.OBSERVABLE_COUNTER,
  InstrumentType.OBSERVABLE_UP_DOWN_COUNTER,
  InstrumentType.OBSERVABLE_GAUGE,
]);

/** The temporality a reader in this mode asks the SDK for, per instrument type. */
export function temporalityFor(mode: CollectionMode): (type: InstrumentType) => AggregationTemporality {
  if (mode === 'snapshot') return () => AggregationTemporality.CUMULATIVE;
  return (type) => (OBSERVABLE.has(type) ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA);
}
