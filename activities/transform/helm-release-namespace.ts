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
 * none of the other transforms' changes (registries, labels), which are Ferry's, not the chart's. Objects a chart
 * put in other namespaces count too: a release that stays may still reference a namespace that moves.
 */
function remapRelease(release: Record<string, unknown>, ctx: NamespaceRemapContext): Record<string, unknown> {
  const out: Record<string, unknown> = { ...release };
  const target = mapped(ctx, release.namespace);
  if (target !== undefined) out.namespace = target;
  const manifest = asString(release.manifest);
  if (manifest !== undefined) out.manifest = remapManifestNamespaces(manifest, ctx);
  if (Array.isArray(release.hooks)) {
    out.hooks = asArray(release.hooks).map((hook) => {
      const h = asRecord(hook);
      const hookManifest = asString(h?.manifest);
      if (h === undefined || hookManifest === undefined) return hook;
      const remapped = remapManifestNamespaces(hookManifest, ctx);
      return remapped === hookManifest ? hook : { ...h, manifest: remapped };
    });
  }
  return out;
}

const changed = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  a.namespace !== b.namespace || a.manifest !== b.manifest || asArray(a.hooks).some((h, i) => h !== asArray(b.hooks)[i]);

export const remapHelmReleaseNamespace: Transform<NamespaceRemapContext> = {
  name: 'helm-release-namespace',
  apply(obj, ctx): TransformResult {
    if (!Object.keys(ctx.namespaceMap).some((ns) => mapped(ctx, ns) !== undefined)) return { kind: 'keep' };
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
      const remapped = remapRelease(release, ctx);
      if (changed(release, remapped)) {
        patches.push({ op: 'replace', path: '/data/release', value: storeValue(encodeHelmPayload(remapped), storage) });
        const moved =
          release.namespace === remapped.namespace
            ? 'namespace references'
            : `namespace ${String(release.namespace)} → ${String(remapped.namespace)}`;
        reasons.push(`release ${String(release.name)} v${String(release.version)} ${moved}`);
      }
    }
    return patchOrKeep(patches, reasons.join('; '));
  },
};
