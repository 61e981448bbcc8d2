import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildMetricName, type NamingKind } from '../../src/translate/metricName.ts';
import {
  addsSuffixes,
  DEFAULT_TRANSLATION_STRATEGY,
  escapesNames,
  isTranslationStrategy,
  TranslationStrategy,
} from '../../src/translate/translationStrategy.ts';
import { buildUnitName, buildUnitSuffixes, cleanUpUnitSuffix } from '../../src/translate/unitSuffix.ts';

/** One example from MAPPING.md "Metric names"; `rule` quotes the rule it checks. */
interface NameRow {
  readonly rule: string;
  readonly name: string;
  readonly unit?: string;
  readonly kind?: NamingKind;
  readonly namespace?: string;
  readonly want: string | undefined;
}

function runRows(strategy: TranslationStrategy, rows: readonly NameRow[]): void {
  for (const row of rows) {
    const kind = row.kind ?? 'gauge';
    const input = `${kind} ${JSON.stringify(row.name)}${row.unit === undefined ? '' : ` unit ${JSON.stringify(row.unit)}`}${row.namespace === undefined ? '' : ` namespace ${JSON.stringify(row.namespace)}`}`;
    it(`${row.rule}: ${input} → ${row.want === undefined ? 'dropped' : JSON.stringify(row.want)}`, () => {
      const got = buildMetricName({ name: row.name, unit: row.unit ?? '', kind }, { strategy, namespace: row.namespace });
      assert.equal(got, row.want);
    });
  }
}

