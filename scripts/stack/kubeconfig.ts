// Kubeconfig files for the local clusters: one with every context for users, one per cluster for its controllers.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { b64, type ClusterPki } from './pki.js';

export interface KubeconfigCluster {
  readonly name: string;
  readonly server: string;
  readonly pki: ClusterPki;
}

export function kubeconfigYaml(clusters: readonly KubeconfigCluster[], current: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': current,
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: { server: c.server, 'certificate-authority-data': b64(c.pki.caCert) },
    })),
    users: clusters.map((c) => ({
      name: `${c.name}-admin`,
      user: { 'client-certificate-data': b64(c.pki.adminCert), 'client-key-data': b64(c.pki.adminKey) },
    })),
    contexts: clusters.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: `${c.name}-admin`, namespace: 'default' },
    })),
  });
}

export function writeKubeconfig(file: string, clusters: readonly KubeconfigCluster[], current: string): void {
  writeFileSync(file, kubeconfigYaml(clusters, current), { mode: 0o600 });
}
