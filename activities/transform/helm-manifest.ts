// Rewrites the namespaces in a Helm release's manifest text exactly as remapNamespace rewrites the live objects,
// editing only the changed scalars so every other byte (comments, `# Source:` lines, formatting) is kept.
import { isMap, isScalar, isSeq, parse, parseAllDocuments, type Scalar } from 'yaml';
import type { KubeObject } from '../kube/object.js';
import { asRecord, asString } from './pointer.js';
import { type NamespaceRemapContext, remapNamespace } from './remap-namespace.js';

// Helm and Kubernetes read YAML with go-yaml, which follows YAML 1.1 (`yes` is a boolean there).
const yamlOptions = { version: '1.1', prettyErrors: false, logLevel: 'error' } as const;

/** Helm could not have written it (a manifest rendered from a chart always parses): the release is reported. */
export class ManifestEditFailed extends Error {
  override readonly name = 'ManifestEditFailed';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`manifest edit at ${path}: ${reason}`);
  }
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly document: number;
  readonly segments: readonly string[];
  readonly value: string;
}

const unescapeSegment = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');

function nodeAt(root: unknown, segments: readonly string[]): unknown {
  let at: unknown = root;
  for (const s of segments) {
    if (isMap(at)) at = at.get(s, true);
    else if (isSeq(at)) at = at.get(Number(s), true);
    else return undefined;
  }
  return at;
}

function readsBackUnchanged(value: string): boolean {
  try {
    return parse(value, yamlOptions) === value;
  } catch {
    return false;
  }
}

/** The source text for `value` in the scalar's own quoting, when that quoting can hold it unchanged. */
function render(node: Scalar, value: string): string {
  if (node.type === 'QUOTE_SINGLE' && !value.includes('\n')) return `'${value.replaceAll("'", "''")}'`;
  // A plain scalar only where it reads back as the same string: `namespace: 123` would turn into a number.
  if (node.type === 'PLAIN' && !/[\n#,[\]{}]|: |^[\s&*!|>'"%@`-]|\s$/.test(value) && readsBackUnchanged(value)) return value;
  // JSON string syntax is valid double-quoted YAML.
  return JSON.stringify(value);
}

function asKubeObject(value: unknown): KubeObject | undefined {
  const record = asRecord(value);
  const metadata = asRecord(record?.metadata);
  const apiVersion = asString(record?.apiVersion);
  const kind = asString(record?.kind);
  if (record === undefined || metadata === undefined || apiVersion === undefined || kind === undefined) return undefined;
  return { ...record, apiVersion, kind, metadata: { ...metadata, name: asString(metadata.name) ?? '' } };
}

function editsOf(manifest: string, ctx: NamespaceRemapContext): Edit[] {
  const docs = parseAllDocuments(manifest, yamlOptions);
  if (!Array.isArray(docs)) return [];
  const edits: Edit[] = [];
  docs.forEach((doc, document) => {
    if (doc.errors.length > 0) return;
    const obj = asKubeObject(doc.toJS());
    const result = obj === undefined ? undefined : remapNamespace.apply(obj, ctx);
    if (result?.kind !== 'patch') return;
    for (const patch of result.patches) {
      if (patch.op !== 'replace' || typeof patch.value !== 'string') continue;
      const segments = patch.path.split('/').slice(1).map(unescapeSegment);
      const node = nodeAt(doc.contents, segments);
      if (!isScalar(node) || node.range === undefined || node.range === null)
        throw new ManifestEditFailed(patch.path, 'not a scalar in the text');
      edits.push({ start: node.range[0], end: node.range[1], text: render(node, patch.value), document, segments, value: patch.value });
    }
  });
  return edits;
}

/** `manifest` with the namespace references remapNamespace would change in its objects changed, nothing else. */
export function remapManifestNamespaces(manifest: string, ctx: NamespaceRemapContext): string {
  const edits = editsOf(manifest, ctx).sort((a, b) => b.start - a.start);
  if (edits.length === 0) return manifest;
  let out = manifest;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  // Each edit replaced one scalar by another: read the result back to prove it holds exactly the new values.
  const docs = parseAllDocuments(out, yamlOptions);
  for (const e of edits) {
    const doc = Array.isArray(docs) ? docs[e.document] : undefined;
    const node: unknown = doc === undefined ? undefined : nodeAt(doc.contents, e.segments);
    if (!isScalar(node) || node.value !== e.value)
      throw new ManifestEditFailed(`/${e.segments.join('/')}`, 'the edited text does not read back');
  }
  return out;
}
