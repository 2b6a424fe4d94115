// The inventory builder (inventory-builder.ts) in a thread of its own. Decoding tens of thousands of objects and
// modelling them is most of an inventory's CPU; on the listing's thread it delays every next page request, and in
// a worker it blocks heartbeats and every other activity for as long. Here the listing's thread only moves bytes:
// each page is copied to the builder's thread as it arrives, and the document comes back as JSON.
// One thread per process, started on first use and kept (unreferenced, so it never keeps a process alive) for the
// next inventory, which then finds its code already compiled; several inventories at once share it.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InventoryDocument } from '../../config/inventory.js';
import type { ResourceType } from '../kube/cluster.js';
import { PageBuffers } from '../kube/page-buffers.js';
import { freeBuffer } from '../memory.js';
import type { DocumentHead, ListingSink } from './inventory-builder.js';
import type { InventoryOptions } from './options.js';

/** What the listing's thread tells the builder's, per inventory (`id`). */
export type ToBuilder =
  | { readonly op: 'start'; readonly id: number; readonly types: readonly ResourceType[]; readonly options: InventoryOptions }
  /** The page is the first `length` bytes of `memory`, which comes back with page-done. */
  | { readonly op: 'page'; readonly id: number; readonly i: number; readonly memory: ArrayBuffer; readonly length: number }
  | { readonly op: 'ended' | 'restarted'; readonly id: number; readonly i: number }
  | { readonly op: 'failed'; readonly id: number; readonly i: number; readonly warning: string }
  | { readonly op: 'finish'; readonly id: number; readonly head: Omit<DocumentHead, 'takenAt'> & { readonly takenAt: string } }
  | { readonly op: 'drop'; readonly id: number };

/** What the builder's thread answers. */
export type FromBuilder =
  | { readonly op: 'page-done'; readonly id: number; readonly memory: ArrayBuffer; readonly length: number; readonly listed: number }
  | { readonly op: 'document'; readonly id: number; readonly json: string }
  | { readonly op: 'failed'; readonly id: number; readonly name: string; readonly message: string; readonly stack?: string };

/** A ListingSink whose builder runs in the inventory's thread. */
export interface ThreadedBuilder extends ListingSink {
  /** The document, once every listing has ended or failed. */
  finish(head: DocumentHead): Promise<InventoryDocument>;
  /** Lets go of the builder (after a failed listing). */
  drop(): void;
}

// Page bytes sent and not yet handled: the listing waits beyond this, so a slow builder cannot pile pages up.
const maxBytesInFlight = 8 * 1024 * 1024;

interface Session {
  bytesInFlight: number;
  /** Listings waiting for the builder to catch up before their next page. */
  readonly waiting: (() => void)[];
  listed: number;
  onProgress?: (listed: number) => void;
  document?: { resolve: (json: string) => void; reject: (e: Error) => void };
  failure?: Error;
}

class BuilderThread {
  private worker: Worker | undefined;
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;
  // Memory pages are copied into for the thread, handed back when it is done with them: new memory for every page
  // cost the listing's thread a page fault per 4 KiB it copied (tens of milliseconds an inventory), and the
  // builder's thread as much to unmap it. Kept for as many bytes as may be in flight, freed when no inventory runs.
  private readonly transfers = new PageBuffers(maxBytesInFlight + 4 * 1024 * 1024);

