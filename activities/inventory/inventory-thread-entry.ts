// What runs in the inventory's thread (inventory-thread.ts): a builder per inventory, fed by the listing's messages.
import { parentPort } from 'node:worker_threads';
import { InventoryBuilder } from './inventory-builder.js';
import type { FromBuilder, ToBuilder } from './inventory-thread.js';

const port = parentPort;
if (!port) throw new Error('inventory-thread-entry.ts runs in the inventory thread only');

const builders = new Map<number, InventoryBuilder>();
const answer = (m: FromBuilder, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

/** A page's memory goes back to the listing's thread, which copies its next pages into it. */
function giveBack(m: Extract<ToBuilder, { op: 'page' }>, listed: number): void {
  answer({ op: 'page-done', id: m.id, memory: m.memory, length: m.length, listed }, [m.memory]);
}

function handle(m: ToBuilder): void {
  if (m.op === 'start') {
    builders.set(m.id, new InventoryBuilder(m.types, m.options));
    return;
  }
  const builder = builders.get(m.id);
  // an inventory that failed here already: what its listing still sends is of no use
  if (!builder) {
    if (m.op === 'page') giveBack(m, 0);
    return;
  }
  switch (m.op) {
    case 'page': {
      try {
        builder.page(m.i, Buffer.from(m.memory, 0, m.length));
      } finally {
        giveBack(m, builder.listed);
      }
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
