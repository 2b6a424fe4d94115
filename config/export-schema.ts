// Writes config/schema/campaign.schema.json from the zod schema, so editors can check and complete campaign
// YAML (`# yaml-language-server: $schema=...`). Run with `npm run schema`; a unit test keeps the file in sync.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { campaignSchema } from './campaign.js';

export const CAMPAIGN_SCHEMA_PATH = fileURLToPath(new URL('./schema/campaign.schema.json', import.meta.url));

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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(CAMPAIGN_SCHEMA_PATH, campaignJsonSchemaText());
}
