// One local Kubernetes control plane: etcd, kube-apiserver, controller-manager, scheduler and
// KWOK simulating its nodes. Nodes and StorageClasses are seeded once the apiserver is ready.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { ok } from '../https-probe.js';
import { writeKubeconfig } from '../kubeconfig.js';
import type { StackPaths } from '../paths.js';
import { type ClusterPki, ensurePki } from '../pki.js';
import { type ClusterName, host, ports } from '../ports.js';
import type { Service } from '../service.js';
import * as tools from '../tools.js';

export const hostPathProvisioner = 'ferry.dev/hostpath';

/** The two clusters differ in StorageClasses on purpose, so a migration must remap them. */
export const storageClasses: Record<ClusterName, readonly { name: string; default: boolean }[]> = {
  'ferry-source': [
    { name: 'standard', default: true },
    { name: 'fast-ssd', default: false },
  ],
  'ferry-target': [
    { name: 'premium-rwo', default: true },
    { name: 'standard-rwo', default: false },
  ],
};

export const nodesPerCluster = 3;

export function clusterDir(paths: StackPaths, cluster: ClusterName): string {
  return join(paths.state, 'clusters', cluster);
}

export function clusterPki(paths: StackPaths, cluster: ClusterName): ClusterPki {
  return ensurePki(join(clusterDir(paths, cluster), 'pki'));
}

export function apiserverUrl(cluster: ClusterName): string {
  return `https://${host}:${ports.clusters[cluster].apiserver}`;
}

function adminKubeconfig(paths: StackPaths, cluster: ClusterName): string {
  const file = join(clusterDir(paths, cluster), 'admin.kubeconfig');
  writeKubeconfig(file, [{ name: cluster, server: apiserverUrl(cluster), pki: clusterPki(paths, cluster) }], cluster);
  return file;
}

function tlsOf(pki: ClusterPki) {
  return { ca: readFileSync(pki.caCert), cert: readFileSync(pki.adminCert), key: readFileSync(pki.adminKey) };
}

function objectApi(paths: StackPaths, cluster: ClusterName): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(paths.kubeconfig);
  kc.setCurrentContext(cluster);
  return KubernetesObjectApi.makeApiClient(kc);
}

async function apply(api: KubernetesObjectApi, obj: KubernetesObject): Promise<void> {
  await api.patch(obj, undefined, undefined, 'ferry-stack', true, PatchStrategy.ServerSideApply);
}

