// A synthetic estate like a large shared cluster holds: hundreds of apps of many teams, deployed by Helm 3 and 2,
// Argo CD, Flux and by hand, with StatefulSets and claims, custom resources, load balancers, ingresses and calls
// across namespaces; plus, per app, what a correct inventory must find. Pure and deterministic for a seed.
import type { KubeObject } from '../../activities/kube/object.js';
import type { Mechanism } from '../../workflows/types.js';
import { helm3ReleaseSecret, type ReleaseInfo, tillerConfigMap } from './helm-records.js';
import { type Rng, seededRandom } from './random.js';

export interface EstateSpec {
  readonly prefix: string;
  readonly apps: number;
  readonly teams: number;
  readonly seed: string;
}

/** Namespaces, cluster-scoped objects and Tiller records carry it, so an estate can be found and deleted. */
export const estateLabel = 'ferry.dev/estate';
export const tillerNamespace = 'kube-system';

/** Apply order: what others need comes first; CRDs must be served before their custom resources. */
export type Phase = 'cluster' | 'namespaces' | 'config' | 'workloads' | 'records';

export interface PlannedObject {
  readonly object: KubeObject;
  /** The field manager the tool that deploys it would use. */
  readonly manager: string;
  readonly phase: Phase;
  /** A status the generator writes after the object (a load balancer's address), as a controller would. */
  readonly status?: Record<string, unknown>;
}

export interface ExpectedApp {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly team: string;
  readonly mechanism: Mechanism;
  readonly gitops: 'tracked' | 'partial' | 'untracked';
  readonly untracked: readonly string[];
  readonly volumes: readonly { claim: string; storageClass: string; requested: string }[];
  /** `Kind/name` of the Secrets, ConfigMaps, ServiceAccounts and claims its workloads reference (all its own). */
  readonly references: readonly string[];
  readonly crossNamespace: readonly { namespace: string; service: string; app: string }[];
  /** `Kind/name` of the cluster-scoped objects it needs. */
  readonly cluster: readonly string[];
  readonly loadBalancers: readonly { service: string; addresses: readonly string[] }[];
  readonly nodePortServices: readonly string[];
  readonly ingressHosts: readonly string[];
  readonly externalDns: readonly string[];
}

export interface Estate {
  readonly spec: EstateSpec;
  readonly namespaces: readonly string[];
  readonly objects: readonly PlannedObject[];
  readonly apps: readonly ExpectedApp[];
}

const words = [
  'checkout',
  'catalog',
  'ledger',
  'billing',
  'search',
  'crawler',
  'auth',
  'ldap',
  'metrics',
  'docs',
  'cache',
  'reports',
  'orders',
  'shipping',
  'pricing',
  'reviews',
  'profile',
  'notify',
  'mailer',
  'gateway',
  'session',
  'media',
  'thumbs',
  'upload',
  'export',
  'audit',
  'risk',
  'fraud',
  'loyalty',
  'coupons',
  'cart',
  'wishlist',
  'recommend',
  'analytics',
  'events',
  'stream',
  'queue',
  'scheduler',
  'tasks',
  'chat',
  'support',
  'tickets',
  'forum',
  'wiki',
  'status',
  'alerts',
  'trace',
  'vault',
  'registry',
  'builds',
  'invoices',
  'tax',
  'geo',
  'maps',
  'routing',
  'identity',
  'consent',
  'kyc',
  'ads',
  'bidding',
] as const;
const teamWords = [
  'payments',
  'search',
  'identity',
  'platform',
  'data',
  'growth',
  'mobile',
  'infra',
  'security',
  'commerce',
  'logistics',
  'finance',
  'marketing',
  'ml',
  'support',
  'media',
  'core',
  'edge',
  'sre',
  'web',
] as const;
const topics = [
  'rules',
  'dashboards',
  'alerts',
  'flags',
  'locale-en',
  'locale-de',
  'locale-fr',
  'templates',
  'mappings',
  'routes',
  'policies',
  'limits',
  'schedules',
  'queries',
  'fixtures',
  'banners',
  'emails',
  'webhooks',
  'features',
  'quotas',
  'regions',
  'tiers',
  'partners',
  'currencies',
  'countries',
  'holidays',
  'catalog-a',
  'catalog-b',
  'catalog-c',
  'segments',
  'experiments',
  'static',
  'nginx',
  'logging',
  'tracing',
  'sidecar',
  'proxy',
  'cron',
  'backups',
  'retention',
  'i18n',
  'themes',
  'menus',
  'sitemap',
  'redirects',
  'headers',
  'cors',
  'csp',
  'rate-limits',
  'slo',
  'runbooks',
  'oncall',
  'grafana',
  'prometheus',
  'loki',
  'otel',
  'seeds',
  'migrations',
  'jobs',
  'ml-model',
  'thresholds',
  'scoring',
] as const;
const charts: readonly (readonly [string, string])[] = [
  ['postgresql', '12.5.6'],
  ['redis', '17.11.3'],
  ['nginx', '15.1.2'],
  ['kafka', '22.1.5'],
  ['app', '1.4.2'],
  ['rabbitmq', '11.16.0'],
  ['elasticsearch', '19.10.1'],
];
const manualManagers = ['kubectl-client-side-apply', 'kubectl-create', 'jenkins', 'gitlab-runner'] as const;

