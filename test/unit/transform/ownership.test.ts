// Which captured objects are restored (roots) and which their controllers re-create on the target.
import { describe, expect, it } from 'vitest';
import { type KubeObject, refKey, refOf } from '../../../activities/kube/object.js';
import { foldOwned } from '../../../activities/transform/ownership.js';
import { deepFreeze } from './deep-freeze.js';
import {
  claim,
  controllerRevision,
  cronJob,
  cronJobRun,
  debugPod,
  deployment,
  endpointSlice,
  job,
  pod,
  replicaSet,
  service,
  statefulPod,
  statefulSet,
} from './fixtures.js';

const key = (obj: KubeObject) => refKey(refOf(obj));

describe('foldOwned', () => {
  const captured = [
    pod,
    debugPod,
    service,
    endpointSlice,
    claim,
    statefulPod,
    controllerRevision,
    statefulSet,
    cronJobRun,
    cronJob,
    job,
    replicaSet,
    deployment,
  ];
  const folded = foldOwned(captured);

  it('keeps objects without a captured controller as roots, sorted', () => {
    expect(folded.roots.map(key)).toEqual([
      '/PersistentVolumeClaim/legacy-shop/data-ledger-db-0',
      '/Pod/legacy-shop/toolbox',
      '/Service/legacy-shop/checkout',
      'apps/Deployment/legacy-shop/checkout',
      'apps/StatefulSet/legacy-shop/ledger-db',
      'batch/CronJob/legacy-shop/nightly-report',
      'batch/Job/legacy-shop/migrate-schema',
    ]);
    expect(folded.roots[0]).toBe(claim);
  });

  const owned: [KubeObject, KubeObject, KubeObject][] = [
    [pod, replicaSet, deployment],
    [replicaSet, deployment, deployment],
    [statefulPod, statefulSet, statefulSet],
    [controllerRevision, statefulSet, statefulSet],
    [cronJobRun, cronJob, cronJob],
    [endpointSlice, service, service],
  ];
  it.each(owned.map(([o, owner, root]) => [key(o), key(owner), key(root)]))(
    '%s is owned by %s, restored through %s',
    (ref, owner, root) => {
      const entry = folded.owned.find((o) => refKey(o.ref) === ref);
      expect(entry && [refKey(entry.ownerRef), refKey(entry.rootRef)]).toEqual([owner, root]);
    },
  );

  it('lists owned objects sorted by ref', () => {
    expect(folded.owned.map((o) => refKey(o.ref))).toEqual(owned.map(([o]) => key(o)).sort());
  });

  it('leaves an object whose owner was not captured a root', () => {
    const { roots, owned: none } = foldOwned([pod, statefulPod]);
    expect(roots.map(key)).toEqual([key(pod), key(statefulPod)]);
    expect(none).toEqual([]);
  });

  it('ignores owners that are not the controller', () => {
    const gcOnly = deepFreeze({
      ...pod,
      metadata: { ...pod.metadata, name: 'gc-only', ownerReferences: [{ ...replicaSet.metadata.ownerReferences![0], controller: false }] },
    });
    expect(foldOwned([gcOnly, deployment]).roots.map(key)).toEqual([key(gcOnly), key(deployment)]);
  });

  it('ignores a uid match with another kind or name', () => {
    const forged = deepFreeze({
      ...pod,
      metadata: {
        ...pod.metadata,
        name: 'forged',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'checkout', uid: deployment.metadata.uid!, controller: true },
        ],
      },
    });
    expect(foldOwned([forged, deployment]).owned).toEqual([]);
  });

  it('never folds a claim, even under a controller: its data must move', () => {
    const operated = deepFreeze({
      ...claim,
      metadata: {
        ...claim.metadata,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ledger-db', uid: statefulSet.metadata.uid!, controller: true },
        ],
      },
    });
    expect(foldOwned([operated, statefulSet]).roots.map(key)).toEqual([key(operated), key(statefulSet)]);
  });

  it('breaks an ownership cycle at its smallest ref, losing nothing', () => {
    const ref = (o: KubeObject) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      uid: o.metadata.uid!,
      controller: true,
    });
    const a: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'a', namespace: 'shop', uid: 'uid-a' } };
    const b: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'b', namespace: 'shop', uid: 'uid-b' } };
    const c: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'c', namespace: 'shop', uid: 'uid-c' } };
    const cycle = [
      deepFreeze({ ...b, metadata: { ...b.metadata, ownerReferences: [ref(a)] } }),
      deepFreeze({ ...a, metadata: { ...a.metadata, ownerReferences: [ref(b)] } }),
      deepFreeze({ ...c, metadata: { ...c.metadata, ownerReferences: [ref(b)] } }),
    ];
    const result = foldOwned(cycle);
    expect(result.roots.map(key)).toEqual(['example.com/Widget/shop/a']);
    expect(result.owned.map((o) => [o.ref.name, o.ownerRef.name, o.rootRef.name])).toEqual([
      ['b', 'a', 'a'],
      ['c', 'b', 'a'],
    ]);
  });
});
