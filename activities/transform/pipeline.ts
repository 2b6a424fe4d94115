// The ordered transforms a restore applies after sanitize, built from the campaign's restore-transform config
// and the facts of the run; the restore engine runs them with runTransforms.
import type { RestoreTransformConfig } from '../../config/restore.js';
import { API_UPGRADES, type ApiUpgradeContext } from './api-upgrades.js';
import { editAnnotations, editLabels, type MetadataEdit } from './edit-metadata.js';
import { remapHelmReleaseNamespace } from './helm-release-namespace.js';
import { convertHelm2Release, type Helm2Context } from './helm2-to-helm3.js';
import { compileMatcher } from './object-match.js';
import { type NamespaceRemapContext, remapNamespace } from './remap-namespace.js';
import { remapStorageClass, type StorageClassContext } from './remap-storage-class.js';
import { rewriteImageRegistry } from './rewrite-image-registry.js';
import { rewriteIngressHost } from './rewrite-ingress-host.js';
import type { Transform } from './types.js';
import { applyUserPatches } from './user-patches.js';

/** What the run knows, as opposed to what the campaign asks for: target discovery, the campaign's maps. */
export interface RestoreTransformContext extends ApiUpgradeContext, NamespaceRemapContext, StorageClassContext, Helm2Context {}

/** A transform with its context fixed, so one list can mix transforms of different contexts. */
function bind<C>(transform: Transform<C>, ctx: C): Transform<unknown> {
  return { name: transform.name, apply: (obj) => transform.apply(obj, ctx) };
}

function metadataEdit(edit: RestoreTransformConfig['labels']): MetadataEdit {
  return { add: edit.add, remove: edit.remove, scope: edit.scope.map(compileMatcher), podTemplates: edit.podTemplates };
}

/**
 * The order, and why:
 * 1. API upgrades first, so every later step sees objects in the version the target stores: the Ingress host
 *    rewrite finds v1 fields, and user patches are written against what the target will hold.
 * 2. Helm: Tiller's v2 releases become v3 Secrets in their release's source namespace first, so the next step and
 *    the namespace remap handle them like every other release; then release records, manifests and ownership
 *    annotations follow the namespace map.
 * 3. Namespace remap, then storage classes: where objects land and what their claims provision; nothing later
 *    depends on the old namespace.
 * 4. Registries and Ingress hosts: the target's infrastructure names, independent of one another.
 * 5. Labels, then annotations: user edits whose selectors see the objects as restored.
 * 6. User patches last: the escape hatch, applied to the final shape, so they can override anything above.
 * Sanitize is not here: the engine runs it before these, on the captured objects.
 */
export function restoreTransforms(config: RestoreTransformConfig, ctx: RestoreTransformContext): Transform<unknown>[] {
  return [
    ...API_UPGRADES.map((t) => bind(t, ctx)),
    bind(convertHelm2Release, ctx),
    bind(remapHelmReleaseNamespace, ctx),
    bind(remapNamespace, ctx),
    bind(remapStorageClass, ctx),
    bind(rewriteImageRegistry, { imageRegistryMap: config.imageRegistryMap }),
    bind(rewriteIngressHost, { ingressHostMap: config.ingressHostMap }),
    bind(editLabels, { labelEdit: metadataEdit(config.labels) }),
    bind(editAnnotations, { annotationEdit: metadataEdit(config.annotations) }),
    bind(applyUserPatches, { userPatches: config.patches.map((p) => ({ target: compileMatcher(p.target), patch: p.patch })) }),
  ];
}