describe('buildMetricName, UnderscoreEscapingWithSuffixes (the default)', () => {
  it('is the default strategy', () => {
    assert.equal(DEFAULT_TRANSLATION_STRATEGY, TranslationStrategy.UnderscoreEscapingWithSuffixes);
  });

  describe('1. "Characters outside [a-zA-Z0-9_:] become _; runs of _ collapse to one; a leading digit gets a _ prefix"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: 'dots become _', name: 'http.server.duration', want: 'http_server_duration' },
      { rule: 'characters outside [a-zA-Z0-9_:] become _', name: 'metric@with#special$chars', want: 'metric_with_special_chars' },
      { rule: 'non-ASCII letters are outside the set', name: 'métrique', want: 'm_trique' },
      { rule: 'a character outside the BMP is one _', name: 'cpu🔥load', want: 'cpu_load' },
      { rule: '`:` is inside the set', name: 'job:requests:rate5m', want: 'job:requests:rate5m' },
      { rule: 'valid names stay', name: 'Simple_Metric_1', want: 'Simple_Metric_1' },
      { rule: 'runs of _ collapse to one (from invalid characters)', name: 'metric@@##$$name', want: 'metric_name' },
      { rule: 'runs of _ collapse to one (written in the name)', name: 'metric__with__multiple__underscores', want: 'metric_with_multiple_underscores' },
      { rule: 'runs of _ collapse to one (mixed)', name: 'a._b', want: 'a_b' },
      { rule: 'a leading digit gets a _ prefix (`123metric` → `_123metric`)', name: '123metric', want: '_123metric' },
      { rule: 'a leading digit gets a _ prefix, also after a dropped leading character', name: '.5xx', want: '_5xx' },
    ]);
  });

  describe('1. "A name that sanitizes to nothing is dropped"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: 'the empty name sanitizes to nothing', name: '', want: undefined },
      { rule: 'only invalid characters sanitize to nothing', name: '@#$%', want: undefined },
      { rule: 'only underscores sanitize to nothing', name: '___', want: undefined },
      { rule: 'invalid characters and underscores sanitize to nothing', name: '@_#_$_%', want: undefined },
      { rule: 'non-ASCII only sanitizes to nothing', name: 'ようこそ', want: undefined },
      { rule: 'a unit suffix does not rescue a name that sanitizes to nothing', name: '...', unit: 's', kind: 'counter', want: undefined },
      { rule: 'a namespace does not rescue a name that sanitizes to nothing', name: '...', namespace: 'app', want: undefined },
    ]);
  });

  describe('2. "An optional namespace is prefixed as <namespace>_ (itself sanitized)"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: 'namespace `app` + `123_requests` (counter) → `app_123_requests_total`', name: '123_requests', kind: 'counter', namespace: 'app', want: 'app_123_requests_total' },
      { rule: 'namespace `otel` + `http.server.requests` (counter)', name: 'http.server.requests', kind: 'counter', namespace: 'otel', want: 'otel_http_server_requests_total' },
      { rule: 'the namespace is itself sanitized', name: 'metric', namespace: 'test@namespace!!??', want: 'test_namespace_metric' },
      { rule: 'the namespace comes before the unit and _total suffixes', name: 'requests', unit: '1/s', kind: 'counter', namespace: 'app', want: 'app_requests_per_second_total' },
      { rule: 'a namespace starting with a digit gets the _ prefix', name: 'requests', namespace: '9app', want: '_9app_requests' },
      { rule: 'an empty namespace adds nothing', name: 'requests', namespace: '', want: 'requests' },
    ]);
  });

  describe('3. "Unit suffix, from the UCUM unit": time', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: '`d` days', name: 'uptime', unit: 'd', want: 'uptime_days' },
      { rule: '`h` hours', name: 'duration', unit: 'h', want: 'duration_hours' },
      { rule: '`min` minutes', name: 'timeout', unit: 'min', want: 'timeout_minutes' },
      { rule: '`s` seconds', name: 'http.server.request.duration', unit: 's', want: 'http_server_request_duration_seconds' },
      { rule: '`ms` milliseconds', name: 'response_time', unit: 'ms', want: 'response_time_milliseconds' },
      { rule: '`us` microseconds', name: 'latency', unit: 'us', want: 'latency_microseconds' },
      { rule: '`ns` nanoseconds', name: 'precision_time', unit: 'ns', want: 'precision_time_nanoseconds' },
    ]);
  });

  describe('3. "Unit suffix, from the UCUM unit": bytes', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: '`By` bytes', name: 'memory_usage', unit: 'By', want: 'memory_usage_bytes' },
      { rule: '`KiBy` kibibytes', name: 'cache_size', unit: 'KiBy', want: 'cache_size_kibibytes' },
      { rule: '`MiBy` mebibytes', name: 'memory', unit: 'MiBy', want: 'memory_mebibytes' },
      { rule: '`GiBy` gibibytes', name: 'storage', unit: 'GiBy', want: 'storage_gibibytes' },
      { rule: '`TiBy` tebibytes', name: 'capacity', unit: 'TiBy', want: 'capacity_tebibytes' },
      { rule: '`KBy` kilobytes', name: 'transfer', unit: 'KBy', want: 'transfer_kilobytes' },
      { rule: '`kBy` kilobytes', name: 'transfer', unit: 'kBy', want: 'transfer_kilobytes' },
      { rule: '`MBy` megabytes', name: 'download', unit: 'MBy', want: 'download_megabytes' },
      { rule: '`GBy` gigabytes', name: 'backup', unit: 'GBy', want: 'backup_gigabytes' },
      { rule: '`TBy` terabytes', name: 'archive', unit: 'TBy', want: 'archive_terabytes' },
    ]);
  });

  describe('3. "Unit suffix, from the UCUM unit": other SI', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: '`m` meters', name: 'distance', unit: 'm', want: 'distance_meters' },
      { rule: '`V` volts', name: 'voltage', unit: 'V', want: 'voltage_volts' },
      { rule: '`A` amperes', name: 'current', unit: 'A', want: 'current_amperes' },
      { rule: '`J` joules', name: 'energy', unit: 'J', want: 'energy_joules' },
      { rule: '`W` watts', name: 'power', unit: 'W', want: 'power_watts' },
      { rule: '`g` grams', name: 'weight', unit: 'g', want: 'weight_grams' },
      { rule: '`Cel` celsius', name: 'temperature', unit: 'Cel', want: 'temperature_celsius' },
      { rule: '`Hz` hertz', name: 'frequency', unit: 'Hz', want: 'frequency_hertz' },
      { rule: '`%` percent', name: 'cpu_usage', unit: '%', want: 'cpu_usage_percent' },
    ]);
  });

  describe('3. "{anything} annotations are dropped"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: 'unit `{request}` adds nothing', name: 'queue_length', unit: '{request}', want: 'queue_length' },
      { rule: 'unit `{request}` adds nothing (counter)', name: 'http.server.requests', unit: '{request}', kind: 'counter', want: 'http_server_requests_total' },
      { rule: '`By/{custom}` → `_bytes`', name: 'custom_metric', unit: 'By/{custom}', want: 'custom_metric_bytes' },
      { rule: '`{packet}/s` keeps only the rate', name: 'packets', unit: '{packet}/s', want: 'packets_per_second' },
    ]);
  });

  describe('3. "rates: X/s → X_per_second"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: '`1/s` → `_per_second`', name: 'requests', unit: '1/s', want: 'requests_per_second' },
      { rule: '`By/s` → `_bytes_per_second`', name: 'throughput', unit: 'By/s', want: 'throughput_bytes_per_second' },
      { rule: '`/m` minute', name: 'requests', unit: '1/m', want: 'requests_per_minute' },
      { rule: '`/h` hour', name: 'events', unit: '1/h', want: 'events_per_hour' },
      { rule: '`/d` day', name: 'transactions', unit: '1/d', want: 'transactions_per_day' },
      { rule: '`/w` week', name: 'reports', unit: '1/w', want: 'reports_per_week' },
      { rule: '`/mo` month', name: 'invoices', unit: '1/mo', want: 'invoices_per_month' },
      { rule: '`/y` year', name: 'renewals', unit: '1/y', want: 'renewals_per_year' },
      { rule: 'an unknown per unit is sanitized and appended', name: 'custom', unit: '1/custom_unit', want: 'custom_per_custom_unit' },
      { rule: 'a rate on a counter comes before _total', name: 'requests', unit: '1/s', kind: 'counter', want: 'requests_per_second_total' },
      { rule: 'an empty per unit adds nothing', name: 'metric', unit: 'By/', want: 'metric_bytes' },
      { rule: 'a per unit that cleans to nothing adds no dangling `per`', name: 'broken.metric.speed', unit: 'km/°', want: 'broken_metric_speed_km' },
      { rule: 'a per unit that cleans to nothing adds nothing alone either', name: 'speed', unit: '1/°', want: 'speed' },
      { rule: 'a main unit ending in an invalid character keeps its trailing _ (as Prometheus does)', name: 'speed', unit: 'km°', want: 'speed_km_' },
      { rule: 'a trailing _ of the main unit goes before a per unit', name: 'speed', unit: 'km°/h', want: 'speed_km_per_hour' },
      { rule: 'a lone slash adds nothing', name: 'metric', unit: '/', want: 'metric' },
      { rule: 'white space around the parts of a unit is ignored', name: 'metric', unit: ' By / s ', want: 'metric_bytes_per_second' },
    ]);
  });

  describe('3. "`1` on a gauge → _ratio; `1` on a counter adds nothing"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: '`cpu_usage` + `1` → `cpu_usage_ratio`', name: 'cpu_usage', unit: '1', kind: 'gauge', want: 'cpu_usage_ratio' },
      { rule: '`items` + `1` → `items_total`', name: 'items', unit: '1', kind: 'counter', want: 'items_total' },
      { rule: '`1` on a histogram adds nothing', name: 'batch.fill', unit: '1', kind: 'other', want: 'batch_fill' },
      { rule: '_ratio is not doubled', name: 'cpu_usage_ratio', unit: '1', kind: 'gauge', want: 'cpu_usage_ratio' },
      { rule: 'a gauge with another unit gets no _ratio', name: 'cpu_usage', unit: '%', kind: 'gauge', want: 'cpu_usage_percent' },
    ]);
  });

  describe('3. "an unknown unit is sanitized and appended"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: '`custom_unit` → `custom_metric_custom_unit`', name: 'custom_metric', unit: 'custom_unit', want: 'custom_metric_custom_unit' },
      { rule: 'an unknown unit with invalid characters is sanitized', name: 'custom_metric', unit: 'unit@with#special/chars', want: 'custom_metric_unit_with_special_per_chars' },
      { rule: 'runs of _ in name and unit collapse', name: 'metric__with__multiple__underscores', unit: 'unit__multiple__underscores', want: 'metric_with_multiple_underscores_unit_multiple_underscores' },
    ]);
  });

  describe('3. "added unless the name already ends with it, and placed before _total"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: 'the unit goes before _total', name: 'cpu', unit: 's', kind: 'counter', want: 'cpu_seconds_total' },
      { rule: 'the unit goes before a _total the name already has', name: 'cpu_total', unit: 's', kind: 'counter', want: 'cpu_seconds_total' },
      { rule: '`response_time_seconds` + `s` stays', name: 'response_time_seconds', unit: 's', want: 'response_time_seconds' },
      { rule: 'a name already ending in its unit and _total stays', name: 'cpu_seconds_total', unit: 's', kind: 'counter', want: 'cpu_seconds_total' },
      { rule: 'a name ending in its unit gets _total after it', name: 'otelcol_process_cpu_seconds', unit: 's', kind: 'counter', want: 'otelcol_process_cpu_seconds_total' },
      { rule: 'a name already ending in its rate stays', name: 'network_bytes_per_second', unit: 'By/s', want: 'network_bytes_per_second' },
      { rule: 'a name already ending in its unknown unit stays', name: 'custom_metric_custom_unit', unit: 'custom_unit', want: 'custom_metric_custom_unit' },
      { rule: 'a counter already ending in its rate and _total stays', name: 'requests_per_second_total', unit: '1/s', kind: 'counter', want: 'requests_per_second_total' },
      { rule: 'a counter already ending in its unknown unit and _total stays', name: 'work_custom_unit_total', unit: 'custom_unit', kind: 'counter', want: 'work_custom_unit_total' },
      { rule: 'a name ending in the unit after sanitizing stays', name: 'process.cpu.seconds', unit: 's', want: 'process_cpu_seconds' },
    ]);
  });

  describe('4. "Monotonic sums get _total unless already there"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithSuffixes, [
      { rule: 'a monotonic sum gets _total', name: 'requests', kind: 'counter', want: 'requests_total' },
      { rule: '`requests_total` stays', name: 'requests_total', kind: 'counter', want: 'requests_total' },
      { rule: '_total is not doubled', name: 'requests.total', kind: 'counter', want: 'requests_total' },
      { rule: '`http.requests` + `1` (counter)', name: 'http.requests', unit: '1', kind: 'counter', want: 'http_requests_total' },
      { rule: 'a gauge gets no _total', name: 'active_connections', kind: 'gauge', want: 'active_connections' },
      { rule: 'a gauge keeps a _total it has', name: 'requests_total', kind: 'gauge', want: 'requests_total' },
      { rule: 'a histogram gets its unit and no _total', name: 'request_duration', unit: 's', kind: 'other', want: 'request_duration_seconds' },
    ]);
  });
});

