// The inventory on the real source cluster, over a generated estate of 24 apps: every app found with its team,
// mechanism, volumes, side effects and dependencies; a type the identity may not list is a warning and the rest is
// still inventoried; an unreachable cluster is an error that names the context. The backup captures exactly an
// app's members.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureApp } from '../../activities/backup/manifests.js';
import { defaultInventoryOptions, type InventoryOptions } from '../../activities/inventory/options.js';
import { takeInventory } from '../../activities/inventory/take-inventory.js';
import { Cluster } from '../../activities/kube/cluster.js';
import { ClusterUnreachable } from '../../activities/kube/errors.js';
import { MemberSet, readLean } from '../../activities/kube/list-body.js';
import type { KubeObject } from '../../activities/kube/object.js';
import type { Io } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import type { InventoryApp, InventoryDocument } from '../../config/inventory.js';
import { applyEstate, deleteEstate } from '../../scripts/gen-estate/apply.js';
import { buildEstate, type ExpectedApp } from '../../scripts/gen-estate/build.js';
import { stackVar } from '../setup/stack.js';
import { waitUntil } from '../support/wait.js';

const run = randomUUID().slice(0, 6);
const prefix = `it${run}`;
const estate = buildEstate({ prefix, apps: 24, teams: 6, seed: run });
const context = 'ferry-source';
const options: InventoryOptions = { ...defaultInventoryOptions, includeNamespaces: [`${prefix}-*`] };
const dir = mkdtempSync(join(tmpdir(), 'ferry-inventory-'));

async function inventory(cluster: Cluster): Promise<InventoryDocument> {
  return takeInventory(cluster, options, { now: () => new Date() });
}

/** What the inventory says of an app, in the shape the generator's expectations have. */
function observed(a: InventoryApp) {
  return {
    team: a.team,
    mechanism: a.mechanism,
    gitops: a.gitops.status,
    untracked: a.gitops.untracked,
    volumes: a.volumes.map((v) => ({ claim: v.claim, storageClass: v.storageClass, requested: v.requested })),
    references: a.dependencies.objects.filter((d) => d.status === 'member').map((d) => `${d.kind}/${d.name}`),
    foreignReferences: a.dependencies.objects.filter((d) => d.status !== 'member'),
    crossNamespace: [
      ...new Map(
        a.dependencies.crossNamespace.map((c) => [
          `${c.namespace}/${c.service}`,
          { namespace: c.namespace, service: c.service, app: c.app },
        ]),
      ).values(),
    ],
    cluster: a.dependencies.cluster.map((c) => `${c.kind}/${c.name}`).sort(),
    missingCluster: a.dependencies.cluster.filter((c) => c.status !== 'present'),
    loadBalancers: a.sideEffects.loadBalancers.map((l) => ({ service: l.service, addresses: l.addresses })),
    nodePortServices: a.sideEffects.nodePorts.map((n) => n.service),
    ingressHosts: a.sideEffects.ingresses.flatMap((i) => i.hosts).sort(),
    externalDns: a.sideEffects.externalDns.flatMap((d) => d.hostnames).sort(),
  };
}

function expected(x: ExpectedApp) {
  const byKey = new Map(x.crossNamespace.map((c) => [`${c.namespace}/${c.service}`, c]));
  return {
    team: x.team,
    mechanism: x.mechanism,
    gitops: x.gitops,
    untracked: x.untracked,
    volumes: x.volumes,
    references: x.references,
    foreignReferences: [],
    crossNamespace: [...byKey.keys()].sort().map((k) => byKey.get(k)),
    cluster: x.cluster,
    missingCluster: [],
    loadBalancers: x.loadBalancers,
    nodePortServices: x.nodePortServices,
    ingressHosts: x.ingressHosts,
    externalDns: x.externalDns,
  };
}

