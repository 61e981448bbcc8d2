import { FormatRegistry } from './formatRegistry.ts';
import { openMetricsFormat } from './openmetrics/openMetricsFormat.ts';
import { protobufFormat } from './protobuf/protobufFormat.ts';
import { textFormat } from './text/textFormat.ts';
import { textV1Format } from './text/textV1Format.ts';

/**
 * The formats the bridge serves, preferred in this order on a tie of q (OpenMetrics over text);
 * text 0.0.4 when the scraper asks for none of them. A new format: its folder, and a line here.
 */
export const EXPOSITION_FORMATS = new FormatRegistry([protobufFormat, openMetricsFormat, textV1Format, textFormat], textFormat);
