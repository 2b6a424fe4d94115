// Preflight: everything a restore needs from the target, checked before anything is written and
// reported all at once, so an operator fixes a campaign file once instead of once per failure.
import { groupOf, type KubeObject } from '../kube/object.js';
import { unmappedStorageClasses } from '../transform/remap-storage-class.js';
import { parseQuantity } from './quantity.js';

export type PreflightCheck = 'storage-class' | 'namespace' | 'type' | 'quota';

export interface PreflightProblem {
  readonly check: PreflightCheck;
  readonly message: string;
  /** The objects concerned, as `Kind namespace/name`. */
  readonly objects: readonly string[];
}

export interface NamespaceFacts {
  readonly exists: boolean;
  /** Objects in it that Ferry did not restore and no controller owns: someone else's. */
  readonly foreignObjects: readonly string[];
}

export interface QuotaFacts {
  readonly namespace: string;
  readonly name: string;
  readonly hard: Readonly<Record<string, string>>;
  readonly used: Readonly<Record<string, string>>;
}

/** What preflight needs to know of the target, gathered by the activity. */
export interface TargetFacts {
  readonly storageClasses: readonly string[];
  /** `apiVersion/Kind` of every type the backup holds that the target serves. */
  readonly served: ReadonlySet<string>;
  readonly namespaces: Readonly<Record<string, NamespaceFacts>>;
  readonly quotas: readonly QuotaFacts[];
  /** Claims that already exist on the target (namespace/name): they need no new quota. */
  readonly existingClaims: ReadonlySet<string>;
}

export type NamespacePolicy = 'merge' | 'fail';

export interface PreflightInput {
  /** The objects as backed up (for the storage-class map). */
  readonly original: readonly KubeObject[];
  /** The same objects after every transform: what would be applied. */
  readonly transformed: readonly KubeObject[];
  readonly storageClassMap: Readonly<Record<string, string>>;
  readonly sourceDefaultClass?: string;
  readonly namespacePolicy: NamespacePolicy;
  readonly checkNamespaces: boolean;
}

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

interface Claimish {
  spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } };
}

