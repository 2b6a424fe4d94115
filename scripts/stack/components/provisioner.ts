// The stack's hostPath volume provisioner, one process for every cluster.
import { join } from 'node:path';
import { ok } from '../https-probe.js';
import type { StackPaths } from '../paths.js';
import { repoRoot } from '../paths.js';
import { clusterNames, host, ports } from '../ports.js';
import type { Service } from '../service.js';

export function volumesRoot(paths: StackPaths): string {
  return join(paths.state, 'volumes');
}

export function provisionerService(): Service {
  return {
    name: 'volume-provisioner',
    ports: [ports.provisioner],
    dependsOn: clusterNames.map((c) => `${c}-kube-controller-manager`),
    readyTimeoutMs: 60_000,
    async spec(paths) {
      return {
        name: 'volume-provisioner',
        command: process.execPath,
        cwd: repoRoot,
        args: [
          '--import',
          'tsx',
          join(repoRoot, 'scripts', 'stack', 'provisioner-main.ts'),
          '--kubeconfig',
          paths.kubeconfig,
          '--root',
          volumesRoot(paths),
          '--port',
          String(ports.provisioner),
          '--contexts',
          clusterNames.join(','),
        ],
      };
    },
    ready: () => ok(`http://${host}:${ports.provisioner}/healthz`),
  };
}