describe('buildMetricName, 5. "Other strategies, by option"', () => {
  describe('UnderscoreEscapingWithoutSuffixes: "no unit or _total suffixes"', () => {
    runRows(TranslationStrategy.UnderscoreEscapingWithoutSuffixes, [
      { rule: 'no unit suffix', name: 'http.server.duration', unit: 's', kind: 'other', want: 'http_server_duration' },
      { rule: 'no _total suffix', name: 'requests', kind: 'counter', want: 'requests' },
      { rule: 'no _ratio suffix', name: 'cpu_usage', unit: '1', kind: 'gauge', want: 'cpu_usage' },
      { rule: 'no rate suffix', name: 'throughput', unit: 'By/s', want: 'throughput' },
      { rule: 'a _total already there stays', name: 'requests_total', kind: 'counter', want: 'requests_total' },
      { rule: 'characters outside the set still become _', name: 'metric@with#special$chars', want: 'metric_with_special_chars' },
      { rule: 'a leading digit still gets a _ prefix', name: '123metric', want: '_123metric' },
      { rule: 'the namespace is still prefixed and sanitized', name: 'metric', namespace: 'test@namespace!!??', want: 'test_namespace_metric' },
      { rule: 'a name that sanitizes to nothing is still dropped', name: '@#$%', want: undefined },
      { rule: 'existing underscores and runs of them are kept', name: 'envoy__rule_engine_zlib_buf_error', want: 'envoy__rule_engine_zlib_buf_error' },
      { rule: 'a run of invalid characters becomes one _, next to the underscores there', name: 'metric_with_字符_foreign', want: 'metric_with___foreign' },
      { rule: 'invalid characters at the ends go', name: '.metric.', want: 'metric' },
      { rule: 'a name of only underscores is valid', name: '___', want: '___' },
      { rule: 'a name that escapes to only underscores is dropped', name: '@_#_$_%', want: undefined },
      { rule: 'the namespace keeps its underscores too', name: 'm', namespace: 'my__ns', want: 'my__ns_m' },
    ]);
  });

  describe('NoUTF8EscapingWithSuffixes: "UTF-8 names kept", suffixes added', () => {
    runRows(TranslationStrategy.NoUTF8EscapingWithSuffixes, [
      { rule: 'the name is kept, _total added', name: 'requêsts', kind: 'counter', want: 'requêsts_total' },
      { rule: 'dots are kept, the unit is added', name: 'http.server.duration', unit: 's', kind: 'other', want: 'http.server.duration_seconds' },
      { rule: '`1` on a gauge → _ratio', name: 'cpu_usagé', unit: '1', kind: 'gauge', want: 'cpu_usagé_ratio' },
      { rule: 'unit `ms`', name: 'respønse_time', unit: 'ms', want: 'respønse_time_milliseconds' },
      { rule: 'rate `1/s`', name: 'requêsts', unit: '1/s', want: 'requêsts_per_second' },
      { rule: 'namespace, rate and _total', name: 'requêsts', unit: '1/s', kind: 'counter', namespace: 'ñamespace', want: 'ñamespace_requêsts_per_second_total' },
      { rule: '_total not doubled', name: 'requests_total', kind: 'counter', want: 'requests_total' },
      { rule: '_ratio not doubled', name: 'cpu_usage_ratio', unit: '1', kind: 'gauge', want: 'cpu_usage_ratio' },
      { rule: 'a name already ending in its unit stays', name: 'response_time_seconds', unit: 's', want: 'response_time_seconds' },
      { rule: 'a name already ending in its unit and _total stays', name: 'cpu_seconds_total', unit: 's', kind: 'counter', want: 'cpu_seconds_total' },
      { rule: 'a name ending in its unit gets _total after it', name: 'otelcol_process_cpu_seconds', unit: 's', kind: 'counter', want: 'otelcol_process_cpu_seconds_total' },
      { rule: 'a counter already ending in its rate and _total stays', name: 'requests_per_second_total', unit: '1/s', kind: 'counter', want: 'requests_per_second_total' },
      { rule: 'invalid legacy characters are kept', name: '@#$%', kind: 'counter', want: '@#$%_total' },
      { rule: 'a name of only underscores is valid', name: '___', want: '___' },
      { rule: 'the empty name is dropped', name: '', want: undefined },
    ]);
  });

  describe('NoTranslation: "UTF-8 names kept", no suffixes', () => {
    runRows(TranslationStrategy.NoTranslation, [
      { rule: 'the name is kept exactly, no unit', name: 'http.request.duration', unit: 'ms', kind: 'other', want: 'http.request.duration' },
      { rule: 'the name is kept exactly, no _total', name: 'http.requests', unit: '1', kind: 'counter', want: 'http.requests' },
      { rule: 'no _ratio', name: 'cpu.usage', unit: '1', kind: 'gauge', want: 'cpu.usage' },
      { rule: 'the namespace is prefixed', name: 'métric_with_ñ_chars', namespace: 'test_namespace', want: 'test_namespace_métric_with_ñ_chars' },
      { rule: 'a name of only underscores is valid', name: '___', want: '___' },
      { rule: 'the empty name is dropped', name: '', want: undefined },
    ]);
  });
});