export function preflight(input: PreflightInput, facts: TargetFacts): PreflightProblem[] {
  const problems: PreflightProblem[] = [];

  for (const u of unmappedStorageClasses(input.original, input.storageClassMap, input.sourceDefaultClass)) {
    problems.push({
      check: 'storage-class',
      message: `source StorageClass "${u.storageClass}" has no entry in storageClassMap`,
      objects: u.objects.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`),
    });
  }
  const missingClasses = new Map<string, string[]>();
  for (const o of input.transformed) {
    const sc = claimClassesOf(o);
    for (const c of sc) if (!facts.storageClasses.includes(c)) missingClasses.set(c, [...(missingClasses.get(c) ?? []), describe(o)]);
  }
  for (const [c, objs] of [...missingClasses].sort()) {
    problems.push({ check: 'storage-class', message: `StorageClass "${c}" does not exist on the target`, objects: objs });
  }

  const unserved = new Map<string, string[]>();
  for (const o of input.transformed) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!facts.served.has(key)) unserved.set(key, [...(unserved.get(key) ?? []), describe(o)]);
  }
  const crdsInBackup = new Set(
    input.transformed
      .filter((o) => o.kind === 'CustomResourceDefinition')
      .map((o) => String((o as { spec?: { group?: string; names?: { kind?: string } } }).spec?.names?.kind)),
  );
  for (const [key, objs] of [...unserved].sort()) {
    const kind = key.slice(key.lastIndexOf('/') + 1);
    if (crdsInBackup.has(kind)) continue;
    const group = groupOf(key.slice(0, key.lastIndexOf('/')));
    problems.push({
      check: 'type',
      message: `the target does not serve ${key}${group && !group.endsWith('.k8s.io') && group.includes('.') ? ' and its CustomResourceDefinition is not in the backup' : ''}`,
      objects: objs,
    });
  }

  if (input.checkNamespaces && input.namespacePolicy === 'fail') {
    for (const [ns, f] of Object.entries(facts.namespaces).sort()) {
      if (f.exists && f.foreignObjects.length > 0) {
        problems.push({
          check: 'namespace',
          message: `namespace ${ns} exists on the target with objects Ferry did not restore (policy: fail; set existingNamespaces: merge to restore into it)`,
          objects: [...f.foreignObjects].sort(),
        });
      }
    }
  }

  problems.push(...quotaProblems(input.transformed, facts));
  return problems;
}

function claimClassesOf(o: KubeObject): string[] {
  if (o.apiVersion === 'v1' && o.kind === 'PersistentVolumeClaim') {
    const c = (o as Claimish).spec?.storageClassName;
    return c ? [c] : [];
  }
  if (groupOf(o.apiVersion) === 'apps' && o.kind === 'StatefulSet') {
    const templates = (o as { spec?: { volumeClaimTemplates?: Claimish[] } }).spec?.volumeClaimTemplates ?? [];
    return templates.map((t) => t.spec?.storageClassName).filter((c): c is string => Boolean(c));
  }
  return [];
}

/** New claims' storage requests against each namespace's quotas: total and per StorageClass. */
function quotaProblems(objects: readonly KubeObject[], facts: TargetFacts): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const newClaims = objects.filter(
    (o) =>
      o.apiVersion === 'v1' &&
      o.kind === 'PersistentVolumeClaim' &&
      !facts.existingClaims.has(`${o.metadata.namespace}/${o.metadata.name}`),
  );
  for (const q of facts.quotas) {
    const claims = newClaims.filter((c) => c.metadata.namespace === q.namespace);
    if (claims.length === 0) continue;
    const check = (resource: string, amount: (c: KubeObject) => number, unit: (n: number) => string) => {
      const hard = q.hard[resource];
      if (hard === undefined) return;
      const counted = claims.filter((c) => amount(c) > 0);
      const need = counted.reduce((n, c) => n + amount(c), 0);
      const used = q.used[resource] === undefined ? 0 : parseQuantity(q.used[resource]);
      if (used + need > parseQuantity(hard)) {
        problems.push({
          check: 'quota',
          message: `ResourceQuota ${q.namespace}/${q.name}: ${resource} would be ${unit(used + need)} of ${hard} (used ${unit(used)}, restore adds ${unit(need)})`,
          objects: counted.map(describe),
        });
      }
    };
    const storage = (c: KubeObject) => parseQuantity((c as Claimish).spec?.resources?.requests?.storage ?? '0');
    const bytes = (n: number) => `${(n / 2 ** 30).toFixed(2)}Gi`;
    check('requests.storage', storage, bytes);
    check('persistentvolumeclaims', () => 1, String);
    for (const sc of new Set(claims.map((c) => (c as Claimish).spec?.storageClassName).filter(Boolean))) {
      check(
        `${sc}.storageclass.storage.k8s.io/requests.storage`,
        (c) => ((c as Claimish).spec?.storageClassName === sc ? storage(c) : 0),
        bytes,
      );
      check(
        `${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`,
        (c) => ((c as Claimish).spec?.storageClassName === sc ? 1 : 0),
        String,
      );
    }
  }
  return problems;
}

export class PreflightFailed extends Error {
  constructor(
    readonly context: string,
    readonly app: string,
    readonly problems: readonly PreflightProblem[],
  ) {
    super(
      `${context}: preflight of ${app} found ${problems.length} problem(s):\n${problems
        .map(
          (p) =>
            `  [${p.check}] ${p.message}${p.objects.length ? ` (${p.objects.slice(0, 10).join(', ')}${p.objects.length > 10 ? ', …' : ''})` : ''}`,
        )
        .join('\n')}`,
    );
    this.name = 'PreflightFailed';
  }
}
