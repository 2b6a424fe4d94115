// What runs in the inventory's thread (inventory-thread.ts): a builder per inventory, fed by the listing's messages.
import { parentPort } from 'node:worker_threads';
import { freeBuffer } from '../memory.js';
import { InventoryBuilder } from './inventory-builder.js';
import type { FromBuilder, ToBuilder } from './inventory-thread.js';

const port = parentPort;
if (!port) throw new Error('inventory-thread-entry.ts runs in the inventory thread only');

const builders = new Map<number, InventoryBuilder>();
const answer = (m: FromBuilder) => port.postMessage(m);

function handle(m: ToBuilder): void {
  if (m.op === 'start') {
    builders.set(m.id, new InventoryBuilder(m.types, m.options));
    return;
  }
  const builder = builders.get(m.id);
  // an inventory that failed here already: what its listing still sends is of no use
  if (!builder) return;
  switch (m.op) {
    case 'page': {
      const body = Buffer.from(m.bytes);
      const bytes = body.length;
      builder.page(m.i, body);
      // its memory goes back now, not at the next full collection
      freeBuffer(body);
      answer({ op: 'page-done', id: m.id, bytes, listed: builder.listed });
      return;
    }
    case 'ended':
      builder.ended(m.i);
      return;
    case 'restarted':
      builder.restarted(m.i);
      return;
    case 'failed':
      builder.failed(m.i, m.warning);
      return;
    case 'finish': {
      builders.delete(m.id);
      const { json } = builder.finishWithJson({ ...m.head, takenAt: new Date(m.head.takenAt) });
      answer({ op: 'document', id: m.id, json });
      return;
    }
    case 'drop':
      builders.delete(m.id);
  }
}

port.on('message', (m: ToBuilder) => {
  try {
    handle(m);
  } catch (e) {
    builders.delete(m.id);
    const error = e instanceof Error ? e : new Error(String(e));
    answer({ op: 'failed', id: m.id, name: error.name, message: error.message, stack: error.stack });
  }
});