describe('inventory of a generated estate on the real cluster', () => {
  let cluster: Cluster;
  let doc: InventoryDocument;

  beforeAll(async () => {
    await applyEstate({ context, kubeconfig: stackVar('KUBECONFIG') }, estate, { concurrency: 16 });
    cluster = Cluster.fromKubeconfig(context, stackVar('KUBECONFIG'));
    // claims bind and load balancer addresses appear asynchronously: wait until the inventory sees them all (a
    // claim's volume is named a moment before its phase says Bound)
    const claims = estate.apps.flatMap((a) => a.volumes.map((v) => `${a.id}/${v.claim}`)).sort();
    doc = await waitUntil(
      `claims of estate ${prefix} bound`,
      async () => {
        const d = await inventory(cluster);
        const bound = d.apps
          .flatMap((a) => a.volumes.filter((v) => v.volume !== undefined && v.phase === 'Bound').map((v) => `${a.id}/${v.claim}`))
          .sort();
        return JSON.stringify(bound) === JSON.stringify(claims) ? d : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });

  afterAll(async () => {
    cluster?.close();
    await deleteEstate({ context, kubeconfig: stackVar('KUBECONFIG') }, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every generated app, and no other', () => {
    expect(doc.apps.map((a) => a.id)).toEqual(estate.apps.map((a) => a.id).sort());
  });

  it.each(estate.apps.map((a) => ({ id: a.id, app: a })))('$id: team, mechanism, volumes, side effects, dependencies', ({ id, app }) => {
    const found = doc.apps.find((a) => a.id === id);
    expect(found && observed(found)).toEqual(expected(app));
  });

  it('models the same apps however the listings interleave: pages of 7 objects, 2 types at a time', async () => {
    // what controllers change meanwhile (status, hence sizes; the Jobs of CronJobs) aside
    const settled = (apps: InventoryApp[]) =>
      apps.map((a) => ({ ...a, bytes: 0, counts: undefined, objects: a.objects.map((o) => ({ ...o, bytes: 0 })) }));
    // the cluster moves on while a slow listing runs (a status written, discovery refreshed for tests alongside): the
    // paged inventory is compared with one taken right after it, until the two agree or the deadline passes
    let last: { paged: InventoryDocument; whole: InventoryDocument } = { paged: doc, whole: doc };
    await waitUntil(
      'a paged inventory and a whole one that agree',
      async () => {
        // namespaces are modelled as soon as every listing has passed them; with small pages they come in one by one
        const paged = await takeInventory(cluster, { ...options, pageSize: 7, concurrency: 2 }, { now: () => new Date() });
        last = { paged, whole: await inventory(cluster) };
        return isDeepStrictEqual(settled(paged.apps), settled(last.whole.apps)) && isDeepStrictEqual(paged.warnings, last.whole.warnings);
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch(() => undefined);
    expect(last.paged).not.toBe(doc);
    expect(settled(last.paged.apps)).toEqual(settled(last.whole.apps));
    expect(last.paged.warnings).toEqual(last.whole.warnings);
  });

  it('lists a type page by page with every object once, the next page asked for before the last is in', async () => {
    const configMaps = await cluster.resolve('v1', 'ConfigMap');
    if (!configMaps) throw new Error('the cluster serves no ConfigMap type');
    const namespace = estate.apps[0].namespace;
    // decoded whole page by page, or read as the inventory reads them: bodies, each in one pass
    const names = async (pageSize: number, lean: boolean) => {
      const out: string[] = [];
      let pages = 0;
      if (lean) {
        for await (const body of cluster.listBodies(configMaps, { namespace, pageSize })) {
          pages++;
          readLean<KubeObject>(body, new MemberSet([]), (item) => out.push(item.object.metadata.name));
        }
      } else {
        for await (const page of cluster.listPages(configMaps, { namespace, pageSize })) {
          pages++;
          for (let i = 0; i < page.length; i++) out.push(page.item(i).metadata.name);
        }
      }
      return { names: out, pages };
    };
    const whole = await names(100_000, false);
    expect(whole.pages).toBe(1);
    expect(whole.names.length).toBeGreaterThan(10);
    for (const [size, lean] of [
      [5, true],
      [13, false],
    ] as const) {
      const paged = await names(size, lean);
      // a last page that ends the list exactly may still carry a continue token (an empty page follows) or not
      expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(whole.names.length / size));
      expect(paged.names).toEqual(whole.names);
    }
    // a caller that stops after one page leaves nothing behind: the next page, already asked for, is let go of
    for await (const page of cluster.listPages(configMaps, { namespace, pageSize: 2 })) {
      expect(page.length).toBe(2);
      break;
    }
    const again = await names(100_000, true);
    expect(again.names).toEqual(whole.names);
  });

  it('binds claims to the hostPath volumes of the local provisioner', () => {
    const kinds = new Set(doc.apps.flatMap((a) => a.volumes.map((v) => v.volume?.kind)));
    expect([...kinds]).toEqual(['hostPath']);
  });

  it('finds the generated Helm 2 releases through their Tiller records', () => {
    const helm2 = doc.apps.filter((a) => a.mechanism === 'helm2');
    expect(helm2.length).toBe(estate.apps.filter((a) => a.mechanism === 'helm2').length);
    for (const a of helm2) expect(a.source.record).toBe(`kube-system/${a.name}.v1`);
  });

  it('backs up exactly the members the inventory lists for an app, with its Namespace', async () => {
    // a namespace of several apps shows the split best
    const app = doc.apps.find((a) => doc.apps.some((b) => b.namespace === a.namespace && b.id !== a.id)) ?? doc.apps[0];
    const { raw } = await captureApp(cluster, { namespace: app.namespace, app: app.name });
    const captured = raw.filter((o) => o.kind !== 'Namespace');
    expect(raw.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([app.namespace]);
    // what controllers made (Pods, ReplicaSets, Endpoints, ...) comes and goes; everything else must be the inventory's list
    const generated = (o: KubeObject) =>
      o.kind !== 'PersistentVolumeClaim' && (o.kind === 'Endpoints' || Boolean(o.metadata.ownerReferences?.some((r) => r.controller)));
    const own = captured.filter((o) => !generated(o)).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(own.sort()).toEqual(app.objects.map((o) => `${o.kind}/${o.name}`).sort());
    const others = doc.apps
      .filter((a) => a.namespace === app.namespace && a.id !== app.id)
      .flatMap((a) => a.objects.map((o) => `${o.kind}/${o.name}`));
    expect(captured.filter((o) => others.includes(`${o.kind}/${o.metadata.name}`))).toEqual([]);
  });

  it('names an aggregated API that does not answer, in the inventory and in a backup, and takes in the rest', async () => {
    // an APIService whose Service does not exist: the aggregator answers 503 for its group/version
    const group = `unavailable-${run}.ferry.dev`;
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: `v1.${group}` },
      spec: {
        group,
        version: 'v1',
        groupPriorityMinimum: 1000,
        versionPriority: 15,
        insecureSkipTLSVerify: true,
        service: { namespace: 'default', name: `nowhere-${run}`, port: 443 },
      },
    };
    await cluster.apply(apiService);
    try {
      await waitUntil('discovery reports the unavailable API', async () =>
        (await cluster.discover()).failures.some((f) => f.groupVersion === `${group}/v1`),
      );
      const warning = `${group}/v1: discovery failed (503: service unavailable); objects of its types are missing`;
      const partial = await inventory(cluster);
      expect(partial.warnings).toContain(warning);
      expect(partial.apps.map((a) => a.id)).toEqual(doc.apps.map((a) => a.id));
      const { raw, warnings } = await captureApp(cluster, { namespace: doc.apps[0].namespace, app: doc.apps[0].name });
      expect(warnings).toContain(warning);
      expect(raw.length).toBeGreaterThan(1);
    } finally {
      // while it is there the namespace controller cannot finish deleting namespaces: remove it at once
      await cluster.delete({ apiVersion: apiService.apiVersion, kind: apiService.kind, name: apiService.metadata.name });
    }
  });

  describe('with an identity that may not list Secrets', () => {
    const user = `ferry-no-secrets-${run}`;
    let admin: Cluster;
    let restricted: Cluster;

    beforeAll(async () => {
      admin = Cluster.fromKubeconfig(context, stackVar('KUBECONFIG'));
      const { types } = await admin.discover();
      const core = [...new Set(types.filter((t) => t.group === '' && t.plural !== 'secrets').map((t) => t.plural))].sort();
      const groups = [...new Set(types.filter((t) => t.group !== '').map((t) => t.group))].sort();
      await admin.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: user },
        rules: [
          { apiGroups: [''], resources: core, verbs: ['get', 'list'] },
          { apiGroups: groups, resources: ['*'], verbs: ['get', 'list'] },
        ],
      });
      await admin.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: user },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      });
      const kubeconfig = restrictedKubeconfig(user);
      restricted = Cluster.fromKubeconfig(user, kubeconfig);
      const configMaps = await admin.resolve('v1', 'ConfigMap');
      if (!configMaps) throw new Error('the cluster serves no ConfigMap type');
      // RBAC reaches the authorizer through an informer: wait until the binding is in force
      await waitUntil(`${user} may list configmaps`, async () => {
        for await (const _ of restricted.list(configMaps, { pageSize: 1 })) break;
        return true;
      });
    });

    afterAll(async () => {
      restricted?.close();
      await admin?.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: user });
      await admin?.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: user });
      admin?.close();
    });

    it('warns about Secrets and inventories everything else', async () => {
      const partial = await inventory(restricted);
      expect(partial.warnings).toContain('secrets: cannot list (forbidden to this identity); its objects are missing from the inventory');
      expect(partial.apps.map((a) => a.id)).toEqual(doc.apps.map((a) => a.id));
      // Helm 3 apps are still found by the annotations on their objects, and keep their team
      expect(partial.apps.map((a) => [a.id, a.mechanism, a.team])).toEqual(doc.apps.map((a) => [a.id, a.mechanism, a.team]));
      const secretDeps = partial.apps.flatMap((a) => a.dependencies.objects.filter((d) => d.kind === 'Secret'));
      expect(secretDeps.length).toBeGreaterThan(0);
      expect(new Set(secretDeps.map((d) => d.status))).toEqual(new Set(['unlisted']));
      expect(partial.apps.flatMap((a) => a.objects).filter((o) => o.kind === 'Secret')).toEqual([]);
    });
  });

  describe('an unreachable cluster', () => {
    it('is an error that names the context, from the inventory and from the CLI', async () => {
      const port = await closedPort();
      const name = `nowhere-${run}`;
      const file = join(dir, 'unreachable.kubeconfig');
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name, cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
          users: [{ name, user: { token: 'not-a-real-token' } }],
          contexts: [{ name, context: { cluster: name, user: name } }],
          'current-context': name,
        }),
      );
      const unreachable = Cluster.fromKubeconfig(name, file);
      try {
        const failure = await inventory(unreachable).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(ClusterUnreachable);
        expect((failure as Error).message).toMatch(new RegExp(`^cluster "${name}" is unreachable: ECONNREFUSED`));
      } finally {
        unreachable.close();
      }
      const lines: string[] = [];
      const io: Io = { out: (l) => lines.push(l), err: (l) => lines.push(l), progress: () => undefined };
      expect(await main(['inventory', '--context', name, '--kubeconfig', file], io, process.env)).toBe(1);
      expect(lines.join('\n')).toContain(`ferry: cluster "${name}" is unreachable`);
    });
  });
});

