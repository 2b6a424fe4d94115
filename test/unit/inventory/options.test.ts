// What an inventory looks at: bad options refused before anything is listed, with the option named; namespace
// globs and system namespaces; resource types included and excluded by plural, kind and group.
import { describe, expect, it } from 'vitest';
import {
  compileOptions,
  defaultInventoryOptions,
  type InventoryOptions,
  optionsFromSelection,
} from '../../../activities/inventory/options.js';
import type { ResourceType } from '../../../activities/kube/cluster.js';

const type = (apiVersion: string, kind: string, plural: string, namespaced = true): ResourceType => ({
  group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '',
  version: apiVersion.split('/').at(-1) as string,
  apiVersion,
  kind,
  plural,
  namespaced,
  verbs: ['get', 'list', 'watch'],
});
const types = [
  type('v1', 'Namespace', 'namespaces', false),
  type('v1', 'Secret', 'secrets'),
  type('v1', 'ConfigMap', 'configmaps'),
  type('v1', 'Event', 'events'),
  type('apps/v1', 'Deployment', 'deployments'),
  type('coordination.k8s.io/v1', 'Lease', 'leases'),
  type('example.com/v1', 'Deployment', 'deployments'),
];
const selected = (o: Partial<InventoryOptions>) => {
  const c = compileOptions({ ...defaultInventoryOptions, ...o });
  return types.filter((t) => c.typeSelected(t)).map((t) => `${t.plural}.${t.group || 'core'}`);
};

describe('inventory options', () => {
  it.each([
    [{ concurrency: 0 }, 'concurrency: must be a whole number from 1 to 128 (got 0)'],
    [{ pageSize: 1.5 }, 'pageSize: must be a positive whole number (got 1.5)'],
    [{ includeNamespaces: ['Shop'] }, `includeNamespaces: "Shop" is not a namespace glob (lowercase letters, digits, '-', '*', '?')`],
    [{ namespaceSelector: 'team in (a' }, "namespaceSelector: at character 11: expected ')'"],
    [{ appSelector: 'tier>3' }, "appSelector: at character 5: operator '>' is for node selectors, not label selectors"],
  ])('%j is refused with the option named', (o, message) => {
    expect(() => compileOptions({ ...defaultInventoryOptions, ...o })).toThrow(message);
  });

  it('lists every type but events and leases by default', () => {
    expect(selected({})).toEqual(['namespaces.core', 'secrets.core', 'configmaps.core', 'deployments.apps', 'deployments.example.com']);
  });

  it('excludes and includes types by plural, kind and group; Namespaces are always listed', () => {
    expect(selected({ excludeTypes: ['secrets', 'Deployment.example.com', 'namespaces'] })).toEqual([
      'namespaces.core',
      'configmaps.core',
      'deployments.apps',
    ]);
    expect(selected({ includeTypes: ['deployment'] })).toEqual(['namespaces.core', 'deployments.apps', 'deployments.example.com']);
    expect(selected({ includeTypes: ['deployments.apps', 'events'] })).toEqual(['namespaces.core', 'deployments.apps']);
  });

  it('selects namespaces by glob, system namespaces only when asked', () => {
    const c = compileOptions({ ...defaultInventoryOptions, includeNamespaces: ['shop-*', 'kube-*'], excludeNamespaces: ['shop-old'] });
    expect(['shop-web', 'shop-old', 'kube-system', 'search'].filter((ns) => c.namespaceNameSelected(ns))).toEqual(['shop-web']);
    const all = compileOptions({
      ...defaultInventoryOptions,
      includeSystemNamespaces: true,
      systemNamespaces: ['kube-system', 'monitoring'],
    });
    expect(['kube-system', 'monitoring', 'kube-public'].filter((ns) => all.namespaceNameSelected(ns))).toEqual([
      'kube-system',
      'monitoring',
      'kube-public',
    ]);
  });

  it('takes a campaign selection: its globs, and its label selector for namespaces', () => {
    const o = optionsFromSelection({ includeNamespaces: ['*'], excludeNamespaces: ['default'], labelSelector: 'ferry.dev/estate=demo' });
    const c = compileOptions(o);
    expect([c.namespaceNameSelected('default'), c.namespaceNameSelected('kube-system'), c.namespaceNameSelected('shop')]).toEqual([
      false,
      false,
      true,
    ]);
    expect([c.namespaceLabelsMatch({ 'ferry.dev/estate': 'demo' }), c.namespaceLabelsMatch({})]).toEqual([true, false]);
  });
});
