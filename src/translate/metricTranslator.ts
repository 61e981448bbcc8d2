import type { Attributes, InstrumentationScope, OtelMetric } from '../otelData/otelData.ts';
import { LabelBuilders, LabelCache, type LabelTexts } from './labelCache.ts';
import { FixedLabelLayout, type LabelLayout } from './labelLayout.ts';
import { buildFamilyHelp, type FamilyHelp } from './familyHelp.ts';
import type { LabelNaming } from './labelName.ts';
import type { LabelPairs } from './labelPairs.ts';
import type { ContextLabels, LabelDropReason, LabelSetOptions } from './labelPlan.ts';
import { buildLabelPairs } from './labelSet.ts';
import { renderLabelText } from './labelText.ts';
import { buildMetricName, type NamingKind } from './metricName.ts';
import { metricTypeOf, openMetricsFamilyName, type MetricType } from './metricType.ts';
import { buildJobAndInstance, buildPromotedLabels, buildTargetInfoAttributes, type ResourceAttributePromotion } from './resourceLabels.ts';
import { buildScopeLabels } from './scopeLabels.ts';
import { buildExporterPrometheusHelp, buildExporterPrometheusMetricName, buildExporterPrometheusScopeLabels } from './exporterPrometheusNames.ts';
import { NamingCompatibility } from './namingCompatibility.ts';
import { addsSuffixes, escapesNames, type TranslationStrategy } from './translationStrategy.ts';
import { buildUnitName } from './unitSuffix.ts';

/** How OpenTelemetry data becomes Prometheus families; every field has its default filled in. */
export interface TranslationSettings {
  readonly translationStrategy: TranslationStrategy;
  /** Prefix for every metric name (`otel` gives `otel_http_server_requests_total`), '' for none. */
  readonly namespace: string;
  readonly scopeLabels: boolean;
  readonly targetInfo: boolean;
  /** `job`/`instance` from the resource on every series (the sidecar's default). */
  readonly jobAndInstance: boolean;
  readonly promoteResourceAttributes: ResourceAttributePromotion | undefined;
  /** Runs of `_` in attribute keys kept when escaping (Prometheus' `label_name_preserve_multiple_underscores`). */
  readonly labelNamePreserveMultipleUnderscores: boolean;
  /** `_foo` → `key_foo` when escaping (Prometheus' `label_name_underscore_sanitization`). */
  readonly labelNameUnderscoreSanitization: boolean;
  /**
   * `exporter-prometheus`: names, labels, scope labels and HELP as `@opentelemetry/exporter-prometheus`
   * writes them (`exporterPrometheusNames.ts`); the strategy and the two label-name flags are then
   * not used. @default 'prometheus'
   */
  readonly compatibility?: NamingCompatibility;
}

export const TARGET_INFO = 'target_info';

/** Where the translator counts what it leaves out (the store's `DropCounter`). */
export interface TranslationDrops {
  drop(reason: LabelDropReason, detail: string): void;
}

/** A metric's family as Prometheus names it. */
export interface TranslatedFamily {
  /** Undefined when nothing of the OpenTelemetry name is left (`invalid_metric_name`). */
  readonly name: string | undefined;
  readonly type: MetricType;
  /** The OpenMetrics unit, only where the name carries it as its suffix; '' for none. */
  readonly unit: string;
  /** HELP: the description, or a fallback built from the metric when it has none. */
  readonly help: FamilyHelp;
}

/** One resource as labels: `job`/`instance` (none without `jobAndInstance`) and the promoted attributes. */
export interface TranslatedResource {
  readonly attributes: Attributes;
  readonly identity: LabelPairs;
  readonly promoted: LabelPairs;
}

/** A resource's `target_info` series: its labels, and the key of the resource it describes. */
export interface TargetInfoLabels {
  readonly labelText: string;
  readonly layout: LabelLayout;
}

/**
 * The translation stage: the one rule from an OpenTelemetry metric and its attributes to a
 * Prometheus family name, type, unit and label set, with its caches for the hot path (label texts
 * kept by attribute values for pushers, by attributes object for the in-process readers). The
 * store keeps the series; this says what they are called.
 *
 * A point attribute key that cannot be a label name refuses its point, as Prometheus refuses it:
 * building its label text records the key (`unnamableKey`) for the store to refuse the point. A
 * reserved one (`le`, `__name__`) is left out and counted.
 */
export class MetricTranslator {
  readonly #settings: TranslationSettings;
  readonly #drops: TranslationDrops;
  readonly #naming: LabelNaming;
  readonly #plainLabels: LabelSetOptions;
  readonly #histogramLabels: LabelSetOptions;
  readonly #summaryLabels: LabelSetOptions;
  /** For `target_info`: a resource attribute key that cannot be a label name is left out and counted. */
  readonly #targetInfoLabels: LabelSetOptions;
  readonly #labelCache = new LabelCache();
  /** `compatibility: 'exporter-prometheus'`: the official exporter's names. */
  readonly #exporterPrometheus: boolean;
  readonly #labelBuilders: LabelBuilders;
  #unnamableKey: string | undefined;

