// How far a set of concurrent listings has come through the namespaces. An API server lists a type in the order of
// its storage keys, `<namespace>/<name>`: namespace by namespace. A namespace therefore has all its objects in
// once every listing of a namespaced type has moved past it or ended, long before the last listing ends. A
// listing seen to go back (nothing promises the order) holds the frontier where it started until it ends. Pure.

/** The key order namespaces are listed in: `a-b/` sorts before `a/`, as in the server's storage. */
export const namespaceKey = (namespace: string) => `${namespace}/`;

const ENDED = '\uffff';

export class ListingFrontier {
  /** Per listing: the key of the last namespace it handed over ('' before any; ENDED once done). */
  private readonly positions: string[];
  private readonly unordered: boolean[];

  constructor(listings: number) {
    this.positions = new Array(listings).fill('');
    this.unordered = new Array(listings).fill(false);
  }

  /** Listing `i` has handed over an object of `namespace`. */
  saw(i: number, namespace: string): void {
    if (this.unordered[i]) return;
    const key = namespaceKey(namespace);
    if (key < this.positions[i]) {
      this.unordered[i] = true;
      this.positions[i] = '';
    } else this.positions[i] = key;
  }

  ended(i: number): void {
    this.positions[i] = ENDED;
  }

  /** Listing `i` starts over (an expired continue token): nothing it listed counts. */
  restarted(i: number): void {
    this.positions[i] = '';
    this.unordered[i] = false;
  }

  /** Whether no listing can still hand over an object of `namespace`. */
  passed(namespace: string): boolean {
    const key = namespaceKey(namespace);
    for (const p of this.positions) if (p <= key) return false;
    return true;
  }
}
