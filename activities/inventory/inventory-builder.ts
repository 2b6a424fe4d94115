// An inventory built from list pages as they come, whatever order the listings interleave in: each page's objects
// decoded one at a time (only what the facts read), reduced to facts, kept by namespace, and each namespace modelled
// as soon as every listing has moved past it; then the rest of the model and the document. No I/O: collect.ts
// lists and feeds it, in this thread or in the inventory's own (inventory-thread.ts).
import type { InventoryDocument } from '../../config/inventory.js';
import type { ResourceType } from '../kube/cluster.js';
import { decodeList, type LeanItem, readLean } from '../kube/list-body.js';
import type { KubeObject } from '../kube/object.js';
import { clusterKinds } from './dependencies.js';
import { inventoryDocumentWithJson } from './document.js';
import { type AnnotationsRead, annotationsRead, extractFact, factMembers, type ObjectFact, type Served } from './facts.js';
import { Interner } from './interner.js';
import { ListingFrontier, namespaceKey } from './listing-frontier.js';
import { isClusterGeneratedFact } from './membership.js';
import { type ClusterContext, clusterContext, finishApps, modelNamespace, type NamespaceModel } from './model.js';
import { type CompiledOptions, compileOptions, type InventoryOptions } from './options.js';
import { isTillerRecord, latestTillerReleases, readTillerRecord, type TillerRelease } from './tiller.js';

/** What a listing tells an inventory, type by type (listing `i` lists `types[i]`). */
export interface ListingSink {
  /** A page of listing `i`, as served; its bytes are the sink's only until the call returns. */
  page(i: number, body: Buffer): void | Promise<void>;
  /** Listing `i` ended: every object of its type is in. */
  ended(i: number): void;
  /** Listing `i` starts over (an expired continue token): nothing it gave counts. */
  restarted(i: number): void;
  /** Listing `i` failed: its objects are missing, which `warning` says. */
  failed(i: number, warning: string): void;
}

/** What only the one who listed knows, for the document. */
export interface DocumentHead {
  readonly context: string;
  readonly version: string;
  readonly takenAt: Date;
  /** Warnings from before the listing (discovery). */
  readonly warnings: readonly string[];
}

export const isNamespaceType = (t: Pick<ResourceType, 'group' | 'kind'>) => t.group === '' && t.kind === 'Namespace';
// cluster-scoped kinds the model reads; objects of other cluster-scoped types are only counted
const keptClusterKinds = new Set([...Object.entries(clusterKinds).map(([kind, group]) => `${group}/${kind}`), '/PersistentVolume']);
/** The Namespaces and the cluster-scoped types the model reads: it starts once they are in. */
export const isEarlyType = (t: ResourceType) => isNamespaceType(t) || (!t.namespaced && keptClusterKinds.has(`${t.group}/${t.kind}`));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Per listing: how its objects become facts. Flags read by the builder's methods, not closures per listing: the
 * builder's hot code stays what it was compiled to from one inventory to the next.
 */
interface Listing {
  readonly type: ResourceType;
  /** The members the facts read of its objects (facts.ts factMembers). */
  readonly members: ReturnType<typeof factMembers>;
  readonly isNamespace: boolean;
  readonly isService: boolean;
  /** ConfigMaps: the Helm 2 release records among them are read whole (pageWithTiller). */
  readonly isConfigMap: boolean;
  /** Cluster-scoped objects the model reads (others are only counted). */
  readonly keepClusterScoped: boolean;
  /** Objects it gave in its current attempt, and the namespace of the last one. */
  objects: number;
  lastNamespace?: string;
}

export class InventoryBuilder {
  private readonly selection: CompiledOptions;
  private readonly factOptions: { teamKeys: readonly string[]; interner: Interner };
  private readonly listings: Listing[];
  private readonly warnings: string[] = [];
  private readonly listedKinds = new Set<string>();
  private readonly counts = new Map<number, number>();
  private readonly services = new Set<string>();
  private readonly tiller: TillerRelease[] = [];
  private objectsListed = 0;

