// The app model on a small cluster: what each app is, who owns it, how it was deployed, what it holds (volumes),
// what it does outside (load balancers, ingresses, DNS) and what it needs (objects, other namespaces, cluster).
import { describe, expect, it } from 'vitest';
import type { InventoryApp } from '../../../config/inventory.js';
import { inventoryOf, smallCluster } from './cluster.js';

const doc = inventoryOf(smallCluster());
const app = (id: string): InventoryApp => {
  const found = doc.apps.find((a) => a.id === id);
  if (!found) throw new Error(`no app ${id} in ${doc.apps.map((a) => a.id).join(', ')}`);
  return found;
};

describe('app model', () => {
  it('finds the apps of the selected namespaces, system namespaces excluded', () => {
    expect(doc.apps.map((a) => a.id)).toEqual(['auth/auth', 'finance/ledger-v1', 'shop/checkout', 'shop/shop']);
  });

  it.each([
    { id: 'shop/checkout', team: 'payments', teamFrom: 'namespace', mechanism: 'helm3', gitops: 'untracked' },
    { id: 'shop/shop', team: 'payments', teamFrom: 'namespace', mechanism: 'manual', gitops: 'untracked' },
    { id: 'finance/ledger-v1', team: 'finance', teamFrom: 'namespace', mechanism: 'helm2', gitops: 'untracked' },
    { id: 'auth/auth', team: 'identity', teamFrom: 'namespace', mechanism: 'argocd', gitops: 'partial' },
  ])('$id: team $team, $mechanism, $gitops', ({ id, team, teamFrom, mechanism, gitops }) => {
    const a = app(id);
    expect({ team: a.team, teamFrom: a.teamFrom, mechanism: a.mechanism, gitops: a.gitops.status }).toEqual({
      team,
      teamFrom,
      mechanism,
      gitops,
    });
  });

  it('names the source of each mechanism: Helm 3 record, Tiller record, Argo CD application', () => {
    expect(app('shop/checkout').source).toEqual({
      tool: 'helm3',
      name: 'checkout',
      chart: 'app-1.2.3',
      revision: 1,
      record: 'shop/Secret/sh.helm.release.v1.checkout.v1',
    });
    expect(app('finance/ledger-v1').source).toEqual({
      tool: 'helm2',
      name: 'ledger-v1',
      chart: 'ledger-0.9.0',
      revision: 3,
      record: 'kube-system/ledger-v1.v3',
    });
    expect(app('auth/auth').source).toEqual({ tool: 'argocd', name: 'auth' });
  });

  it('lists the untracked objects of a GitOps app; claims of a tracked StatefulSet are tracked', () => {
    const a = app('auth/auth');
    expect(a.gitops.untracked).toEqual(['Secret/hotfix']);
    expect(a.objects.map((o) => [`${o.kind}/${o.name}`, o.tracked])).toEqual([
      ['PersistentVolumeClaim/data-sessions-0', true],
      ['Secret/hotfix', false],
      ['ServiceAccount/default', false],
      ['StatefulSet/sessions', true],
    ]);
    expect(a.counts).toEqual({
      objects: 5,
      generated: 1,
      byKind: { PersistentVolumeClaim: 1, Pod: 1, Secret: 1, ServiceAccount: 1, StatefulSet: 1 },
    });
  });

  it('describes volumes with their class, size and the PersistentVolume behind them', () => {
    expect(app('shop/checkout').volumes).toEqual([
      {
        claim: 'checkout-cache',
        storageClass: 'fast-ssd',
        requested: '5Gi',
        requestedBytes: 5 * 2 ** 30,
        accessModes: ['ReadWriteOnce'],
        phase: 'Bound',
        volume: { name: 'pv-1', kind: 'csi', driver: 'ebs.csi.aws.com', capacity: '5Gi', reclaimPolicy: 'Delete' },
      },
    ]);
    expect(app('shop/checkout').capacityBytes).toBe(5 * 2 ** 30);
    expect(app('shop/checkout').stateful).toBe(true);
    expect(app('shop/shop').stateful).toBe(false);
    expect(app('auth/auth').warnings).toContain('PersistentVolumeClaim/data-sessions-0: Pending, not Bound');
  });

  it('lists external side effects: load balancer addresses, node ports, ingress hosts and classes, DNS names', () => {
    expect(app('shop/checkout').sideEffects).toEqual({
      loadBalancers: [{ service: 'checkout', addresses: ['203.0.113.7'], ports: [443] }],
      nodePorts: [{ service: 'checkout', ports: [31443] }],
      ingresses: [{ name: 'checkout', class: 'nginx', hosts: ['shop.example.com'], tlsHosts: ['shop.example.com'] }],
      externalDns: [{ object: 'Service/checkout', hostnames: ['shop.example.com', 'www.shop.example.com'] }],
    });
  });

  it('resolves referenced objects: members, another app of the namespace, missing, optional', () => {
    expect(app('shop/checkout').dependencies.objects).toEqual([
      { kind: 'ConfigMap', name: 'checkout-config', status: 'member', optional: false },
      { kind: 'ConfigMap', name: 'checkout-env', status: 'member', optional: false },
      { kind: 'ConfigMap', name: 'optional-flags', status: 'missing', optional: true },
      { kind: 'PersistentVolumeClaim', name: 'checkout-cache', status: 'member', optional: false },
      { kind: 'Secret', name: 'checkout-db', status: 'member', optional: false },
      { kind: 'Secret', name: 'checkout-tls', status: 'member', optional: false },
      { kind: 'Secret', name: 'regcred', status: 'missing', optional: false },
      { kind: 'Service', name: 'checkout', status: 'member', optional: false },
      { kind: 'ServiceAccount', name: 'checkout', status: 'member', optional: false },
    ]);
    expect(app('shop/checkout').warnings).toEqual(['Deployment/checkout: references Secret/regcred, which does not exist']);
    expect(app('shop/shop').dependencies.objects).toEqual([
      { kind: 'ServiceAccount', name: 'checkout', status: 'other-app', app: 'shop/checkout', optional: false },
    ]);
  });

  it('finds calls into other namespaces in env, config data and ExternalName Services', () => {
    expect(app('shop/checkout').dependencies.crossNamespace).toEqual([
      {
        from: 'ConfigMap/checkout-config',
        host: 'payments.billing.svc.cluster.local',
        namespace: 'billing',
        service: 'payments',
        status: 'missing',
      },
      { from: 'Deployment/checkout', host: 'ghost.nowhere.svc', namespace: 'nowhere', service: 'ghost', status: 'missing' },
      {
        from: 'Deployment/checkout',
        host: 'ledger.finance.svc.cluster.local',
        namespace: 'finance',
        service: 'ledger',
        status: 'app',
        app: 'finance/ledger-v1',
      },
    ]);
    expect(app('shop/shop').dependencies.crossNamespace).toEqual([
      {
        from: 'Service/legacy-ledger',
        host: 'ledger.finance.svc.cluster.local',
        namespace: 'finance',
        service: 'ledger',
        status: 'app',
        app: 'finance/ledger-v1',
      },
    ]);
  });

  it('names the cluster-scoped objects each app needs, and says which are missing', () => {
    expect(app('shop/checkout').dependencies.cluster).toEqual([
      { kind: 'IngressClass', name: 'nginx', via: 'Ingress/checkout', status: 'present' },
      { kind: 'PriorityClass', name: 'high', via: 'Deployment/checkout', status: 'present' },
      { kind: 'StorageClass', name: 'fast-ssd', via: 'PersistentVolumeClaim/checkout-cache', status: 'present' },
    ]);
    expect(app('shop/shop').dependencies.cluster).toEqual([
      { kind: 'ClusterRole', name: 'view', via: 'RoleBinding/readers', status: 'present' },
    ]);
    expect(app('finance/ledger-v1').dependencies.cluster).toEqual([
      { kind: 'ClusterRole', name: 'ledger-reader', via: 'ClusterRoleBinding/ledger-reader', status: 'missing' },
      { kind: 'ClusterRoleBinding', name: 'ledger-reader', via: 'ServiceAccount/ledger', status: 'present' },
      { kind: 'CustomResourceDefinition', name: 'databases.db.example.com', via: 'Database/orders', status: 'present' },
    ]);
    expect(app('finance/ledger-v1').warnings).toEqual([
      'ClusterRoleBinding/ledger-reader: needs ClusterRole/ledger-reader, which does not exist',
    ]);
  });

  it('warns about Tiller records whose objects are gone', () => {
    expect(doc.warnings).toEqual([
      'Helm 2 release gone (kube-system/gone.v1): no objects labelled release=gone, heritage=Tiller in the selected namespaces',
    ]);
  });

  it('counts sizes and objects, and never copies a Secret value', () => {
    const a = app('shop/checkout');
    expect(a.counts.objects).toBe(a.objects.length + a.counts.generated);
    expect(a.bytes).toBe(a.objects.reduce((n, o) => n + o.bytes, 0));
    expect(JSON.stringify(doc)).not.toContain(Buffer.from('hunter2-not-real').toString('base64'));
    expect(JSON.stringify(doc)).not.toContain('hunter2');
  });

  it('reports references to types it could not list as unlisted, not missing', () => {
    const blind = inventoryOf(smallCluster(), { unlisted: ['/Secret'] });
    const deps = blind.apps.find((a) => a.id === 'shop/checkout')?.dependencies.objects.filter((d) => d.kind === 'Secret');
    expect(deps?.map((d) => [d.name, d.status])).toEqual([
      ['checkout-db', 'unlisted'],
      ['checkout-tls', 'unlisted'],
      ['regcred', 'unlisted'],
    ]);
    // without the release records the Helm app is still found, by the annotations on its objects
    expect(blind.apps.find((a) => a.id === 'shop/checkout')?.mechanism).toBe('helm3');
  });

  it('selects namespaces by glob and label selector, and apps by label selector', () => {
    expect(
      inventoryOf(smallCluster(), { options: { includeNamespaces: ['s*', 'f*'], excludeNamespaces: ['fin*'] } }).apps.map((a) => a.id),
    ).toEqual(['shop/checkout', 'shop/shop']);
    expect(inventoryOf(smallCluster(), { options: { namespaceSelector: 'team=identity' } }).apps.map((a) => a.id)).toEqual(['auth/auth']);
    expect(inventoryOf(smallCluster(), { options: { appSelector: 'heritage=Tiller' } }).apps.map((a) => a.id)).toEqual([
      'finance/ledger-v1',
    ]);
    expect(inventoryOf(smallCluster(), { options: { includeSystemNamespaces: true } }).apps.map((a) => a.id)).toContain(
      'kube-system/kube-system',
    );
  });
});
