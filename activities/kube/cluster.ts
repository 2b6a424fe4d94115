// The one Kubernetes port: discovery, paginated lists, reads, server-side apply and deletes,
// for any type, on one cluster named by its kubeconfig context.
import { ClusterUnreachable, KubeApiError } from './errors.js';
import { loadKubeconfig } from './kubeconfig.js';
import { decodeList, listContinue, listHead } from './list-body.js';
import type { KubeObject } from './object.js';
import { PageBuffers } from './page-buffers.js';
import { RestClient } from './rest.js';

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly pageSize?: number;
}

export interface ApplyOptions {
  readonly fieldManager?: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export interface ObjectKey {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

interface ApiResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

export interface DiscoveryFailure {
  readonly groupVersion: string;
  readonly message: string;
}

export interface Discovery {
  readonly types: ResourceType[];
  /** Group/versions whose types could not be discovered (their objects are then unknown). */
  readonly failures: DiscoveryFailure[];
}

/** How a discovery failure reads in an inventory's or a backup's warnings. */
export const discoveryWarning = (f: DiscoveryFailure) =>
  `${f.groupVersion}: discovery failed (${f.message}); objects of its types are missing`;

/** A page of a listing; its objects can be taken until the next page is asked for. */
export interface ListPage {
  readonly length: number;
  /** JSON bytes of object `i` as the API server served it. */
  size(i: number): number;
  /** Object `i` (apiVersion and kind set), decoded afresh on each call: take each once. */
  item(i: number): KubeObject;
}

export const defaultPageSize = 500;
const discoveryTtlMs = 10_000;

export class Cluster {
  private readonly rest: RestClient;
  /** Memory for the pages of this cluster's listings, reused across them (page-buffers.ts)... */
  private readonly pageBuffers = new PageBuffers();
  /** ...while any runs: the last one to end frees it. */
  private listings = 0;
  private readonly versionResources = new Map<string, Promise<ResourceType[]>>();

  private constructor(
    readonly context: string,
    rest: RestClient,
  ) {
    this.rest = rest;
  }

  /**
   * Opens the cluster of `context` in the kubeconfig at `kubeconfigPath` (a list like KUBECONFIG's), or by kubectl's
   * default rules. Throws UnknownContext, or a KubeconfigError naming what cannot be used.
   */
  static fromKubeconfig(context: string, kubeconfigPath?: string): Cluster {
    const connection = loadKubeconfig(kubeconfigPath).connection(context);
    return new Cluster(context, new RestClient(connection, kubeconfigPath));
  }

  /** The server's version; a clear ClusterUnreachable when it does not answer. */
  async version(): Promise<string> {
    try {
      const v = await this.rest.json<{ gitVersion: string }>('GET', '/version');
      return v.gitVersion;
    } catch (e) {
      if (e instanceof ClusterUnreachable) throw e;
      throw new ClusterUnreachable(this.context, { cause: e });
    }
  }

  private readonly discoveryCache = new Map<string, { at: number; value: Promise<unknown> }>();

  /**
   * Discovery documents change only when APIs are installed, yet every restore step asks for them:
   * they are kept for a few seconds, and dropped at once when this client applies or deletes a CRD.
   */
  private cachedJson<T>(path: string): Promise<T> {
    const hit = this.discoveryCache.get(path);
    if (hit && Date.now() - hit.at < discoveryTtlMs) return hit.value as Promise<T>;
    const value = this.rest.json<T>('GET', path);
    value.catch(() => this.discoveryCache.delete(path));
    this.discoveryCache.set(path, { at: Date.now(), value });
    return value;
  }

  private groups(): Promise<{
    groups: { name: string; preferredVersion: { groupVersion: string }; versions: { groupVersion: string }[] }[];
  }> {
    return this.cachedJson('/apis');
  }

  private forgetDiscovery(kind: string): void {
    if (kind === 'CustomResourceDefinition' || kind === 'APIService') {
      this.discoveryCache.clear();
      this.versionResources.clear();
    }
  }

  /**
   * Every served type at its preferred version, listable, without subresources; sorted. A group/version whose
   * discovery fails with an API error (an aggregated API whose backend is down answers 503) is a failure named in
   * the result, never a silent gap: the inventory and backups report it. An unreachable server still throws.
   */
  async discover(): Promise<Discovery> {
    const groupVersions = ['v1'];
    const apis = await this.groups();
    for (const g of apis.groups) groupVersions.push(g.preferredVersion.groupVersion);
    const failures: DiscoveryFailure[] = [];
    const lists = await Promise.all(
      groupVersions.map((gv) =>
        this.resourcesOf(gv).catch((e: unknown) => {
          if (!(e instanceof KubeApiError)) throw e;
          failures.push({ groupVersion: gv, message: `${e.status}${e.reason ? ` ${e.reason}` : ''}: ${e.apiMessage.trim()}` });
          return [] as ResourceType[];
        }),
      ),
    );
    const types = lists
      .flat()
      .filter((r) => r.verbs.includes('list') && r.verbs.includes('get'))
      .sort((a, b) => (a.apiVersion + a.kind < b.apiVersion + b.kind ? -1 : 1));
    return { types, failures: failures.sort((a, b) => (a.groupVersion < b.groupVersion ? -1 : 1)) };
  }

  /** Every group/version the server serves (not only the preferred ones), e.g. `apps/v1`, `v1`. */
  async servedGroupVersions(): Promise<string[]> {
    const core = await this.cachedJson<{ versions: string[] }>('/api');
    const apis = await this.groups();
    return [...core.versions, ...apis.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))].sort();
  }

