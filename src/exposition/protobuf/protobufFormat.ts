import type { Family } from '../../model/family.ts';
import type { ExpositionFormat, RenderOptions } from '../expositionFormat.ts';
import type { MediaRange } from '../mediaRange.ts';
import { writeMetricFamilies } from './writeMetricFamilies.ts';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.google.protobuf';
export const PROTOBUF_PROTO = 'io.prometheus.client.MetricFamily';
export const PROTOBUF_CONTENT_TYPE = `${PROTOBUF_MEDIA_TYPE}; proto=${PROTOBUF_PROTO}; encoding=delimited`;

/**
 * Prometheus' protobuf exposition: varint-length-delimited `io.prometheus.client.MetricFamily`
 * messages. Prometheus asks for it first when it scrapes native histograms (2.40+ with
 * `--enable-feature=native-histograms`, 3.x with `scrape_native_histograms`), and only then do
 * exponential histograms reach it as native histograms. Answers only a range naming this message
 * and the delimited encoding: `application/vnd.google.protobuf` alone could be any message, and
 * the text encoding (`encoding=text`) is not written.
 */
export const protobufFormat: ExpositionFormat = {
  name: 'protobuf',
  contentType: PROTOBUF_CONTENT_TYPE,
  binary: true,
  accepts(range: MediaRange): boolean {
    return range.type === PROTOBUF_MEDIA_TYPE && range.params.get('proto') === PROTOBUF_PROTO && range.params.get('encoding') === 'delimited';
  },
  // Kept runs are shared by a scraper that names no escaping and one asking for UTF-8 names: the same bytes.
  write: (families, options, cache) =>
    writeMetricFamilies(families, options, options.appendTimestamp === true ? undefined : cache?.bytesForFormat('protobuf', options.escaping ?? 'allow-utf-8')),
};

/** The whole protobuf exposition as one byte array. */
export function renderProtobuf(families: Iterable<Family>, options: RenderOptions = {}): Uint8Array {
  return Buffer.concat([...writeMetricFamilies(families, options)]);
}