type Flavor = 'manual' | 'helm3' | 'helm2' | 'argocd' | 'flux-kustomization' | 'flux-helmrelease';
const mechanismOf: Record<Flavor, Mechanism> = {
  manual: 'manual',
  helm3: 'helm3',
  helm2: 'helm2',
  argocd: 'argocd',
  'flux-kustomization': 'flux',
  'flux-helmrelease': 'flux',
};
const managerOf: Record<Exclude<Flavor, 'manual'>, string> = {
  helm3: 'helm',
  helm2: 'tiller',
  argocd: 'argocd-controller',
  'flux-kustomization': 'kustomize-controller',
  'flux-helmrelease': 'helm-controller',
};

interface CustomKind {
  readonly kind: string;
  readonly plural: string;
}
const customKinds: readonly CustomKind[] = [
  { kind: 'Topic', plural: 'topics' },
  { kind: 'Dashboard', plural: 'dashboards' },
  { kind: 'BackupPolicy', plural: 'backuppolicies' },
];

/** What the planner decides per app before writing any object. */
interface AppPlan {
  readonly index: number;
  readonly namespace: string;
  readonly name: string;
  /** Object names start with it; unique within the namespace. */
  readonly stem: string;
  readonly primary: boolean;
  readonly flavor: Flavor;
  readonly manager: string;
  readonly team: string;
  /** A team label on the app's own objects. */
  readonly objectTeam?: string;
  readonly release?: string;
  readonly shape: 'web' | 'api' | 'worker' | 'db';
  readonly withDb: boolean;
  /** The Service other apps may call, when the app has one. */
  readonly service?: string;
}

function teamNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    i < teamWords.length ? teamWords[i] : `${teamWords[i % teamWords.length]}-${Math.floor(i / teamWords.length)}`,
  );
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The estate of `spec`: same spec, same objects. */
export function buildEstate(spec: EstateSpec): Estate {
  if (!/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/.test(spec.prefix)) {
    throw new Error(`prefix "${spec.prefix}": must be 1-20 lowercase letters, digits and '-', starting and ending alphanumeric`);
  }
  if (!Number.isInteger(spec.apps) || spec.apps < 1) throw new Error(`apps: must be a positive whole number (got ${spec.apps})`);
  if (!Number.isInteger(spec.teams) || spec.teams < 1) throw new Error(`teams: must be a positive whole number (got ${spec.teams})`);
  const rng = seededRandom(`${spec.seed}`);
  const teams = teamNames(spec.teams);
  const p = spec.prefix;
  const group = `${p}.estate.ferry.dev`;
  const objects: PlannedObject[] = [];
  const add = (object: KubeObject, manager: string, phase: Phase, status?: Record<string, unknown>) =>
    objects.push({ object, manager, phase, status });
  const estateLabels = { [estateLabel]: p };

  // cluster-scoped objects apps share
  for (const ck of customKinds) {
    add(
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${ck.plural}.${group}`, labels: estateLabels },
        spec: {
          group,
          scope: 'Namespaced',
          names: { kind: ck.kind, plural: ck.plural, singular: ck.kind.toLowerCase(), listKind: `${ck.kind}List` },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
              },
            },
          ],
        },
      },
      'kubectl-client-side-apply',
      'cluster',
    );
  }
  const priorityClasses = [`${p}-critical`, `${p}-batch`];
  for (const [i, name] of priorityClasses.entries()) {
    add(
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name, labels: estateLabels },
        value: i === 0 ? 100000 : 1000,
      },
      'helm',
      'cluster',
    );
  }
  const ingressClasses = [`${p}-nginx`, `${p}-internal`];
  for (const name of ingressClasses) {
    add(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name, labels: estateLabels },
        spec: { controller: 'k8s.io/ingress-nginx' },
      },
      'helm',
      'cluster',
    );
  }

  // namespaces and the apps in them
  const plans: AppPlan[] = [];
  const namespaces: string[] = [];
  const nsTeam = new Map<string, { team?: string; how: 'label' | 'annotation' | 'none' }>();
  while (plans.length < spec.apps) {
    const nsIndex = namespaces.length;
    const word = rng.pick(words);
    const namespace = `${p}-${word}-${nsIndex}`;
    namespaces.push(namespace);
    const team = teams[rng.int(0, teams.length - 1)];
    const how = rng.weighted([
      ['label', 80],
      ['annotation', 10],
      ['none', 10],
    ] as const);
    nsTeam.set(namespace, { team: how === 'none' ? undefined : team, how });
    const count = Math.min(
      spec.apps - plans.length,
      rng.weighted([
        [1, 70],
        [2, 20],
        [3, 10],
      ] as const),
    );
    const stems = new Set<string>([word]);
    for (let k = 0; k < count; k++) {
      const primary = k === 0;
      let stem: string = word;
      if (!primary) {
        do stem = rng.pick(words);
        while (stems.has(stem));
        stems.add(stem);
      }
      const flavor: Flavor = primary
        ? rng.weighted([
            ['manual', 30],
            ['helm3', 25],
            ['argocd', 20],
            ['flux-kustomization', 10],
            ['flux-helmrelease', 5],
            ['helm2', 10],
          ] as const)
        : rng.weighted([
            ['manual', 25],
            ['helm3', 30],
            ['argocd', 20],
            ['flux-kustomization', 10],
            ['flux-helmrelease', 5],
            ['helm2', 10],
          ] as const);
      const name = primary ? namespace : stem;
      // an app of another team hosted here names its team on its own objects; so do apps of unowned namespaces, mostly
      const objectTeam =
        how === 'none'
          ? rng.chance(0.7)
            ? team
            : undefined
          : !primary && rng.chance(0.3)
            ? teams[rng.int(0, teams.length - 1)]
            : undefined;
      const shape = rng.weighted([
        ['web', 35],
        ['api', 30],
        ['worker', 15],
        ['db', 20],
      ] as const);
      const release =
        flavor === 'helm3' || flavor === 'helm2'
          ? primary || flavor === 'helm2'
            ? `${namespace}${primary ? '' : `-${stem}`}`
            : stem
          : flavor === 'flux-helmrelease'
            ? `${name}-release`.slice(-53).replace(/^-+/, '')
            : undefined;
      plans.push({
        index: plans.length,
        namespace,
        name: flavor === 'helm2' || flavor === 'helm3' ? (release as string) : name,
        stem,
        primary,
        flavor,
        manager: flavor === 'manual' ? rng.pick(manualManagers) : managerOf[flavor],
        team,
        objectTeam,
        release,
        shape,
        withDb: shape === 'web' && rng.chance(0.3),
        service: shape === 'web' || shape === 'api' ? stem : undefined,
      });
    }
  }
  for (const ns of namespaces) {
    const t = nsTeam.get(ns);
    const labels: Record<string, string> = { ...estateLabels };
    const annotations: Record<string, string> = {};
    if (t?.how === 'label' && t.team) labels['ferry.dev/team'] = t.team;
    if (t?.how === 'annotation' && t.team) annotations.team = t.team;
    add(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels, ...(t?.how === 'annotation' ? { annotations } : {}) } },
      'kubectl-create',
      'namespaces',
    );
  }

  const callable = plans.filter((a) => a.service !== undefined);
  const apps = plans.map((plan) => buildApp(plan, { rng, p, group, priorityClasses, ingressClasses, callable, nsTeam, add }));
  return { spec, namespaces, objects, apps };
}

interface AppContext {
  readonly rng: Rng;
  readonly p: string;
  readonly group: string;
  readonly priorityClasses: readonly string[];
  readonly ingressClasses: readonly string[];
  readonly callable: readonly AppPlan[];
  readonly nsTeam: ReadonlyMap<string, { team?: string; how: string }>;
  readonly add: (object: KubeObject, manager: string, phase: Phase, status?: Record<string, unknown>) => void;
}

function buildApp(a: AppPlan, ctx: AppContext): ExpectedApp {
  const { rng, p } = ctx;
  const ns = a.namespace;
  const [chart, chartVersion] = rng.pick(charts);
  const references = new Set<string>();
  const cluster = new Set<string>();
  const volumes: { claim: string; storageClass: string; requested: string }[] = [];
  const crossNamespace: { namespace: string; service: string; app: string }[] = [];
  const loadBalancers: { service: string; addresses: string[] }[] = [];
  const nodePortServices: string[] = [];
  const ingressHosts: string[] = [];
  const externalDns: string[] = [];
  const untracked: string[] = [];
  const teamLabel = a.objectTeam ? { [rng.pick(['team', 'app.kubernetes.io/team'] as const)]: a.objectTeam } : {};

  const marks = (kind: string, name: string, apiGroup: string): { labels: Record<string, string>; annotations: Record<string, string> } => {
    const labels: Record<string, string> = { 'app.kubernetes.io/name': a.stem, ...teamLabel };
    const annotations: Record<string, string> = {};
    switch (a.flavor) {
      case 'helm3':
        Object.assign(labels, {
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/instance': a.release,
          'helm.sh/chart': `${chart}-${chartVersion}`,
        });
        Object.assign(annotations, { 'meta.helm.sh/release-name': a.release, 'meta.helm.sh/release-namespace': ns });
        break;
      case 'helm2':
        Object.assign(labels, { heritage: 'Tiller', release: a.release, chart: `${chart}-${chartVersion}` });
        break;
      case 'argocd':
        // two tracking methods, as Argo CD versions and settings differ
        if (a.index % 3 === 0) labels['argocd.argoproj.io/instance'] = a.name;
        else {
          labels['app.kubernetes.io/instance'] = a.name;
          annotations['argocd.argoproj.io/tracking-id'] = `${a.name}:${apiGroup}/${kind}:${ns}/${name}`;
        }
        break;
      case 'flux-kustomization':
        Object.assign(labels, { 'kustomize.toolkit.fluxcd.io/name': a.name, 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' });
        break;
      case 'flux-helmrelease':
        Object.assign(labels, {
          'helm.toolkit.fluxcd.io/name': a.name,
          'helm.toolkit.fluxcd.io/namespace': 'flux-system',
          'app.kubernetes.io/managed-by': 'Helm',
          'helm.sh/chart': `${chart}-${chartVersion}`,
        });
        Object.assign(annotations, { 'meta.helm.sh/release-name': a.release, 'meta.helm.sh/release-namespace': ns });
        break;
      case 'manual':
        if (!a.primary) labels['app.kubernetes.io/part-of'] = a.name;
        break;
    }
    return { labels, annotations };
  };

  const emit = (
    obj: {
      apiVersion: string;
      kind: string;
      metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
      [k: string]: unknown;
    },
    phase: Phase,
    status?: Record<string, unknown>,
  ) => {
    const apiGroup = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    const m = marks(obj.kind, obj.metadata.name, apiGroup);
    const labels = { ...m.labels, ...obj.metadata.labels };
    const annotations = { ...m.annotations, ...obj.metadata.annotations };
    const object: KubeObject = {
      ...obj,
      metadata: { ...obj.metadata, namespace: ns, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    };
    if (a.manager === 'kubectl-client-side-apply') {
      // kubectl apply keeps the whole object in an annotation (Secret values included: the inventory must not copy it)
      object.metadata.annotations = {
        ...object.metadata.annotations,
        'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(object)}\n`,
      };
    }
    ctx.add(object, a.manager, phase, status);
  };

  const s = a.stem;
  const podLabels = { 'app.kubernetes.io/name': s, 'app.kubernetes.io/component': a.shape };

  // identity and access
  const pullSecret = rng.chance(0.4) ? `${s}-pull` : undefined;
  emit(
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: s },
      ...(pullSecret ? { imagePullSecrets: [{ name: pullSecret }] } : {}),
    },
    'config',
  );
  references.add(`ServiceAccount/${s}`);
  if (pullSecret) {
    emit(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: pullSecret },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': b64('{"auths":{"registry.internal.example":{"auth":"ZmFrZTpmYWtl"}}}') },
      },
      'config',
    );
    references.add(`Secret/${pullSecret}`);
  }
  emit(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: s },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    'config',
  );
  emit(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: s },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: s },
      subjects: [{ kind: 'ServiceAccount', name: s, namespace: ns }],
    },
    'config',
  );
  if (rng.chance(0.1)) {
    const role = `${ns}-${s}-reader`;
    ctx.add(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: role, labels: { [estateLabel]: p } },
        rules: [{ apiGroups: [''], resources: ['nodes', 'namespaces'], verbs: ['get', 'list'] }],
      },
      a.manager,
      'cluster',
    );
    ctx.add(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: role, labels: { [estateLabel]: p } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ kind: 'ServiceAccount', name: s, namespace: ns }],
      },
      a.manager,
      'cluster',
    );
    cluster.add(`ClusterRole/${role}`);
    cluster.add(`ClusterRoleBinding/${role}`);
  }

  // configuration; some of it calls another team's service by its cluster DNS name
  const others = ctx.callable.filter((o) => o.namespace !== ns);
  const upstream = others.length > 0 && rng.chance(0.5) ? rng.pick(others) : undefined;
  const upstreamHost = upstream ? `${upstream.service}.${upstream.namespace}.svc.cluster.local` : undefined;
  if (upstream)
    crossNamespace.push({
      namespace: upstream.namespace,
      service: upstream.service as string,
      app: `${upstream.namespace}/${upstream.name}`,
    });
  emit(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${s}-config` },
      data: { 'app.yaml': `name: ${s}\nlogLevel: info\n${upstreamHost ? `upstream: http://${upstreamHost}:8080\n` : ''}` },
    },
    'config',
  );
  emit(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${s}-env` },
      data: { LOG_FORMAT: 'json', REGION: rng.pick(['eu-west-1', 'us-east-1', 'ap-south-1']) },
    },
    'config',
  );
  emit(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${s}-credentials` },
      type: 'Opaque',
      data: { username: b64(s), password: b64(`not-a-real-password-${a.index}`) },
    },
    'config',
  );
  references.add(`ConfigMap/${s}-config`);
  references.add(`ConfigMap/${s}-env`);
  references.add(`Secret/${s}-credentials`);
  // many small config objects, as large apps have (dashboards, rules, locales): distinct topics in a seeded order
  const order = topics.map((t) => [rng.next(), t] as const).sort((x, y) => x[0] - y[0]);
  for (const [, topic] of order.slice(0, rng.int(14, 46))) {
    if (rng.chance(0.75)) {
      emit(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `${s}-${topic}` },
          data: { [`${topic}.yaml`]: `# ${topic} of ${s}\n${'entry: value\n'.repeat(rng.int(2, 30))}` },
        },
        'config',
      );
    } else {
      emit(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${s}-${topic}-key` },
          type: 'Opaque',
          data: { key: b64(`not-a-real-key-${topic}-${a.index}`) },
        },
        'config',
      );
    }
  }

  // workloads
  const priorityClass = rng.chance(0.2) ? rng.pick(ctx.priorityClasses) : undefined;
  if (priorityClass) cluster.add(`PriorityClass/${priorityClass}`);
  const cacheClaim = a.shape !== 'db' && rng.chance(0.15) ? `${s}-cache` : undefined;
  const podSpec = (extraEnv: Record<string, unknown>[] = []) => ({
    serviceAccountName: s,
    ...(pullSecret ? { imagePullSecrets: [{ name: pullSecret }] } : {}),
    ...(priorityClass ? { priorityClassName: priorityClass } : {}),
    containers: [
      {
        name: s,
        image: `registry.internal.example/${chart}:${chartVersion}`,
        envFrom: [{ configMapRef: { name: `${s}-env` } }],
        env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${s}-credentials`, key: 'password' } } }, ...extraEnv],
        volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: `${s}-config` } },
      ...(cacheClaim ? [{ name: 'cache', persistentVolumeClaim: { claimName: cacheClaim } }] : []),
    ],
  });
  const envUpstream = upstreamHost ? [{ name: 'UPSTREAM_URL', value: `http://${upstreamHost}:8080` }] : [];
  if (cacheClaim) {
    const size = `${rng.int(1, 8)}Gi`;
    emit(
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: cacheClaim },
        spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
      },
      'config',
    );
    volumes.push({ claim: cacheClaim, storageClass: 'fast-ssd', requested: size });
    references.add(`PersistentVolumeClaim/${cacheClaim}`);
    cluster.add('StorageClass/fast-ssd');
  }
  if (a.shape !== 'db') {
    emit(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: s },
        spec: {
          replicas: rng.chance(0.45) ? 1 : 0,
          selector: { matchLabels: podLabels },
          template: { metadata: { labels: podLabels }, spec: podSpec(envUpstream) },
        },
      },
      'workloads',
    );
  }
  if (a.shape === 'db' || a.withDb) {
    const db = `${s}-db`;
    const storageClass = rng.pick(['standard', 'fast-ssd']);
    const size = `${rng.int(1, 20)}Gi`;
    const dbLabels = { 'app.kubernetes.io/name': db, 'app.kubernetes.io/component': 'database' };
    emit(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: db },
        spec: { clusterIP: 'None', selector: dbLabels, ports: [{ name: 'db', port: 5432 }] },
      },
      'config',
    );
    emit(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: db },
        spec: {
          serviceName: db,
          replicas: 1,
          selector: { matchLabels: dbLabels },
          template: { metadata: { labels: dbLabels }, spec: podSpec(a.shape === 'db' ? envUpstream : []) },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { storageClassName: storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
            },
          ],
        },
      },
      'workloads',
    );
    volumes.push({ claim: `data-${db}-0`, storageClass, requested: size });
    cluster.add(`StorageClass/${storageClass}`);
  }

  // how it is reached
  if (a.service) {
    const type = rng.weighted([
      ['ClusterIP', 84],
      ['LoadBalancer', 8],
      ['NodePort', 8],
    ] as const);
    const dns = type === 'LoadBalancer' && rng.chance(0.5) ? `${s}.${a.team}.${p}.example.com` : undefined;
    const address = `203.0.113.${(a.index % 250) + 1}`;
    emit(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: a.service, ...(dns ? { annotations: { 'external-dns.alpha.kubernetes.io/hostname': dns } } : {}) },
        spec: { type, selector: podLabels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
      'config',
      type === 'LoadBalancer' ? { loadBalancer: { ingress: [{ ip: address }] } } : undefined,
    );
    if (type === 'LoadBalancer') loadBalancers.push({ service: a.service, addresses: [address] });
    if (type !== 'ClusterIP') nodePortServices.push(a.service);
    if (dns) externalDns.push(dns);
    if (a.shape === 'web' && rng.chance(0.6)) {
      const host = `${s}.${a.team}.${p}.example.com`;
      const ingressClass = rng.pick(ctx.ingressClasses);
      const tls = rng.chance(0.7);
      const ingressDns = rng.chance(0.3);
      if (tls) {
        emit(
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: `${s}-tls` },
            type: 'kubernetes.io/tls',
            data: { 'tls.crt': b64('not a real certificate'), 'tls.key': b64('not a real key') },
          },
          'config',
        );
        references.add(`Secret/${s}-tls`);
      }
      emit(
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: s, ...(ingressDns ? { annotations: { 'external-dns.alpha.kubernetes.io/hostname': host } } : {}) },
          spec: {
            ingressClassName: ingressClass,
            ...(tls ? { tls: [{ hosts: [host], secretName: `${s}-tls` }] } : {}),
            rules: [
              {
                host,
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: a.service, port: { number: 80 } } } }] },
              },
            ],
          },
        },
        'workloads',
      );
      ingressHosts.push(host);
      if (ingressDns) externalDns.push(host);
      cluster.add(`IngressClass/${ingressClass}`);
      references.add(`Service/${a.service}`);
    }
  }
  if (upstream && rng.chance(0.3)) {
    emit(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${s}-upstream` },
        spec: { type: 'ExternalName', externalName: upstreamHost },
      },
      'config',
    );
  }

  // policies around the workload
  if (a.shape !== 'db' && rng.chance(0.5)) {
    emit(
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: s },
        spec: { minAvailable: 1, selector: { matchLabels: podLabels } },
      },
      'workloads',
    );
  }
  if (a.shape !== 'db' && rng.chance(0.1)) {
    emit(
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: s },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        },
      },
      'workloads',
    );
  }
  if (rng.chance(0.5)) {
    emit(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: s },
        spec: { podSelector: { matchLabels: podLabels }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] },
      },
      'config',
    );
  }
  if (rng.chance(0.25)) {
    emit(
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: `${s}-report` },
        spec: {
          schedule: `${rng.int(0, 59)} ${rng.int(0, 23)} * * *`,
          suspend: true,
          jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'OnFailure' } } } },
        },
      },
      'workloads',
    );
  }

  // custom resources of the estate's CRDs
  if (rng.chance(0.3)) {
    const kinds = customKinds.filter(() => rng.chance(0.5));
    for (const ck of kinds.length > 0 ? kinds : [customKinds[a.index % customKinds.length]]) {
      emit(
        {
          apiVersion: `${ctx.group}/v1`,
          kind: ck.kind,
          metadata: { name: `${s}-${ck.kind.toLowerCase()}` },
          spec: { owner: s, retention: `${rng.int(1, 30)}d` },
        },
        'workloads',
      );
      cluster.add(`CustomResourceDefinition/${ck.plural}.${ctx.group}`);
    }
  }

  // the tools' release records
  const release = (revision: number, status: ReleaseInfo['status']): ReleaseInfo => ({
    name: a.release as string,
    namespace: ns,
    chart,
    chartVersion,
    revision,
    status,
  });
  if (a.flavor === 'helm3' || a.flavor === 'flux-helmrelease') {
    const revisions = rng.chance(0.3) ? 2 : 1;
    for (let r = 1; r <= revisions; r++)
      ctx.add(helm3ReleaseSecret(release(r, r === revisions ? 'deployed' : 'superseded')), a.manager, 'records');
  }
  if (a.flavor === 'helm2') ctx.add(tillerConfigMap(tillerNamespace, release(1, 'deployed'), { [estateLabel]: p }), a.manager, 'records');

  // a GitOps app with a hotfix someone applied by hand: runtime state no git source describes
  if (a.primary && (a.flavor === 'argocd' || a.flavor === 'flux-kustomization') && rng.chance(0.3)) {
    const hotfix = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${s}-hotfix`, namespace: ns },
      type: 'Opaque',
      data: { patch: b64('not-a-real-patch') },
    };
    ctx.add(hotfix, 'kubectl-client-side-apply', 'config');
    untracked.push(`Secret/${s}-hotfix`);
  }

  const nsTeam = ctx.nsTeam.get(ns)?.team;
  const mechanism = mechanismOf[a.flavor];
  const gitops = mechanism === 'argocd' || mechanism === 'flux';
  const sorted = (xs: Iterable<string>) => [...xs].sort();
  return {
    id: `${ns}/${a.name}`,
    namespace: ns,
    name: a.name,
    team: a.objectTeam ?? nsTeam ?? 'unowned',
    mechanism,
    gitops: !gitops ? 'untracked' : untracked.length > 0 ? 'partial' : 'tracked',
    untracked: sorted(untracked),
    volumes: volumes.sort((x, y) => (x.claim < y.claim ? -1 : 1)),
    references: sorted(references),
    crossNamespace: [...new Map(crossNamespace.map((c) => [`${c.namespace}/${c.service}`, c])).values()],
    cluster: sorted(cluster),
    loadBalancers,
    nodePortServices,
    ingressHosts: sorted(ingressHosts),
    externalDns: sorted(externalDns),
  };
}
