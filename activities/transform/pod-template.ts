// Where the pod spec sits in each workload kind, so transforms that touch containers find it in one way.
import type { KubeObject } from '../kube/object.js';
import { groupOf } from '../kube/object.js';
import type { Segment } from './pointer.js';

const templateSpec: readonly Segment[] = ['spec', 'template', 'spec'];

const podSpecPaths: Readonly<Record<string, readonly Segment[]>> = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': templateSpec,
  'apps/Deployment': templateSpec,
  'apps/StatefulSet': templateSpec,
  'apps/DaemonSet': templateSpec,
  'apps/ReplicaSet': templateSpec,
  'batch/Job': templateSpec,
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Path of the PodSpec inside `obj`, or undefined for kinds that hold none. */
export function podSpecPath(obj: Readonly<KubeObject>): readonly Segment[] | undefined {
  return podSpecPaths[`${groupOf(obj.apiVersion)}/${obj.kind}`];
}

export const containerLists = ['initContainers', 'containers'] as const;
