// Writes config/schema/campaign.schema.json from the zod schema, so editors can check and complete campaign
// YAML (`# yaml-language-server: $schema=...`), and config/schema/inventory.schema.json, so other tools can read
// inventories. Run with `npm run schema`; unit tests keep the files in sync.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { campaignSchema } from './campaign.js';
import { inventorySchema } from './inventory.js';

export const CAMPAIGN_SCHEMA_PATH = fileURLToPath(new URL('./schema/campaign.schema.json', import.meta.url));
export const INVENTORY_SCHEMA_PATH = fileURLToPath(new URL('./schema/inventory.schema.json', import.meta.url));

/** The schema of what users write (io: 'input'), so fields with defaults are optional, as they are in YAML. */
export function campaignJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(campaignSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://ferry.dev/schemas/campaign.schema.json',
  };
}

export function campaignJsonSchemaText(): string {
  return `${JSON.stringify(campaignJsonSchema(), null, 2)}\n`;
}

/** The schema of what Ferry writes (io: 'output'): an inventory is produced, never written by hand. */
export function inventoryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(inventorySchema, { io: 'output', target: 'draft-2020-12' }),
    $id: 'https://ferry.dev/schemas/inventory.schema.json',
  };
}

export function inventoryJsonSchemaText(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(CAMPAIGN_SCHEMA_PATH, campaignJsonSchemaText());
  await writeFile(INVENTORY_SCHEMA_PATH, inventoryJsonSchemaText());
}