  private resourcesOf(groupVersion: string): Promise<ResourceType[]> {
    let p = this.versionResources.get(groupVersion);
    if (!p) {
      const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
      p = this.rest.json<ApiResourceList>('GET', path).then((list) => {
        const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
        return list.resources
          .filter((r) => !r.name.includes('/'))
          .map((r) => ({
            group,
            version,
            apiVersion: groupVersion,
            kind: r.kind,
            plural: r.name,
            namespaced: r.namespaced,
            verbs: r.verbs,
          }));
      });
      p.catch(() => this.versionResources.delete(groupVersion));
      this.versionResources.set(groupVersion, p);
    }
    return p;
  }

  /** The type serving `apiVersion`/`kind`, or undefined when this cluster does not serve it. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceType | undefined> {
    try {
      return (await this.resourcesOf(apiVersion)).find((r) => r.kind === kind);
    } catch (e) {
      if (e instanceof KubeApiError && e.notFound) return undefined;
      throw e;
    }
  }

  private collectionPath(type: ResourceType, namespace?: string): string {
    const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
    return type.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}` : `${base}/${type.plural}`;
  }

  private async objectPath(key: ObjectKey): Promise<string> {
    const type = await this.resolve(key.apiVersion, key.kind);
    if (!type) throw new KubeApiError(this.context, 'GET', `${key.apiVersion}/${key.kind}`, 404, 'NotFound', 'type not served');
    return `${this.collectionPath(type, key.namespace)}/${encodeURIComponent(key.name)}`;
  }

  /** Every object of a type, page by page (limit + continue), each with apiVersion and kind set. */
  async *list(type: ResourceType, opts: ListOptions = {}): AsyncGenerator<KubeObject> {
    for await (const page of this.listPages(type, opts)) for (let i = 0; i < page.length; i++) yield page.item(i);
  }

  /**
   * The pages of a type's listing (limit + continue), each decoded one object at a time as the caller asks for them
   * (list-body.ts), until the caller asks for the next page: then the page's memory is reused for another.
   */
  async *listPages(type: ResourceType, opts: ListOptions = {}): AsyncGenerator<ListPage> {
    for await (const body of this.listBodies(type, opts)) {
      const page = decodeList<KubeObject>(body);
      yield {
        length: page.length,
        size: page.size,
        item: (i) => {
          // list items of built-in types come without apiVersion and kind
          const o = page.item(i);
          o.apiVersion = type.apiVersion;
          o.kind = type.kind;
          return o;
        },
      };
    }
  }