  open(types: readonly ResourceType[], options: InventoryOptions, onProgress?: (listed: number) => void): ThreadedBuilder {
    const worker = this.running();
    const id = this.nextId++;
    const session: Session = { bytesInFlight: 0, listed: 0, onProgress, waiting: [] };
    this.sessions.set(id, session);
    worker.ref();
    const send = (m: ToBuilder, transfer?: ArrayBuffer[]) => {
      if (session.failure) throw session.failure;
      worker.postMessage(m, transfer);
    };
    send({ op: 'start', id, types, options });
    const close = () => {
      this.sessions.delete(id);
      this.idle();
    };
    return {
      page: (i, body) => {
        // a copy handed over without another: the page's buffer goes back to the listing's pool at once
        const copy = this.transfers.take(body.length);
        body.copy(copy);
        const memory = copy.buffer as ArrayBuffer;
        session.bytesInFlight += body.length;
        send({ op: 'page', id, i, memory, length: body.length }, [memory]);
        if (session.bytesInFlight <= maxBytesInFlight) return;
        return new Promise<void>((resolve) => {
          session.waiting.push(resolve);
        });
      },
      ended: (i) => send({ op: 'ended', id, i }),
      restarted: (i) => send({ op: 'restarted', id, i }),
      failed: (i, warning) => send({ op: 'failed', id, i, warning }),
      finish: async (head) => {
        const json = new Promise<string>((resolve, reject) => {
          session.document = { resolve, reject };
        });
        try {
          send({ op: 'finish', id, head: { ...head, takenAt: head.takenAt.toISOString() } });
          const doc = JSON.parse(await json) as InventoryDocument;
          onProgress?.(session.listed);
          return doc;
        } finally {
          close();
        }
      },
      drop: () => {
        if (!this.sessions.has(id)) return;
        if (!session.failure) worker.postMessage({ op: 'drop', id } satisfies ToBuilder);
        close();
      },
    };
  }

  start(): void {
    this.running();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    // the builder's modules are TypeScript, loaded by the same loader as the rest of Ferry (wherever Ferry is started from)
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const worker = new Worker(new URL('./inventory-thread-entry.ts', import.meta.url), { execArgv: ['--import', tsx] });
    worker.unref();
    worker.on('message', (m: FromBuilder) => this.answer(m));
    const fail = (e: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, s] of this.sessions) this.fail(id, s, e);
    };
    worker.on('error', (e) => fail(new Error(`the inventory's thread failed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => fail(new Error(`the inventory's thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Buffers made for pages so far, and the bytes kept for the next ones. */
  get pageMemory(): { allocated: number; kept: number } {
    return { allocated: this.transfers.allocated, kept: this.transfers.kept };
  }

  private answer(m: FromBuilder): void {
    if (m.op === 'page-done') {
      // memory that comes back after its inventory ended (pages of one that failed) is not kept
      const memory = Buffer.from(m.memory);
      if (this.sessions.has(m.id)) this.transfers.give(memory);
      else freeBuffer(memory);
    }
    const session = this.sessions.get(m.id);
    if (!session) return;
    switch (m.op) {
      case 'page-done': {
        session.bytesInFlight -= m.length;
        const before = session.listed;
        session.listed = m.listed;
        if (Math.floor(m.listed / 1000) > Math.floor(before / 1000)) session.onProgress?.(m.listed);
        if (session.bytesInFlight <= maxBytesInFlight / 2) for (const go of session.waiting.splice(0)) go();
        return;
      }
      case 'document':
        session.document?.resolve(m.json);
        return;
      case 'failed': {
        const e = new Error(m.message);
        e.name = m.name;
        if (m.stack) e.stack = m.stack;
        this.fail(m.id, session, e);
      }
    }
  }

  /** The session can take no more: its listing stops at its next page, its document is refused. */
  private fail(id: number, session: Session, e: Error): void {
    session.failure ??= e;
    session.document?.reject(session.failure);
    for (const go of session.waiting.splice(0)) go();
    this.sessions.delete(id);
    this.idle();
  }

  /** With no inventory running, the thread no longer keeps the process alive, nor its memory for pages. */
  private idle(): void {
    if (this.sessions.size > 0) return;
    this.worker?.unref();
    this.transfers.clear();
  }
}

let thread: BuilderThread | undefined;

/**
 * Starts the inventory's thread if it is not running, so that it loads its code while the caller does something
 * else (an inventory asks for version and discovery first).
 */
export function startInventoryThread(): void {
  thread ??= new BuilderThread();
  thread.start();
}

/** A builder for one inventory, in the inventory's thread (started on first use). */
export function threadedBuilder(
  types: readonly ResourceType[],
  options: InventoryOptions,
  onProgress?: (listed: number) => void,
): ThreadedBuilder {
  thread ??= new BuilderThread();
  return thread.open(types, options, onProgress);
}

/** The inventory's thread's memory for pages (see BuilderThread.transfers): buffers made so far, bytes kept. */
export function inventoryThreadPageMemory(): { allocated: number; kept: number } {
  return thread?.pageMemory ?? { allocated: 0, kept: 0 };
}