describe('translation strategy helpers', () => {
  const table: readonly { strategy: TranslationStrategy; escapes: boolean; suffixes: boolean }[] = [
    { strategy: TranslationStrategy.UnderscoreEscapingWithSuffixes, escapes: true, suffixes: true },
    { strategy: TranslationStrategy.UnderscoreEscapingWithoutSuffixes, escapes: true, suffixes: false },
    { strategy: TranslationStrategy.NoUTF8EscapingWithSuffixes, escapes: false, suffixes: true },
    { strategy: TranslationStrategy.NoTranslation, escapes: false, suffixes: false },
  ];
  for (const { strategy, escapes, suffixes } of table) {
    it(`${strategy}: escapes names ${escapes}, adds suffixes ${suffixes}`, () => {
      assert.equal(isTranslationStrategy(strategy), true);
      assert.equal(escapesNames(strategy), escapes);
      assert.equal(addsSuffixes(strategy), suffixes);
    });
  }
  for (const value of ['underscoreescapingwithsuffixes', '', 'Legacy', 1, undefined]) {
    it(`${JSON.stringify(value)} is not a strategy`, () => {
      assert.equal(isTranslationStrategy(value), false);
    });
  }
});

describe('buildUnitSuffixes / cleanUpUnitSuffix', () => {
  const rows: readonly { unit: string; main: string; per: string }[] = [
    { unit: '', main: '', per: '' },
    { unit: 's', main: 'seconds', per: '' },
    { unit: 'By/s', main: 'bytes', per: 'per_second' },
    { unit: '1/s', main: '', per: 'per_second' },
    { unit: '{request}', main: '', per: '' },
    { unit: 'By/{custom}', main: 'bytes', per: '' },
    { unit: 'custom_unit', main: 'custom_unit', per: '' },
    { unit: 'm/mo', main: 'meters', per: 'per_month' },
  ];
  for (const { unit, main, per } of rows) {
    it(`${JSON.stringify(unit)} → main ${JSON.stringify(main)}, per ${JSON.stringify(per)}`, () => {
      assert.deepEqual(buildUnitSuffixes(unit), { main, per });
    });
  }
  const cleanRows: readonly [string, string][] = [
    ['bytes', 'bytes'],
    ['unit@with#special', 'unit_with_special'],
    ['unit__multiple__underscores', 'unit_multiple_underscores'],
    ['_leading', 'leading'],
    ['per_', 'per_'],
    ['per_°', 'per_'],
    ['per__x', 'per_x'],
    ['', ''],
  ];
  for (const [input, want] of cleanRows) {
    it(`cleanUpUnitSuffix(${JSON.stringify(input)}) → ${JSON.stringify(want)}`, () => {
      assert.equal(cleanUpUnitSuffix(input), want);
    });
  }
});

