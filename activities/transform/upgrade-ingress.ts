// Ingresses from extensions/v1beta1 and networking.k8s.io/v1beta1 (removed in Kubernetes 1.22) to
// networking.k8s.io/v1: backends, the default backend, path types and the ingress class in v1's shape.
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import {
  ApiConversionFailed,
  type ApiUpgradeContext,
  type ApiUpgradeRoute,
  converted,
  mutableRecord,
  recordAt,
  upgradeTarget,
  workingCopy,
} from './api-version.js';
import { asArray, asRecord } from './pointer.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = {
  kinds: ['Ingress'],
  from: ['extensions/v1beta1', 'networking.k8s.io/v1beta1'],
  to: 'networking.k8s.io/v1',
};

const classAnnotation = 'kubernetes.io/ingress.class';
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * servicePort was an int-or-string: a number is a port number, a name a port name. A string of digits was
 * meant as a number (no port name is all digits, and v1 rejects such a name), so it becomes one.
 */
function portOf(port: unknown): { number: number } | { name: string } | undefined {
  if (typeof port === 'number') return { number: port };
  if (typeof port === 'string' && /^[0-9]+$/.test(port)) return { number: Number(port) };
  if (typeof port === 'string' && port !== '') return { name: port };
  return undefined;
}

function backendOf(backend: unknown, fail: (reason: string) => never, where: string): Record<string, unknown> {
  const old = asRecord(backend) ?? {};
  const out: Record<string, unknown> = {};
  if (old.resource !== undefined) out.resource = old.resource;
  if (typeof old.serviceName === 'string') {
    const port = portOf(old.servicePort);
    if (port === undefined) fail(`${where} names service ${old.serviceName} without a servicePort, which v1 requires`);
    out.service = { name: old.serviceName, port };
  }
  return out;
}

export const upgradeIngress: Transform<ApiUpgradeContext> = {
  name: 'upgrade-ingress',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const fail = (reason: string): never => {
      throw new ApiConversionFailed(refKey(refOf(obj)), obj.apiVersion, reason);
    };
    const out: KubeObject = workingCopy(obj);
    out.apiVersion = to;
    const notes: string[] = [];
    const spec = recordAt(out, 'spec') ?? {};
    if (spec.backend !== undefined) {
      spec.defaultBackend = backendOf(spec.backend, fail, 'spec.backend');
      delete spec.backend;
    }
    let defaultedPaths = 0;
    asArray(spec.rules).forEach((rule, ri) => {
      asArray(asRecord(asRecord(rule)?.http)?.paths).forEach((entry, pi) => {
        const path = mutableRecord(entry);
        if (path === undefined) return;
        path.backend = backendOf(path.backend, fail, `spec.rules[${ri}].http.paths[${pi}]`);
        if (path.pathType === undefined) {
          // What v1beta1 defaulted it to since 1.18, and what the controllers did before there was a field.
          path.pathType = 'ImplementationSpecific';
          defaultedPaths++;
        }
      });
    });
    if (defaultedPaths > 0) notes.push(`pathType ImplementationSpecific on ${defaultedPaths} path(s) that had none`);
    // The annotation is kept beside the field: this upgrade only runs against Kubernetes 1.22 or later, which
    // accepts both when they agree, and controllers that only read the annotation (some cloud load-balancer
    // controllers) keep serving the Ingress.
    const annotated = obj.metadata.annotations?.[classAnnotation];
    if (spec.ingressClassName === undefined && annotated !== undefined && dnsSubdomain.test(annotated)) {
      spec.ingressClassName = annotated;
      notes.push(`spec.ingressClassName ${annotated} from the ${classAnnotation} annotation, which is kept`);
    }
    return converted(obj, out, notes);
  },
};
