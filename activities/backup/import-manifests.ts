// Reading backups Ferry did not make: exported YAML/JSON (multi-document files, `kind: List` as
// `kubectl get -o yaml` writes it) and Velero tarballs. Pure: files in, objects and problems out.
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/object.js';

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface ImportProblem {
  readonly path: string;
  /** 0-based document index in a multi-document file; undefined for the file as a whole. */
  readonly document?: number;
  readonly message: string;
}

export interface ParsedObjects {
  readonly objects: KubeObject[];
  readonly problems: ImportProblem[];
}

function objectProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not an object';
  const o = value as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') return 'has no apiVersion';
  if (typeof o.kind !== 'string' || o.kind === '') return 'has no kind';
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta.name !== 'string' || meta.name === '') return 'has no metadata.name';
  return undefined;
}

/** One file's documents; a List contributes its items. Empty documents are ignored, as kubectl does. */
export function parseManifestFile(file: SourceFile): ParsedObjects {
  const objects: KubeObject[] = [];
  const problems: ImportProblem[] = [];
  const docs = parseAllDocuments(file.text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, document) => {
    if (doc.errors.length > 0) {
      problems.push({ path: file.path, document, message: doc.errors[0].message.split('\n')[0] });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const items =
      typeof value === 'object' &&
      !Array.isArray(value) &&
      /List$/.test(String((value as { kind?: unknown }).kind)) &&
      Array.isArray((value as { items?: unknown }).items)
        ? (value as { items: unknown[] }).items
        : [value];
    items.forEach((item, i) => {
      const problem = objectProblem(item);
      if (problem)
        problems.push({
          path: file.path,
          document,
          message: items.length > 1 || item !== value ? `item ${i} ${problem}` : `document ${problem}`,
        });
      else objects.push(item as KubeObject);
    });
  });
  return { objects, problems };
}

export function parseManifestFiles(files: readonly SourceFile[]): ParsedObjects {
  const all = [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map(parseManifestFile);
  return { objects: all.flatMap((p) => p.objects), problems: all.flatMap((p) => p.problems) };
}

/**
 * Velero keeps one JSON file per object: `resources/<resource>.<group>/[<version>-preferredversion/]namespaces/<ns>/<name>.json`
 * or `…/cluster/<name>.json`. Files elsewhere in the tarball (logs, metadata, volume info) are not objects.
 */
export function isVeleroObjectPath(path: string): boolean {
  return /^(?:\.\/)?resources\/[^/]+\/(?:[^/]+\/)?(?:namespaces\/[^/]+|cluster)\/[^/]+\.json$/.test(path);
}

/** Velero writes both the preferred version and others when API group versions are enabled: keep one per object. */
export function preferVeleroVersions(files: readonly SourceFile[]): SourceFile[] {
  const byObject = new Map<string, SourceFile>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const m = /^(?:\.\/)?resources\/([^/]+)\/(?:([^/]+)\/)?((?:namespaces\/[^/]+|cluster)\/[^/]+\.json)$/.exec(f.path);
    if (!m) continue;
    const key = `${m[1]}/${m[3]}`;
    const preferred = m[2] === undefined || m[2].endsWith('-preferredversion');
    if (!byObject.has(key) || preferred) byObject.set(key, f);
  }
  return [...byObject.values()];
}
