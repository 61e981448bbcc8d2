/** `Accept` headers the benchmark scrapes with, as Prometheus sends them for each format it prefers. */

/** Prometheus with native histograms on: protobuf first. */
export const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

/** Prometheus' default: OpenMetrics first. */
export const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Text 0.0.4, as the benchmark's scrapes have always asked. */
export const TEXT_ACCEPT = 'text/plain;version=0.0.4';