  // Facts as they come, by type: a namespace's facts are put together type by type whenever they are modelled, so
  // the model sees them in one order however the listings interleave. The types in the order of their kind and
  // apiVersion, each type's objects in the order listed (by name): the order the model sorts an app's objects in,
  // which then finds them sorted.
  private readonly namespaceTypeIndex: number;
  private namespaceObjects: ObjectFact[] | undefined;
  private readonly clusterFacts: ObjectFact[][];
  private readonly byNamespace = new Map<string, ObjectFact[][]>();
  private readonly slot: number[];

  // Namespaces are modelled while the rest is still listed: in key order, each once every listing has passed it.
  // One whose objects come after it was modelled (a listing out of order, or listed again) is modelled again at the end.
  private readonly frontier: ListingFrontier;
  private earlyLeft: number;
  private context: { value: ClusterContext } | undefined;
  /** Selected namespace names in key order, and how many of them have been modelled in that order. */
  private pending: string[] = [];
  private next = 0;
  private readonly models = new Map<string, NamespaceModel>();
  private readonly stale = new Set<string>();
  /** Namespace models made so far, those made again included. */
  modelled = 0;

  // the Tiller namespace as JSON text: a page of ConfigMaps without it holds no Helm 2 release record
  private readonly tillerNamespaceText: Buffer;

  /** Throws InvalidInventoryOption for options that do not compile. */
  constructor(
    private readonly types: readonly ResourceType[],
    options: InventoryOptions,
  ) {
    this.selection = compileOptions(options);
    this.tillerNamespaceText = Buffer.from(JSON.stringify(options.tillerNamespace));
    this.factOptions = { teamKeys: options.teamKeys, interner: new Interner() };
    this.namespaceTypeIndex = types.findIndex(isNamespaceType);
    this.clusterFacts = types.map(() => []);
    this.slot = new Array<number>(types.length);
    types
      .map((t, i) => ({ key: [t.kind, t.apiVersion], i }))
      .sort((a, b) => compare(a.key[0], b.key[0]) || compare(a.key[1], b.key[1]))
      .forEach(({ i }, k) => {
        this.slot[i] = k;
      });
    this.frontier = new ListingFrontier(types.length);
    types.forEach((t, i) => {
      if (!t.namespaced) this.frontier.ended(i);
    });
    this.earlyLeft = types.filter(isEarlyType).length;
    this.listings = types.map((t) => this.listingOf(t));
  }

  /** Objects listed so far, those of attempts started over included. */
  get listed(): number {
    return this.objectsListed;
  }

  private listingOf(t: ResourceType): Listing {
    return {
      type: t,
      members: factMembers(t.group, t.kind),
      isNamespace: isNamespaceType(t),
      isService: t.group === '' && t.kind === 'Service',
      isConfigMap: t.group === '' && t.kind === 'ConfigMap',
      keepClusterScoped: keptClusterKinds.has(`${t.group}/${t.kind}`),
      objects: 0,
    };
  }

  /** The fact of an object of `listing`, or undefined for one the inventory does not keep. */
  private factOf(listing: Listing, o: KubeObject, served: Served): ObjectFact | undefined {
    const { selection, factOptions } = this;
    if (listing.isNamespace) return selection.namespaceNameSelected(o.metadata.name) ? extractFact(o, factOptions, served) : undefined;
    const ns = o.metadata.namespace;
    if (!listing.type.namespaced) return listing.keepClusterScoped ? extractFact(o, factOptions, served) : undefined;
    if (ns === undefined) return undefined;
    if (listing.isService) this.services.add(`${ns}/${o.metadata.name}`);
    if (
      !selection.namespaceNameSelected(ns) ||
      (listing.isConfigMap && isClusterGeneratedFact({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }))
    ) {
      return undefined;
    }
    return extractFact(o, factOptions, served);
  }

  /**
   * Each object of the page decoded (without what the facts do not read: managedFields, whose managers' names are
   * all they want of them, and most members), reduced to its facts and dropped before the next is decoded.
   */
  page(i: number, body: Buffer): void {
    const listing = this.listings[i];
    if (listing.isConfigMap && body.includes(this.tillerNamespaceText)) this.pageWithTiller(i, listing, body);
    else {
      const read = readLean<KubeObject>(body, listing.members, (lean, start, end) => this.take(i, listing, lean, end - start));
      // not a list object: read whole, as the listing would
      if (!read) this.pageParsedWhole(i, listing, body);
    }
    if (listing.type.namespaced) this.modelReady();
  }