function nodeObject(cluster: ClusterName, i: number): KubernetesObject {
  const name = `${cluster.replace('ferry-', '')}-node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/worker': '',
        type: 'kwok',
        'topology.kubernetes.io/zone': `${cluster}-zone-${i}`,
      },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '250' },
      capacity: { cpu: '32', memory: '256Gi', pods: '250' },
      nodeInfo: { architecture: 'amd64', kubeletVersion: 'fake', operatingSystem: 'linux' },
      phase: 'Running',
    },
  } as KubernetesObject;
}

export function clusterServices(paths: StackPaths, cluster: ClusterName): Service[] {
  const p = ports.clusters[cluster];
  const dir = clusterDir(paths, cluster);
  const pki = () => clusterPki(paths, cluster);
  const etcdUrl = `http://${host}:${p.etcdClient}`;
  const n = (s: string) => `${cluster}-${s}`;

  const etcd: Service = {
    name: n('etcd'),
    ports: [p.etcdClient, p.etcdPeer],
    dependsOn: [],
    readyTimeoutMs: 30_000,
    async spec(paths) {
      const bin = await tools.kubernetes(paths);
      const peer = `http://${host}:${p.etcdPeer}`;
      mkdirSync(dir, { recursive: true });
      return {
        name: n('etcd'),
        command: bin.etcd,
        args: [
          `--name=${cluster}`,
          `--data-dir=${join(dir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peer}`,
          `--initial-advertise-peer-urls=${peer}`,
          `--initial-cluster=${cluster}=${peer}`,
          // a throwaway development store: durability on power loss is not worth the fsync latency
          '--unsafe-no-fsync',
          '--quota-backend-bytes=4294967296',
          '--log-level=warn',
        ],
      };
    },
    ready: () => ok(`${etcdUrl}/health`),
  };

  const apiserver: Service = {
    name: n('kube-apiserver'),
    ports: [p.apiserver],
    dependsOn: [etcd.name],
    readyTimeoutMs: 90_000,
    async spec(paths) {
      const bin = await tools.kubernetes(paths);
      const k = pki();
      return {
        name: n('kube-apiserver'),
        command: bin.apiserver,
        args: [
          `--etcd-servers=${etcdUrl}`,
          `--bind-address=${host}`,
          `--advertise-address=${host}`,
          `--secure-port=${p.apiserver}`,
          `--tls-cert-file=${k.serverCert}`,
          `--tls-private-key-file=${k.serverKey}`,
          `--client-ca-file=${k.caCert}`,
          `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
          `--service-account-key-file=${k.saPub}`,
          `--service-account-signing-key-file=${k.saKey}`,
          '--service-cluster-ip-range=10.0.0.0/24',
          '--authorization-mode=RBAC',
          '--allow-privileged=true',
          '--enable-priority-and-fairness=false',
          // the kubernetes Service cannot point at a loopback address; nothing in the stack needs it
          '--endpoint-reconciler-type=none',
          '--profiling=false',
          '--v=0',
        ],
      };
    },
    ready: () => ok(`${apiserverUrl(cluster)}/readyz`, tlsOf(pki())),
    async seed() {
      const api = objectApi(paths, cluster);
      for (let i = 0; i < nodesPerCluster; i++) await apply(api, nodeObject(cluster, i));
      // room for the Services of thousands of apps: a second ServiceCIDR, which the allocator adds to the first
      await apply(api, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'ServiceCIDR',
        metadata: { name: 'ferry-services' },
        spec: { cidrs: ['10.96.0.0/12'] },
      } as KubernetesObject);
      for (const sc of storageClasses[cluster]) {
        await apply(api, {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: {
            name: sc.name,
            annotations: { 'storageclass.kubernetes.io/is-default-class': String(sc.default) },
          },
          provisioner: hostPathProvisioner,
          reclaimPolicy: 'Delete',
          volumeBindingMode: 'Immediate',
          allowVolumeExpansion: true,
        } as KubernetesObject);
      }
    },
  };

  const controllerManager: Service = {
    name: n('kube-controller-manager'),
    ports: [p.controllerManager],
    dependsOn: [apiserver.name],
    readyTimeoutMs: 60_000,
    async spec(paths) {
      const bin = await tools.kubernetes(paths);
      const k = pki();
      return {
        name: n('kube-controller-manager'),
        command: bin.controllerManager,
        args: [
          `--kubeconfig=${adminKubeconfig(paths, cluster)}`,
          `--bind-address=${host}`,
          `--secure-port=${p.controllerManager}`,
          `--cert-dir=${join(dir, 'controller-manager')}`,
          `--root-ca-file=${k.caCert}`,
          `--service-account-private-key-file=${k.saKey}`,
          `--cluster-signing-cert-file=${k.caCert}`,
          `--cluster-signing-key-file=${k.caKey}`,
          `--cluster-name=${cluster}`,
          '--leader-elect=false',
          '--use-service-account-credentials=false',
          '--profiling=false',
        ],
      };
    },
    ready: () => ok(`https://${host}:${p.controllerManager}/healthz`, { insecure: true }),
  };

  const scheduler: Service = {
    name: n('kube-scheduler'),
    ports: [p.scheduler],
    dependsOn: [apiserver.name],
    readyTimeoutMs: 60_000,
    async spec(paths) {
      const bin = await tools.kubernetes(paths);
      return {
        name: n('kube-scheduler'),
        command: bin.scheduler,
        args: [
          `--kubeconfig=${adminKubeconfig(paths, cluster)}`,
          `--bind-address=${host}`,
          `--secure-port=${p.scheduler}`,
          `--cert-dir=${join(dir, 'scheduler')}`,
          '--leader-elect=false',
          '--profiling=false',
        ],
      };
    },
    ready: () => ok(`https://${host}:${p.scheduler}/healthz`, { insecure: true }),
  };

  const kwok: Service = {
    name: n('kwok'),
    ports: [p.kwok],
    dependsOn: [apiserver.name],
    readyTimeoutMs: 60_000,
    async spec(paths) {
      const kwok = await tools.kwok(paths);
      return {
        name: n('kwok'),
        command: kwok.bin,
        args: [
          `--kubeconfig=${adminKubeconfig(paths, cluster)}`,
          '--manage-all-nodes=false',
          '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
          `--server-address=${host}:${p.kwok}`,
          '--cidr=10.244.0.0/16',
          `--node-ip=${host}`,
          '--node-lease-duration-seconds=40',
          // explicit stages, so nothing in the user's ~/.kwok changes the stack
          ...kwok.stages.map((s) => `--config=${s}`),
        ],
      };
    },
    ready: () => ok(`http://${host}:${p.kwok}/healthz`),
  };

  return [etcd, apiserver, controllerManager, scheduler, kwok];
}
