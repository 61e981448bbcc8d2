/**
 * Negotiation of the format and of the name escaping, as Prometheus 2 and 3 and other scrapers ask:
 * the format of the range with the highest q, the escaping that range names (`underscores` when it
 * names none we know), and a content type naming both, as client_golang writes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EscapingScheme } from '../../src/exposition/escaping/nameEscaping.ts';
import { EXPOSITION_FORMATS } from '../../src/exposition/expositionFormats.ts';

/** Prometheus 3's default `scrape_protocols`. */
const PROMETHEUS_3_ACCEPT =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
/** Prometheus 3 with the protobuf format first (native histograms). */
const PROMETHEUS_3_PROTOBUF_ACCEPT = `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,${PROMETHEUS_3_ACCEPT}`;
const PROMETHEUS_2_42_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const TEXT_V1 = 'text/plain; version=1.0.0; charset=utf-8';

interface Row {
  readonly rule: string;
  readonly accept: string | undefined;
  /** Binary formats passed over (`render()`); the protobuf rows use it so as not to depend on whether one is registered. */
  readonly textOnly?: boolean;
  readonly format: string;
  readonly escaping: EscapingScheme;
  readonly contentType: string;
}

const rows: readonly Row[] = [
  { rule: 'Prometheus 3 → OpenMetrics with UTF-8 names', accept: PROMETHEUS_3_ACCEPT, format: 'openmetrics', escaping: 'allow-utf-8', contentType: `${OPENMETRICS}; escaping=allow-utf-8` },
  { rule: 'Prometheus 3, protobuf first, text formats only → OpenMetrics with UTF-8 names', accept: PROMETHEUS_3_PROTOBUF_ACCEPT, textOnly: true, format: 'openmetrics', escaping: 'allow-utf-8', contentType: `${OPENMETRICS}; escaping=allow-utf-8` },
  { rule: 'Prometheus 2.42 names no escaping → OpenMetrics, underscores', accept: PROMETHEUS_2_42_ACCEPT, format: 'openmetrics', escaping: 'underscores', contentType: `${OPENMETRICS}; escaping=underscores` },
  { rule: 'no Accept header → text 0.0.4, underscores', accept: undefined, format: 'text', escaping: 'underscores', contentType: `${TEXT}; escaping=underscores` },
  { rule: 'an empty Accept header → text 0.0.4, underscores', accept: '', format: 'text', escaping: 'underscores', contentType: `${TEXT}; escaping=underscores` },
  { rule: '`text/plain` → text 0.0.4, underscores', accept: 'text/plain', format: 'text', escaping: 'underscores', contentType: `${TEXT}; escaping=underscores` },
  { rule: '`*/*` → text 0.0.4, underscores', accept: '*/*', format: 'text', escaping: 'underscores', contentType: `${TEXT}; escaping=underscores` },
  { rule: 'no format asked for is served → the fallback, underscores', accept: 'application/json;escaping=allow-utf-8', format: 'text', escaping: 'underscores', contentType: `${TEXT}; escaping=underscores` },
  {
    rule: 'Prometheus 3 scraping text only (`scrape_protocols: [PrometheusText1.0.0, PrometheusText0.0.4]`) → text 1.0.0',
    accept: 'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
    format: 'text-1.0.0',
    escaping: 'allow-utf-8',
    contentType: `${TEXT_V1}; escaping=allow-utf-8`,
  },
  { rule: 'text 1.0.0 without escaping → underscores', accept: 'text/plain;version=1.0.0', format: 'text-1.0.0', escaping: 'underscores', contentType: `${TEXT_V1}; escaping=underscores` },
  { rule: 'escaping=allow-utf-8', accept: 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8', format: 'openmetrics', escaping: 'allow-utf-8', contentType: `${OPENMETRICS}; escaping=allow-utf-8` },
  { rule: 'escaping=underscores', accept: 'application/openmetrics-text;version=1.0.0;escaping=underscores', format: 'openmetrics', escaping: 'underscores', contentType: `${OPENMETRICS}; escaping=underscores` },
  { rule: 'escaping=dots', accept: 'text/plain;version=0.0.4;escaping=dots', format: 'text', escaping: 'dots', contentType: `${TEXT}; escaping=dots` },
  { rule: 'escaping=values', accept: 'text/plain;version=1.0.0;escaping=values', format: 'text-1.0.0', escaping: 'values', contentType: `${TEXT_V1}; escaping=values` },
  { rule: 'an unknown escaping → underscores', accept: 'application/openmetrics-text;version=1.0.0;escaping=percent', format: 'openmetrics', escaping: 'underscores', contentType: `${OPENMETRICS}; escaping=underscores` },
  { rule: 'text 0.0.4 asking for UTF-8 gets it (as client_golang answers)', accept: 'text/plain;version=0.0.4;escaping=allow-utf-8', format: 'text', escaping: 'allow-utf-8', contentType: `${TEXT}; escaping=allow-utf-8` },
  {
    rule: 'the escaping of the chosen range only, not of a range passed over',
    accept: 'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,application/openmetrics-text;version=1.0.0;q=0.9',
    format: 'openmetrics',
    escaping: 'underscores',
    contentType: `${OPENMETRICS}; escaping=underscores`,
  },
  { rule: 'a quoted escaping value', accept: 'application/openmetrics-text; version="1.0.0"; escaping="allow-utf-8"', format: 'openmetrics', escaping: 'allow-utf-8', contentType: `${OPENMETRICS}; escaping=allow-utf-8` },
];

describe('EXPOSITION_FORMATS.negotiate: format, escaping and content type', () => {
  for (const { rule, accept, textOnly, format, escaping, contentType } of rows) {
    it(`${rule}: ${JSON.stringify(accept)}`, () => {
      const negotiated = EXPOSITION_FORMATS.negotiate(accept, textOnly);
      assert.deepEqual({ format: negotiated.format.name, escaping: negotiated.escaping, contentType: negotiated.contentType }, { format, escaping, contentType });
    });
  }

  it('Prometheus 3 with protobuf first, binary formats allowed: protobuf with UTF-8 names if one is registered, else OpenMetrics with them', () => {
    const { format, escaping, contentType } = EXPOSITION_FORMATS.negotiate(PROMETHEUS_3_PROTOBUF_ACCEPT);
    if (format.binary) {
      // Prometheus 3 names no escaping on its protobuf range.
      assert.equal(escaping, 'underscores');
      assert.equal(contentType, `${format.contentType}; escaping=underscores`);
    } else {
      assert.deepEqual({ format: format.name, escaping, contentType }, { format: 'openmetrics', escaping: 'allow-utf-8', contentType: `${OPENMETRICS}; escaping=allow-utf-8` });
    }
  });
});
