import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchemas, jsonSchemaText } from '../../scripts/build-config-schemas.js';
import { loadSourcesConfig } from '../../src/sources/sources-config.js';
import { loadTrackings } from '../../src/tracking/load-tracking.js';

describe('JSON Schema files of the config files', () => {
  for (const [path, { schema, title }] of Object.entries(configJsonSchemas)) {
    it(`${path} matches its zod schema (regenerate: node --import tsx scripts/build-config-schemas.ts)`, () => {
      const committed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      expect(committed).toEqual(JSON.parse(jsonSchemaText(schema, title)));
    });
  }

  it('the bundled config files name their schema with $schema, and the loaders accept it', () => {
    const tracking = JSON.parse(readFileSync('config/layover.json', 'utf8')) as { $schema?: string };
    expect(tracking.$schema).toBe('./schema/tracking.schema.json');
    const sources = JSON.parse(readFileSync('config/examples/sources.json', 'utf8')) as { $schema?: string };
    expect(sources.$schema).toBe('../schema/sources.schema.json');
    expect(loadTrackings(['config/layover.json'])).toHaveLength(1);
    expect(loadSourcesConfig('config/examples/sources.json').sources.length).toBeGreaterThan(0);
  });
});