  /** `seriesHeld`: the series the store holds now, which bounds the label texts kept for pushers. */
  constructor(settings: TranslationSettings, drops: TranslationDrops, seriesHeld: () => number) {
    this.#settings = settings;
    this.#drops = drops;
    this.#labelBuilders = new LabelBuilders(seriesHeld);
    this.#exporterPrometheus = settings.compatibility === NamingCompatibility.ExporterPrometheus;
    this.#naming = {
      ...(this.#exporterPrometheus ? { compatibility: NamingCompatibility.ExporterPrometheus } : {}),
      escape: this.#exporterPrometheus || escapesNames(settings.translationStrategy),
      preserveMultipleUnderscores: settings.labelNamePreserveMultipleUnderscores,
      underscoreSanitization: settings.labelNameUnderscoreSanitization,
    };
    this.#plainLabels = this.#pointLabelOptions(undefined);
    this.#histogramLabels = this.#pointLabelOptions('le');
    this.#summaryLabels = this.#pointLabelOptions('quantile');
    this.#targetInfoLabels = {
      ...this.#naming,
      onDrop: (reason, key) => this.#drops.drop(reason, `resource attribute ${JSON.stringify(key)} cannot be a label name of target_info`),
    };
  }

  get settings(): TranslationSettings {
    return this.#settings;
  }

  /** The first attribute key that could not be a label name since `forgetUnnamableKey()`. */
  get unnamableKey(): string | undefined {
    return this.#unnamableKey;
  }

  forgetUnnamableKey(): void {
    this.#unnamableKey = undefined;
  }

  /** A new in-process collection: label texts of contexts the last one did not use are let go. */
  startCollection(): void {
    this.#labelCache.startCollection();
  }

  /** Lets go of the label texts kept for pushers (at each expiry sweep, with the series that may go). */
  forgetKeptLabels(): void {
    this.#labelBuilders.clear();
  }

  translateResource(attributes: Attributes): TranslatedResource {
    const identity = this.#settings.jobAndInstance ? buildJobAndInstance(attributes) : [];
    return { attributes, identity, promoted: buildPromotedLabels(attributes, this.#settings.promoteResourceAttributes, this.#naming) };
  }

  /** The labels every series of this resource and scope carries besides its own attributes. */
  contextOf(resource: TranslatedResource, scope: InstrumentationScope): ContextLabels {
    const scopeLabels = !this.#settings.scopeLabels ? [] : this.#exporterPrometheus ? buildExporterPrometheusScopeLabels(scope) : buildScopeLabels(scope, this.#naming);
    return { defaults: resource.promoted, overrides: [...scopeLabels, ...resource.identity] };
  }

  /**
   * The label texts of a metric's points: `snapshot` (the in-process readers) cached by attributes
   * object, which the SDK hands back unchanged; otherwise (pushers) kept by attribute values.
   */
  labelsOf(context: ContextLabels, type: MetricType, snapshot: boolean): LabelTexts {
    const options = type === 'histogram' ? this.#histogramLabels : type === 'summary' ? this.#summaryLabels : this.#plainLabels;
    return snapshot ? this.#labelCache.labelsOf(context, options) : this.#labelBuilders.builderFor(context, options);
  }

  translateFamily(metric: OtelMetric): TranslatedFamily {
    const type = metricTypeOf(metric);
    const { translationStrategy: strategy, namespace } = this.#settings;
    if (this.#exporterPrometheus) {
      // No unit suffix, so no OpenMetrics unit either.
      return { name: buildExporterPrometheusMetricName(metric.name, type === 'counter', namespace), type, unit: '', help: buildExporterPrometheusHelp(metric) };
    }
    const kind: NamingKind = type === 'counter' ? 'counter' : metric.kind === 'gauge' ? 'gauge' : 'other';
    const name = buildMetricName({ name: metric.name, unit: metric.unit, kind }, { strategy, namespace: namespace === '' ? undefined : namespace });
    return { name, type, unit: name === undefined ? '' : this.#unitFor(name, type, metric), help: buildFamilyHelp(metric) };
  }

  /** `job`/`instance` as one key (the resource's `target_info` is found by it); undefined without them. */
  identityKeyOf(resource: TranslatedResource): string | undefined {
    return this.#settings.jobAndInstance ? renderLabelText(resource.identity) : undefined;
  }

  /** The labels of the resource's `target_info`; undefined when nothing but its identity would be left. */
  targetInfoOf(resource: TranslatedResource): TargetInfoLabels | undefined {
    const attributes = buildTargetInfoAttributes(resource.attributes, this.#settings.jobAndInstance);
    if (attributes === undefined) return undefined;
    const pairs = buildLabelPairs(attributes, { defaults: [], overrides: resource.identity }, this.#targetInfoLabels);
    return { labelText: renderLabelText(pairs), layout: new FixedLabelLayout(pairs) };
  }

  #pointLabelOptions(reserved: string | undefined): LabelSetOptions {
    return {
      ...this.#naming,
      reserved,
      onDrop: (reason, key) => {
        if (reason === 'invalid_label_name') this.#unnamableKey ??= key;
        else this.#drops.drop(reason, `attribute ${JSON.stringify(key)} cannot be a label name`);
      },
    };
  }

  /** The OpenMetrics unit, only where the name carries it as its suffix. */
  #unitFor(name: string, type: MetricType, metric: OtelMetric): string {
    if (!addsSuffixes(this.#settings.translationStrategy)) return '';
    const unit = buildUnitName(metric.unit, metric.kind === 'gauge' && metric.unit === '1');
    const familyName = openMetricsFamilyName(name, type);
    return unit !== '' && familyName.endsWith(`_${unit}`) ? unit : '';
  }
}
