// The committed JSON Schema must be what the zod schema generates, so editors never check against a stale one.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_SCHEMA_PATH, campaignJsonSchema, campaignJsonSchemaText } from '../../../config/export-schema.js';

describe('campaign JSON Schema', () => {
  it('is up to date (regenerate with `npm run schema`)', async () => {
    expect(await readFile(CAMPAIGN_SCHEMA_PATH, 'utf8')).toBe(campaignJsonSchemaText());
  });

  it('is strict and describes what users write', () => {
    const schema = campaignJsonSchema();
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });
});
