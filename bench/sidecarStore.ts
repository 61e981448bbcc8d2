import { DropCounter } from '../src/model/dropCounter.ts';
import { SeriesStore } from '../src/model/seriesStore.ts';
import { toStoreTranslation } from '../src/config/translationSettings.ts';
import { resolveSidecarSettings } from '../src/sidecar/sidecarSettings.ts';

/** A series store set up as the Sidecar sets up its own (default settings, a series limit the workload fits in). */
export function createSidecarStore(maxSeries: number): SeriesStore {
  const settings = resolveSidecarSettings({ maxSeries });
  return new SeriesStore(toStoreTranslation(settings), new DropCounter(settings.logger), {
    maxSeries: settings.maxSeries,
    metricExpirationMs: settings.metricExpirationMs,
    clock: settings.clock,
  });
}
