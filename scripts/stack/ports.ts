// Every loopback port the stack binds, in one place so a clash is easy to find and change.
export const host = '127.0.0.1';

export const ports = {
  temporal: 7233,
  temporalUi: 8233,
  s3: 9100,
  gcs: 4443,
  azureBlob: 10000,
  provisioner: 10300,
  clusters: {
    'ferry-source': { etcdClient: 12379, etcdPeer: 12380, apiserver: 16443, controllerManager: 16457, scheduler: 16459, kwok: 16480 },
    'ferry-target': { etcdClient: 22379, etcdPeer: 22380, apiserver: 26443, controllerManager: 26457, scheduler: 26459, kwok: 26480 },
  },
} as const;

export type ClusterName = keyof typeof ports.clusters;
export const clusterNames = Object.keys(ports.clusters).sort() as ClusterName[];
