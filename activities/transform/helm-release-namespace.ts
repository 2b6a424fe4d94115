// Keeps Helm 3 releases manageable when their namespace is remapped, so `helm list -n <new>` and `helm upgrade`
// work on the target: the release record's namespace and its manifest's namespace references are rewritten, and
// so is the meta.helm.sh/release-namespace annotation, which Helm checks before it touches an object.

import { remapManifestNamespaces } from './helm-manifest.js';
import { encodeHelmPayload, helmStorageOf, readHelmRelease, storeValue } from './helm-release.js';
import { asArray, asRecord, asString, pointer } from './pointer.js';
import type { NamespaceRemapContext } from './remap-namespace.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

const releaseNamespaceAnnotation = 'meta.helm.sh/release-namespace';

const mapped = (ctx: NamespaceRemapContext, ns: unknown): string | undefined =>
  typeof ns === 'string' && Object.hasOwn(ctx.namespaceMap, ns) && ctx.namespaceMap[ns] !== ns ? ctx.namespaceMap[ns] : undefined;

/**
 * The manifest is what the chart rendered, and Helm's next upgrade diffs against it: after the move it should
 * read as if rendered in the new namespace. It therefore gets the same namespace edits as the live objects, and
 * none of the other transforms' changes (registries, labels), which are Ferry's, not the chart's.
 */
function remapRelease(release: Record<string, unknown>, ctx: NamespaceRemapContext, target: string): Record<string, unknown> {
  const manifest = asString(release.manifest);
  const out: Record<string, unknown> = { ...release, namespace: target };
  if (manifest !== undefined) out.manifest = remapManifestNamespaces(manifest, ctx);
  if (Array.isArray(release.hooks)) {
    out.hooks = asArray(release.hooks).map((hook) => {
      const h = asRecord(hook);
      const hookManifest = asString(h?.manifest);
      return h === undefined || hookManifest === undefined ? hook : { ...h, manifest: remapManifestNamespaces(hookManifest, ctx) };
    });
  }
  return out;
}

export const remapHelmReleaseNamespace: Transform<NamespaceRemapContext> = {
  name: 'helm-release-namespace',
  apply(obj, ctx): TransformResult {
    const patches: Patch[] = [];
    const reasons: string[] = [];
    const annotated = obj.metadata.annotations?.[releaseNamespaceAnnotation];
    const annotationTarget = mapped(ctx, annotated);
    if (annotationTarget !== undefined) {
      patches.push({ op: 'replace', path: pointer('metadata', 'annotations', releaseNamespaceAnnotation), value: annotationTarget });
      reasons.push(`${releaseNamespaceAnnotation} ${annotated} → ${annotationTarget}`);
    }
    const storage = helmStorageOf(obj);
    if (storage !== undefined) {
      const release = readHelmRelease(obj, storage);
      const target = mapped(ctx, release.namespace);
      if (target !== undefined) {
        const payload = encodeHelmPayload(remapRelease(release, ctx, target));
        patches.push({ op: 'replace', path: '/data/release', value: storeValue(payload, storage) });
        reasons.push(`release ${String(release.name)} v${String(release.version)} namespace ${String(release.namespace)} → ${target}`);
      }
    }
    return patchOrKeep(patches, reasons.join('; '));
  },
};
