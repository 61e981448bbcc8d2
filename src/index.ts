export { PrometheusExporter } from './otel/PrometheusExporter.ts';
export { PeriodicPrometheusReader, DEFAULT_COLLECT_INTERVAL_MILLIS, type PeriodicReaderConfig } from './otel/PeriodicPrometheusReader.ts';
export type { BridgeReader, BoundAddress } from './otel/BridgeReader.ts';
export type { ExporterConfig } from './otel/bridgeOptions.ts';
export type { PromClientRegistry } from './promclient/promClientRegistry.ts';
export { metricsPlugin, type MetricsPluginOptions } from './server/metricsPlugin.ts';
export { buildServer, type ServerOptions } from './server/buildServer.ts';
export type { MetricsSource, RenderedMetrics } from './server/metricsSource.ts';
export { TranslationStrategy } from './translate/translationStrategy.ts';
export { NamingCompatibility } from './translate/namingCompatibility.ts';
export {
  buildMigrationRules,
  MigrationRulesError,
  type MigrationRules,
  type MigrationRulesOptions,
  type RecordingRule,
  type ScrapeNaming,
} from './migration/buildMigrationRules.ts';
export { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from './translate/exponentialBuckets.ts';
export type { Logger } from './model/dropCounter.ts';