/** A client certificate for `user`, signed by the source cluster's CA, in a kubeconfig of its own. */
function restrictedKubeconfig(user: string): string {
  const pki = join(stackVar('FERRY_STACK_DIR'), 'clusters', context, 'pki');
  const key = join(dir, `${user}.key`);
  const csr = join(dir, `${user}.csr`);
  const crt = join(dir, `${user}.crt`);
  const ext = join(dir, 'client.ext');
  writeFileSync(ext, 'extendedKeyUsage=clientAuth\n');
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${user}`]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(pki, 'ca.crt'),
    '-CAkey',
    join(pki, 'ca.key'),
    '-set_serial',
    `0x${run}`,
    '-out',
    crt,
    '-days',
    '1',
    '-extfile',
    ext,
  ]);
  const kc = new KubeConfig();
  kc.loadFromFile(stackVar('KUBECONFIG'));
  const server = kc.getCluster(kc.getContextObject(context)?.cluster ?? context)?.server;
  if (!server) throw new Error(`${stackVar('KUBECONFIG')}: context ${context} names no cluster server`);
  const file = join(dir, `${user}.kubeconfig`);
  const b64 = (f: string) => readFileSync(f).toString('base64');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: user, cluster: { server, 'certificate-authority-data': b64(join(pki, 'ca.crt')) } }],
      users: [{ name: user, user: { 'client-certificate-data': b64(crt), 'client-key-data': b64(key) } }],
      contexts: [{ name: user, context: { cluster: user, user } }],
      'current-context': user,
    }),
  );
  return file;
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