describe('buildUnitName: the OpenMetrics "# UNIT" word', () => {
  const rows: readonly { unit: string; ratio: boolean; want: string }[] = [
    { unit: 's', ratio: false, want: 'seconds' },
    { unit: 'ms', ratio: false, want: 'milliseconds' },
    { unit: 'By/s', ratio: false, want: 'bytes_per_second' },
    { unit: '1/s', ratio: false, want: 'per_second' },
    { unit: 'By/{custom}', ratio: false, want: 'bytes' },
    { unit: '{request}', ratio: false, want: '' },
    { unit: '1', ratio: false, want: '' },
    { unit: '1', ratio: true, want: 'ratio' },
    { unit: 'custom_unit', ratio: false, want: 'custom_unit' },
    { unit: 'unit@with#special/chars', ratio: false, want: 'unit_with_special_per_chars' },
    { unit: 'unit__multiple__underscores', ratio: false, want: 'unit_multiple_underscores' },
    { unit: '', ratio: false, want: '' },
    { unit: 'km/°', ratio: false, want: 'km_per' },
    { unit: 'km°', ratio: false, want: 'km' },
  ];
  for (const { unit, ratio, want } of rows) {
    it(`${JSON.stringify(unit)}${ratio ? ' on a gauge' : ''} → ${JSON.stringify(want)}`, () => {
      assert.equal(buildUnitName(unit, ratio), want);
    });
  }
});