  /**
   * A page of ConfigMaps that may hold Helm 2 release records (it names the Tiller namespace): each object taken as
   * any other, and the records also read whole, for their payload. Apart from page and take, which never see a
   * record: a path first taken late in a listing (the Tiller namespace comes after most) would throw away the
   * optimized code of the hot one, to be compiled again for the next inventory.
   */
  private pageWithTiller(i: number, listing: Listing, body: Buffer): void {
    const tillerNamespace = this.selection.options.tillerNamespace;
    const record = (o: KubeObject, whole: () => KubeObject) => {
      if (o.metadata.namespace !== tillerNamespace || !isTillerRecord(o.metadata)) return;
      const { metadata, data } = whole();
      const release = readTillerRecord({ namespace: tillerNamespace, name: metadata.name, labels: metadata.labels, data: data as never });
      if (release) this.tiller.push(release);
    };
    const read = readLean<KubeObject>(body, listing.members, (lean, start, end) => {
      this.take(i, listing, lean, end - start);
      record(lean.object, () => JSON.parse(body.toString('utf8', start, end)) as KubeObject);
    });
    if (read) return;
    const page = decodeList<KubeObject>(body);
    for (let k = 0; k < page.length; k++) {
      const lean = page.lean(k, listing.members);
      this.take(i, listing, lean, page.size(k));
      record(lean.object, () => page.item(k));
    }
  }

  /** A page of another shape than a list's (see decodeList). */
  private pageParsedWhole(i: number, listing: Listing, body: Buffer): void {
    const page = decodeList<KubeObject>(body);
    for (let k = 0; k < page.length; k++) this.take(i, listing, page.lean(k, listing.members), page.size(k));
  }

  /**
   * One object of listing `i`, decoded without what the facts do not read, as a fact. Its labels and annotations
   * came apart: they are decoded only when they differ from the last few objects' (an app's objects share theirs).
   */
  private take(i: number, listing: Listing, lean: LeanItem<KubeObject>, bytes: number): void {
    const t = listing.type;
    listing.objects++;
    this.objectsListed++;
    const { object, managers, members } = lean;
    object.apiVersion = t.apiVersion;
    object.kind = t.kind;
    let labelsJson: string | undefined;
    if (lean.labels) {
      const labels = this.factOptions.interner.labels.get(lean.labels);
      object.metadata.labels = labels.record as Record<string, string>;
      labelsJson = labels.json;
    }
    let annotations: AnnotationsRead | undefined;
    if (lean.annotations) {
      const shared = this.factOptions.interner.annotations.get(lean.annotations);
      object.metadata.annotations = shared.record as Record<string, string>;
      shared.read ??= annotationsRead(object.metadata.annotations, this.factOptions);
      annotations = shared.read as AnnotationsRead;
    }
    const f = this.factOf(listing, object, { bytes, managers, members, labelsJson, annotations });
    const ns = object.metadata.namespace;
    if (t.namespaced && ns !== undefined && ns !== listing.lastNamespace) {
      this.frontier.saw(i, ns);
      listing.lastNamespace = ns;
    }
    if (!f) return;
    if (i === this.namespaceTypeIndex) {
      this.namespaceObjects ??= [];
      this.namespaceObjects.push(f);
    } else if (!t.namespaced) this.clusterFacts[i].push(f);
    else if (ns !== undefined) {
      let perType = this.byNamespace.get(ns);
      if (!perType) {
        perType = [];
        this.byNamespace.set(ns, perType);
      }
      perType[this.slot[i]] ??= [];
      perType[this.slot[i]].push(f);
      if (this.models.has(ns)) this.stale.add(ns);
    }
  }

  ended(i: number): void {
    const t = this.types[i];
    this.counts.set(i, this.listings[i].objects);
    this.listedKinds.add(`${t.group}/${t.kind}`);
    this.frontier.ended(i);
    this.earlyDone(t);
    this.modelReady();
  }

