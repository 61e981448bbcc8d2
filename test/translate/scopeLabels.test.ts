import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InstrumentationScope } from '../../src/otelData/otelData.ts';
import type { LabelNaming } from '../../src/translate/labelName.ts';
import { buildScopeLabels } from '../../src/translate/scopeLabels.ts';

interface ScopeRow {
  readonly rule: string;
  readonly scope: InstrumentationScope;
  readonly naming?: LabelNaming;
  readonly want: [string, string][];
}

function runRows(rows: readonly ScopeRow[]): void {
  for (const { rule, scope, naming, want } of rows) {
    it(rule, () => {
      const got = buildScopeLabels(scope, naming ?? { escape: true });
      assert.deepEqual([...got].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), want);
    });
  }
}

describe('buildScopeLabels', () => {
  describe('"Every series carries otel_scope_name, otel_scope_version, otel_scope_schema_url (when set)"', () => {
    runRows([
      {
        rule: 'name, version and schema URL',
        scope: { name: 'io.opentelemetry.http', version: '1.2.3', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
        want: [
          ['otel_scope_name', 'io.opentelemetry.http'],
          ['otel_scope_schema_url', 'https://opentelemetry.io/schemas/1.26.0'],
          ['otel_scope_version', '1.2.3'],
        ],
      },
      { rule: 'no version and no schema URL: only the name', scope: { name: 'my-lib' }, want: [['otel_scope_name', 'my-lib']] },
      { rule: 'an empty version is not set', scope: { name: 'my-lib', version: '', schemaUrl: '' }, want: [['otel_scope_name', 'my-lib']] },
      { rule: 'an empty scope name is not set', scope: { name: '', version: '1.0.0' }, want: [['otel_scope_version', '1.0.0']] },
      { rule: 'the scope name is a value, not sanitized', scope: { name: 'my lib/"v2"' }, want: [['otel_scope_name', 'my lib/"v2"']] },
    ]);
  });

  describe('"and otel_scope_<attr> for scope attributes"', () => {
    runRows([
      {
        rule: 'an attribute becomes otel_scope_<attr>, sanitized',
        scope: { name: 's', attributes: { 'library.language': 'go' } },
        want: [
          ['otel_scope_library_language', 'go'],
          ['otel_scope_name', 's'],
        ],
      },
      {
        rule: 'non-string attribute values as text',
        scope: { name: 's', attributes: { shard: 3, beta: true, tags: ['a', 'b'] } },
        want: [
          ['otel_scope_beta', 'true'],
          ['otel_scope_name', 's'],
          ['otel_scope_shard', '3'],
          ['otel_scope_tags', '["a","b"]'],
        ],
      },
      {
        rule: 'an attribute with an empty value is no label',
        scope: { name: 's', attributes: { empty: '' } },
        want: [['otel_scope_name', 's']],
      },
      {
        rule: 'runs of _ are kept (Prometheus\' default): `_x` → `otel_scope__x`',
        scope: { name: 's', attributes: { _x: 'y' } },
        want: [
          ['otel_scope__x', 'y'],
          ['otel_scope_name', 's'],
        ],
      },
      {
        rule: 'runs of _ collapse with preserveMultipleUnderscores off: `_x` → `otel_scope_x`',
        scope: { name: 's', attributes: { _x: 'y' } },
        naming: { escape: true, preserveMultipleUnderscores: false },
        want: [
          ['otel_scope_name', 's'],
          ['otel_scope_x', 'y'],
        ],
      },
      {
        rule: 'without escaping (UTF-8 names) the key is kept',
        scope: { name: 's', attributes: { 'library.language': 'go' } },
        naming: { escape: false },
        want: [
          ['otel_scope_library.language', 'go'],
          ['otel_scope_name', 's'],
        ],
      },
    ]);
  });

  describe('"an attribute colliding with those three is dropped"', () => {
    runRows([
      {
        rule: 'attributes `name`, `version`, `schema_url` are dropped',
        scope: { name: 'real', version: '1.0.0', schemaUrl: 'https://real', attributes: { name: 'fake', version: 'fake', schema_url: 'fake' } },
        want: [
          ['otel_scope_name', 'real'],
          ['otel_scope_schema_url', 'https://real'],
          ['otel_scope_version', '1.0.0'],
        ],
      },
      {
        rule: 'an attribute that sanitizes onto one of the three (`schema.url`) is dropped',
        scope: { name: 'real', schemaUrl: 'https://real', attributes: { 'schema.url': 'fake', 'scope-version': 'kept' } },
        want: [
          ['otel_scope_name', 'real'],
          ['otel_scope_schema_url', 'https://real'],
          ['otel_scope_scope_version', 'kept'],
        ],
      },
      {
        rule: 'a colliding attribute is dropped even when the fixed label is not set',
        scope: { name: 'real', attributes: { version: 'fake', 'schema.url': 'fake' } },
        want: [['otel_scope_name', 'real']],
      },
      {
        rule: 'without escaping `schema.url` does not collide',
        scope: { name: 'real', attributes: { 'schema.url': 'kept' } },
        naming: { escape: false },
        want: [
          ['otel_scope_name', 'real'],
          ['otel_scope_schema.url', 'kept'],
        ],
      },
    ]);
  });
});
