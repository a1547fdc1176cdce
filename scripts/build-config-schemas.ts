/**
 * Writes the JSON Schema files of the two config files from their zod schemas, so that editors complete and
 * check them (`"$schema": "./schema/tracking.schema.json"` at the top of a config file):
 *
 *   node --import tsx scripts/build-config-schemas.ts
 *
 * test/unit/config-json-schemas.test.ts fails when a committed file is out of step with the zod schema. Checks
 * that JSON Schema cannot express (unique ids, ladder order, real time zones) are the bot's own, at start-up.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { sourcesConfigSchema } from '../src/sources/sources-config.js';
import { trackingConfigSchema } from '../src/tracking/schema.js';

/** The schema files, by path from the repository root. */
export const configJsonSchemas = {
  'config/schema/tracking.schema.json': {
    schema: trackingConfigSchema,
    title: 'layover-bot tracking config (TRACKING_CONFIG)',
  },
  'config/schema/sources.schema.json': {
    schema: sourcesConfigSchema,
    title: 'layover-bot sources config (SOURCES_CONFIG)',
  },
} as const;

/** The text of one schema file: the input shape (defaults may be left out), pretty-printed. */
export function jsonSchemaText(schema: z.ZodType, title: string): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, { schema, title }] of Object.entries(configJsonSchemas)) {
    writeFileSync(path, jsonSchemaText(schema, title));
    process.stdout.write(`wrote ${path}\n`);
  }
}