  /**
   * The bodies of a type's listing (limit + continue) as served, each valid until the caller asks for the next. The
   * next page is requested as soon as its continue token is in (the first bytes of a page's body): the server works
   * while the rest of the page arrives and while the caller handles it.
   */
  async *listBodies(type: ResourceType, opts: ListOptions = {}): AsyncGenerator<Buffer> {
    type Fetched = { body: Buffer; cont?: string; following?: Promise<Fetched>; release(): void };
    // every page requested and not yet handed over, to be let go of if the caller stops
    const requested = new Set<Promise<Fetched>>();
    // resolved once the latest page request is on its way (see below)
    let sent: Promise<void> = Promise.resolve();
    const fetchPage = (cont: string | undefined): Promise<Fetched> => {
      const fetched = fetchOne(cont);
      // a page requested early may fail before anyone awaits it: its failure is the caller's when it gets there
      fetched.catch(() => undefined);
      requested.add(fetched);
      return fetched;
    };
    const fetchOne = async (cont: string | undefined): Promise<Fetched> => {
      const q = new URLSearchParams({ limit: String(opts.pageSize ?? defaultPageSize) });
      if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
      if (cont) q.set('continue', cont);
      let onSent: () => void = () => undefined;
      sent = new Promise<void>((resolve) => {
        onSent = resolve;
      });
      let following: Promise<Fetched> | undefined;
      // whether the head told the continue token (or that there is none)
      let known = false;
      const head = (status: number, prefix: Buffer) => {
        if (status < 200 || status > 299) return true;
        const envelope = listHead(prefix);
        // a head that long is not an API server's list: the next page waits for this one
        if (!envelope) return prefix.length > 64 * 1024;
        known = true;
        if (envelope.continue) following = fetchPage(envelope.continue);
        return true;
      };
      const pooled = await this.rest.getPooled(`${this.collectionPath(type, opts.namespace)}?${q}`, this.pageBuffers, {
        sent: onSent,
        head,
      });
      if (known) return { body: pooled.body, following, release: pooled.release };
      try {
        return { body: pooled.body, cont: listContinue(pooled.body), release: pooled.release };
      } catch (e) {
        pooled.release();
        throw e;
      }
    };
    this.listings++;
    let next: Promise<Fetched> | undefined = fetchPage(undefined);
    try {
      while (next) {
        const page: Fetched = await next;
        requested.delete(next);
        next = page.following ?? (page.cont ? fetchPage(page.cont) : undefined);
        // A request is written to its socket only once the code running now has returned to the event loop: a
        // caller that handles the page first would hold the next page's request back by that long.
        if (next) await sent;
        try {
          yield page.body;
        } finally {
          // the caller asked for the next page (or stopped): this one's bytes go back to the pool
          page.release();
        }
      }
    } finally {
      // a caller that stops early (or a failed page) leaves requests in flight; their outcome no longer matters
      const pending = [...requested].map((p) =>
        p.then(
          (page) => page.release(),
          () => undefined,
        ),
      );
      void Promise.all(pending).then(() => {
        if (--this.listings === 0) this.pageBuffers.clear();
      });
    }
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    try {
      return await this.rest.json<KubeObject>('GET', await this.objectPath(key));
    } catch (e) {
      if (e instanceof KubeApiError && e.notFound) return undefined;
      throw e;
    }
  }

  /** Server-side apply: re-applying the same object changes nothing, which makes restores idempotent. */
  async apply(obj: KubeObject, opts: ApplyOptions = {}): Promise<KubeObject> {
    const q = new URLSearchParams({ fieldManager: opts.fieldManager ?? 'ferry', force: String(opts.force ?? true) });
    if (opts.dryRun) q.set('dryRun', 'All');
    const path = await this.objectPath({ ...obj, ...obj.metadata });
    const applied = await this.rest.json<KubeObject>('PATCH', `${path}?${q}`, obj, 'application/apply-patch+yaml');
    if (!opts.dryRun) this.forgetDiscovery(obj.kind);
    return applied;
  }

  /** A JSON merge patch, on the object or one of its subresources (`scale`, `status`). */
  async mergePatch(key: ObjectKey, patch: unknown, subresource?: string): Promise<KubeObject> {
    const path = `${await this.objectPath(key)}${subresource ? `/${subresource}` : ''}`;
    return this.rest.json<KubeObject>('PATCH', path, patch, 'application/merge-patch+json');
  }

  /** Deletes an object; false when it was already gone. */
  async delete(key: ObjectKey, opts: { propagation?: 'Foreground' | 'Background' | 'Orphan' } = {}): Promise<boolean> {
    try {
      await this.rest.json('DELETE', await this.objectPath(key), {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: opts.propagation ?? 'Background',
      });
      this.forgetDiscovery(key.kind);
      return true;
    } catch (e) {
      if (e instanceof KubeApiError && e.notFound) return false;
      throw e;
    }
  }

  /** Connections opened to the API server so far (requests share them). */
  get connectionsOpened(): number {
    return this.rest.connectionsOpened;
  }

  close(): void {
    this.rest.close();
    this.pageBuffers.clear();
  }
}
