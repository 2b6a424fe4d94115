// The Inventory document around the app model: selection, listed types, summary and a content digest that equal
// content always gets, whenever it was taken. Also the small per-app record a workflow carries. Pure.
// Every object is built with its keys in the order of its schema (config/inventory.ts): see contentDigest.
import { hash } from 'node:crypto';
import { INVENTORY_API_VERSION, type InventoryApp, type InventoryDocument } from '../../config/inventory.js';
import type { AppSummary } from '../../workflows/types.js';
import type { InventoryOptions } from './options.js';

/**
 * sha256 of the document's JSON without `takenAt` and `digest`, keys in schema order: the order inventoryDocument
 * builds them in, and the order parseInventory gives a document read back, so equal content has one digest.
 */
export function contentDigest(doc: Omit<InventoryDocument, 'digest'> | InventoryDocument): string {
  return digestOfContent(contentJson(doc));
}

const contentJson = (doc: Omit<InventoryDocument, 'digest'> | InventoryDocument) =>
  JSON.stringify({ ...doc, takenAt: undefined, digest: undefined });
const digestOfContent = (json: string) => `sha256:${hash('sha256', json, 'hex')}`;

export interface DocumentParts {
  readonly context: string;
  readonly version: string;
  readonly takenAt: Date;
  readonly options: InventoryOptions;
  readonly types: InventoryDocument['types'];
  readonly apps: readonly InventoryApp[];
  readonly warnings: readonly string[];
}

export function inventoryDocument(parts: DocumentParts): InventoryDocument {
  return inventoryDocumentWithJson(parts).document;
}

/**
 * The document and its JSON text, written once: the text its digest is taken of, with takenAt and the digest put in
 * (for a caller that sends the document on as text).
 */
export function inventoryDocumentWithJson(parts: DocumentParts): { document: InventoryDocument; json: string } {
  const o = parts.options;
  const byMechanism: Record<string, number> = {};
  for (const a of [...parts.apps].sort((x, y) => (x.mechanism < y.mechanism ? -1 : 1)))
    byMechanism[a.mechanism] = (byMechanism[a.mechanism] ?? 0) + 1;
  const body: Omit<InventoryDocument, 'digest'> = {
    apiVersion: INVENTORY_API_VERSION,
    kind: 'Inventory',
    cluster: { context: parts.context, version: parts.version },
    takenAt: parts.takenAt.toISOString(),
    selection: {
      includeNamespaces: [...o.includeNamespaces],
      excludeNamespaces: [...o.excludeNamespaces],
      systemNamespaces: o.includeSystemNamespaces ? [] : [...o.systemNamespaces],
      namespaceSelector: o.namespaceSelector,
      appSelector: o.appSelector,
      includeTypes: [...o.includeTypes],
      excludeTypes: [...o.excludeTypes],
      teamKeys: [...o.teamKeys],
      tillerNamespace: o.tillerNamespace,
    },
    summary: {
      namespaces: new Set(parts.apps.map((a) => a.namespace)).size,
      apps: parts.apps.length,
      objects: parts.apps.reduce((n, a) => n + a.counts.objects, 0),
      bytes: parts.apps.reduce((n, a) => n + a.bytes, 0),
      capacityBytes: parts.apps.reduce((n, a) => n + a.capacityBytes, 0),
      teams: new Set(parts.apps.map((a) => a.team)).size,
      byMechanism,
    },
    types: [...parts.types],
    apps: [...parts.apps].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    warnings: [...parts.warnings].sort(),
  };
  // digest right after takenAt, so a reader sees it near the top
  const { apiVersion, kind, cluster, takenAt, ...rest } = body;
  const content = contentJson(body);
  const digest = digestOfContent(content);
  const document = { apiVersion, kind, cluster, takenAt, digest, ...rest };
  // the content's text is the document's but for takenAt and the digest, which follow cluster
  const head = JSON.stringify({ apiVersion, kind, cluster });
  const open = head.slice(0, -1);
  if (!content.startsWith(open)) return { document, json: JSON.stringify(document) };
  return { document, json: `${open},${JSON.stringify({ takenAt, digest }).slice(1, -1)}${content.slice(open.length)}` };
}

/** What a campaign carries of an app through workflow history: names, counts, claims; nothing else. */
export function appSummary(app: InventoryApp): AppSummary {
  return {
    id: app.id,
    namespace: app.namespace,
    name: app.name,
    team: app.team,
    mechanism: app.mechanism,
    stateful: app.stateful,
    volumes: app.volumes.map((v) => ({ claim: v.claim, storageClass: v.storageClass, size: v.requested })),
    objectCount: app.counts.objects,
  };
}
