// Reading exported manifests: multi-document YAML, kubectl's List, JSON, Velero's layout; bad input by path and document.
import { describe, expect, it } from 'vitest';
import {
  isVeleroObjectPath,
  parseManifestFile,
  parseManifestFiles,
  preferVeleroVersions,
} from '../../../activities/backup/import-manifests.js';

const deployment = `apiVersion: extensions/v1beta1
kind: Deployment
metadata: { name: web, namespace: legacy }
spec: { replicas: 2, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx:1.9 }] } } }
`;

describe('parseManifestFile', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const r = parseManifestFile({
      path: 'app.yaml',
      text: `---\n${deployment}---\n---\napiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: legacy }\n`,
    });
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['extensions/v1beta1 Deployment', 'v1 Service']);
  });

  it('unwraps a List as `kubectl get -o yaml` writes it', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: { name: a, namespace: x }\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: { name: b, namespace: x }\nmetadata: { resourceVersion: "" }\n`;
    expect(parseManifestFile({ path: 'list.yaml', text }).objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('reads JSON', () => {
    const r = parseManifestFile({
      path: 'cm.json',
      text: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
    });
    expect(r.objects).toHaveLength(1);
  });

  it.each([
    { text: 'kind: ConfigMap\nmetadata: { name: a }\n', document: 0, message: 'document has no apiVersion' },
    { text: 'apiVersion: v1\nmetadata: { name: a }\n', document: 0, message: 'document has no kind' },
    { text: `${deployment}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n`, document: 1, message: 'document has no metadata.name' },
    {
      text: 'apiVersion: v1\nkind: List\nitems:\n- { apiVersion: v1, kind: Secret, metadata: { name: ok } }\n- { kind: Secret }\n',
      document: 0,
      message: 'item 1 has no apiVersion',
    },
    { text: `${deployment}---\nkey: [unclosed\n`, document: 1 },
  ])('reports $message at document $document', ({ text, document, message }) => {
    const r = parseManifestFile({ path: 'bad.yaml', text });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ path: 'bad.yaml', document, ...(message ? { message } : {}) });
  });

  it('sorts files by path so an import is the same whatever order the directory lists', () => {
    const r = parseManifestFiles([
      { path: 'b.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n' },
      { path: 'a.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n' },
    ]);
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });
});

describe('Velero tarball layout', () => {
  it.each([
    ['resources/deployments.apps/namespaces/shop/web.json', true],
    ['resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json', true],
    ['resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.example.com.json', true],
    ['./resources/configmaps/namespaces/shop/settings.json', true],
    ['metadata/version', false],
    ['shop-backup-logs.gz', false],
    ['resources/pods/namespaces/shop/web-1.yaml', false],
  ])('%s is an object: %s', (path, expected) => {
    expect(isVeleroObjectPath(path)).toBe(expected);
  });

  it('keeps the preferred version when Velero wrote several', () => {
    const files = preferVeleroVersions([
      { path: 'resources/horizontalpodautoscalers.autoscaling/v1/namespaces/shop/web.json', text: 'v1' },
      { path: 'resources/horizontalpodautoscalers.autoscaling/v2-preferredversion/namespaces/shop/web.json', text: 'v2' },
      { path: 'resources/configmaps/namespaces/shop/a.json', text: 'cm' },
    ]);
    expect(files.map((f) => f.text).sort()).toEqual(['cm', 'v2']);
  });
});
