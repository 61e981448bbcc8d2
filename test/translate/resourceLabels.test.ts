import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../../src/otelData/otelData.ts';
import type { LabelNaming } from '../../src/translate/labelName.ts';
import {
  buildJobAndInstance,
  buildPromotedLabels,
  buildTargetInfoAttributes,
  type ResourceAttributePromotion,
} from '../../src/translate/resourceLabels.ts';

const FULL: Attributes = {
  'service.namespace': 'shop',
  'service.name': 'checkout',
  'service.instance.id': 'pod-7',
  'host.name': 'node-1',
  'k8s.pod.name': 'checkout-7',
  'k8s.namespace.name': 'prod',
};

/** Keys with underscores, as in Prometheus' own write-path label tests (TestPrometheusConverter_createAttributes). */
const UNDERSCORES: Attributes = { _private: 'private value', label___multi: 'multi value', ___: 'only underscores' };

describe('buildJobAndInstance: 1. "job = <service.namespace>/<service.name> (or just service.name), instance = service.instance.id"', () => {
  const rows: readonly { rule: string; resource: Attributes; want: [string, string][] }[] = [
    { rule: 'namespace and name → `shop/checkout`, instance from service.instance.id', resource: FULL, want: [['job', 'shop/checkout'], ['instance', 'pod-7']] },
    { rule: 'no namespace → just service.name', resource: { 'service.name': 'checkout', 'service.instance.id': 'pod-7' }, want: [['job', 'checkout'], ['instance', 'pod-7']] },
    { rule: 'an empty namespace → just service.name', resource: { 'service.namespace': '', 'service.name': 'checkout' }, want: [['job', 'checkout']] },
    { rule: 'no service.instance.id → no instance', resource: { 'service.name': 'checkout' }, want: [['job', 'checkout']] },
    { rule: 'no service.name → no job, even with a namespace', resource: { 'service.namespace': 'shop', 'service.instance.id': 'pod-7' }, want: [['instance', 'pod-7']] },
    { rule: 'a non-string instance id as text', resource: { 'service.name': 'checkout', 'service.instance.id': 42 }, want: [['job', 'checkout'], ['instance', '42']] },
    { rule: 'nothing identifying → no labels', resource: { 'host.name': 'node-1' }, want: [] },
  ];
  for (const { rule, resource, want } of rows) {
    it(rule, () => {
      assert.deepEqual(buildJobAndInstance(resource), want);
    });
  }
});

describe('buildTargetInfoAttributes', () => {
  describe('1. sidecar: "target_info ... labelled with the resource attributes other than those three"', () => {
    const rows: readonly { rule: string; resource: Attributes; want: Attributes | undefined }[] = [
      {
        rule: 'service.namespace, service.name and service.instance.id are left out',
        resource: FULL,
        want: { 'host.name': 'node-1', 'k8s.pod.name': 'checkout-7', 'k8s.namespace.name': 'prod' },
      },
      {
        rule: 'only identifying attributes → no target_info',
        resource: { 'service.namespace': 'shop', 'service.name': 'checkout', 'service.instance.id': 'pod-7' },
        want: undefined,
      },
      { rule: 'attributes with empty values do not count', resource: { 'service.name': 'checkout', 'host.name': '' }, want: undefined },
      { rule: 'an empty resource → no target_info', resource: {}, want: undefined },
    ];
    for (const { rule, resource, want } of rows) {
      it(rule, () => {
        assert.deepEqual(buildTargetInfoAttributes(resource, true), want);
      });
    }
  });

  describe('2. in-process: "target_info carries every resource attribute"', () => {
    const rows: readonly { rule: string; resource: Attributes; want: Attributes | undefined }[] = [
      { rule: 'every attribute, the identifying ones included', resource: FULL, want: FULL },
      {
        rule: 'only identifying attributes are still a target_info',
        resource: { 'service.name': 'checkout', 'service.instance.id': 'pod-7' },
        want: { 'service.name': 'checkout', 'service.instance.id': 'pod-7' },
      },
      { rule: 'an empty resource → no target_info', resource: {}, want: undefined },
    ];
    for (const { rule, resource, want } of rows) {
      it(rule, () => {
        assert.deepEqual(buildTargetInfoAttributes(resource, false), want);
      });
    }
  });
});

describe('buildPromotedLabels: 3. "Resource attributes are copied onto every series only when configured: an allow-list or a regex of keys"', () => {
  const rows: readonly { rule: string; promotion: ResourceAttributePromotion | undefined; resource?: Attributes; naming?: LabelNaming; want: [string, string][] }[] = [
    { rule: 'not configured → nothing', promotion: undefined, want: [] },
    { rule: 'configured empty → nothing', promotion: {}, want: [] },
    { rule: 'allow-list: `service.name` as `service_name`', promotion: { keys: ['service.name'] }, want: [['service_name', 'checkout']] },
    { rule: 'allow-list: keys not in the resource add nothing', promotion: { keys: ['cloud.region'] }, want: [] },
    {
      rule: 'regex of keys',
      promotion: { pattern: /^k8s\./ },
      want: [
        ['k8s_pod_name', 'checkout-7'],
        ['k8s_namespace_name', 'prod'],
      ],
    },
    {
      rule: 'allow-list and regex together',
      promotion: { keys: ['host.name'], pattern: /^k8s\.pod\./ },
      want: [
        ['host_name', 'node-1'],
        ['k8s_pod_name', 'checkout-7'],
      ],
    },
    { rule: 'the allow-list matches keys exactly', promotion: { keys: ['service'] }, want: [] },
    { rule: 'without escaping (UTF-8 names) the key is kept', promotion: { keys: ['service.name'] }, naming: { escape: false }, want: [['service.name', 'checkout']] },
    { rule: 'runs of _ are kept (Prometheus\' default)', resource: UNDERSCORES, promotion: { keys: ['label___multi'] }, want: [['label___multi', 'multi value']] },
    { rule: 'runs of _ collapse with preserveMultipleUnderscores off', resource: UNDERSCORES, promotion: { keys: ['label___multi'] }, naming: { escape: true, preserveMultipleUnderscores: false }, want: [['label_multi', 'multi value']] },
    { rule: 'a single leading _ gets key (Prometheus\' default)', resource: UNDERSCORES, promotion: { keys: ['_private'] }, want: [['key_private', 'private value']] },
    { rule: 'a single leading _ stays with underscoreSanitization off', resource: UNDERSCORES, promotion: { keys: ['_private'] }, naming: { escape: true, underscoreSanitization: false }, want: [['_private', 'private value']] },
    { rule: 'a promoted key that cannot be a label name is left out', resource: UNDERSCORES, promotion: { keys: ['___'] }, want: [] },
  ];
  for (const { rule, promotion, resource, naming, want } of rows) {
    it(rule, () => {
      assert.deepEqual(buildPromotedLabels(resource ?? FULL, promotion, naming ?? { escape: true }), want);
    });
  }

  it('an attribute with an empty value is not promoted', () => {
    assert.deepEqual(buildPromotedLabels({ 'service.name': '' }, { keys: ['service.name'] }, { escape: true }), []);
  });
});