  restarted(i: number): void {
    this.forget(i);
    this.frontier.restarted(i);
    this.listings[i].objects = 0;
    this.listings[i].lastNamespace = undefined;
  }

  failed(i: number, warning: string): void {
    this.forget(i);
    this.warnings.push(warning);
    this.counts.set(i, this.listings[i].objects);
    this.frontier.ended(i);
    this.earlyDone(this.types[i]);
    this.modelReady();
  }

  /** The document, once every listing has ended or failed. */
  finish(head: DocumentHead): InventoryDocument {
    return this.finishWithJson(head).document;
  }

  /** finish, and the document's JSON text (written once with its digest). */
  finishWithJson(head: DocumentHead): { document: InventoryDocument; json: string } {
    const warnings = this.warnings;
    if (!this.context) {
      if (this.namespaceTypeIndex < 0) warnings.push('namespaces: the cluster serves no Namespace type');
      if (this.selection.options.namespaceSelector) {
        warnings.push(
          `namespaceSelector "${this.selection.options.namespaceSelector}": Namespaces could not be listed, so namespaces are selected by name only`,
        );
      }
      // namespaces that could not be listed are known by the objects in them
      this.startModel(
        [...this.byNamespace.keys()]
          .filter((ns) => this.factsOf(ns).length > 0)
          .sort()
          .map((name) => ({ apiVersion: 'v1', kind: 'Namespace', group: '', name, bytes: 0, managers: [] })),
      );
    }
    const context = (this.context as { value: ClusterContext }).value;
    for (const ns of this.pending) if (!this.models.has(ns) || this.stale.has(ns)) this.model(ns, context);

    const types = this.types
      .map((t, i) => ({ t, i }))
      .sort((a, b) => (a.t.apiVersion + a.t.kind < b.t.apiVersion + b.t.kind ? -1 : 1))
      .map(({ t, i }) => ({
        apiVersion: t.apiVersion,
        kind: t.kind,
        plural: t.plural,
        namespaced: t.namespaced,
        objects: this.counts.get(i) ?? 0,
      }));
    const models = [...this.models.keys()].sort(compare).map((ns) => this.models.get(ns) as NamespaceModel);
    const model = finishApps(models, context, {
      services: this.services,
      tiller: latestTillerReleases(this.tiller),
      listed: this.listedKinds,
    });
    return inventoryDocumentWithJson({
      context: head.context,
      version: head.version,
      takenAt: head.takenAt,
      options: this.selection.options,
      types,
      apps: model.apps,
      warnings: [...head.warnings, ...warnings.sort(), ...model.warnings],
    });
  }

  private factsOf(ns: string): ObjectFact[] {
    return (this.byNamespace.get(ns) ?? []).flat();
  }

  private model(ns: string, context: ClusterContext): void {
    this.modelled++;
    this.models.set(ns, modelNamespace(ns, this.factsOf(ns), context));
  }

  private modelReady(): void {
    if (!this.context) return;
    while (this.next < this.pending.length && this.frontier.passed(this.pending[this.next])) {
      this.model(this.pending[this.next++], this.context.value);
    }
  }

  private startModel(namespaces: ObjectFact[]): void {
    this.context = { value: clusterContext(namespaces, this.clusterFacts.flat(), this.selection) };
    this.pending = namespaces.map((n) => n.name).sort((a, b) => compare(namespaceKey(a), namespaceKey(b)));
    this.modelReady();
  }

  private earlyDone(t: ResourceType): void {
    if (!isEarlyType(t) || --this.earlyLeft > 0 || !this.namespaceObjects) return;
    this.startModel(this.namespaceObjects.filter((n) => this.selection.namespaceLabelsMatch(n.labels)));
  }

  private forget(i: number): void {
    this.clusterFacts[i] = [];
    if (i === this.namespaceTypeIndex) this.namespaceObjects = undefined;
    for (const [ns, perType] of this.byNamespace) {
      if (perType[this.slot[i]] === undefined) continue;
      perType[this.slot[i]] = [];
      if (this.models.has(ns)) this.stale.add(ns);
    }
  }
}
