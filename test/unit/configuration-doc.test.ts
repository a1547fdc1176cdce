import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { sourcesConfigSchema } from '../../src/sources/sources-config.js';
import { trackingConfigSchema } from '../../src/tracking/schema.js';

/** Every property name anywhere in a JSON Schema (objects, arrays, unions). */
function propertyNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) propertyNames(item, out);
  } else if (typeof schema === 'object' && schema !== null) {
    const record = schema as Record<string, unknown>;
    const properties = record.properties;
    if (typeof properties === 'object' && properties !== null) {
      for (const name of Object.keys(properties)) out.add(name);
    }
    for (const value of Object.values(record)) propertyNames(value, out);
  }
  return out;
}

const doc = readFileSync('docs/configuration.md', 'utf8');

/** The section of the doc under a `## ` heading. */
function section(heading: string): string {
  const start = doc.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`docs/configuration.md has no section "${heading}"`);
  const end = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/configuration.md stays in step with the zod schemas', () => {
  const cases: [string, z.ZodType][] = [
    ['Tracking config', trackingConfigSchema],
    ['Sources config', sourcesConfigSchema],
    ['Snapshot', snapshotSchema],
  ];
  for (const [heading, schema] of cases) {
    it(`names every field of the ${heading.toLowerCase()}`, () => {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
      const names = [...propertyNames(json)];
      expect(names.length).toBeGreaterThan(3);
      const text = section(heading);
      // Each field appears in code quotes, alone or as a part of a dotted path: `albums[].tracks[].id`.
      const documented = new Set(
        [...text.matchAll(/`([^`\n]+)`/g)].flatMap((m) =>
          (m[1] ?? '').split('.').map((part) => part.replace(/\[\]$/, '')),
        ),
      );
      const missing = names.filter((name) => !documented.has(name));
      expect(missing, `fields missing from "## ${heading}"`).toEqual([]);
    });
  }
});
