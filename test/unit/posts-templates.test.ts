import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clipWords, tidyText } from '../../src/posts/fit-text.js';
import { postFormats, postPlatforms } from '../../src/platform-posts/post-formats.js';
import { createPostRenderer } from '../../src/posts/render-posts.js';
import {
  defaultTemplatesDir,
  loadTemplates,
  splitVariants,
  TemplateLoadError,
  templateFile,
} from '../../src/posts/template-store.js';
import { layover, milestone } from '../helpers/posts-fixtures.js';

const scratch: string[] = [];

function copyOfTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'layover-templates-'));
  scratch.push(dir);
  cpSync(defaultTemplatesDir, dir, { recursive: true });
  return dir;
}

function loadError(dir: string): TemplateLoadError {
  try {
    loadTemplates(postPlatforms, dir);
  } catch (error) {
    if (error instanceof TemplateLoadError) return error;
    throw error;
  }
  throw new Error('loadTemplates did not fail');
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('template loading', () => {
  it('loads every built-in template with at least three variants', () => {
    const set = loadTemplates(postPlatforms);
    for (const language of ['en', 'ko'] as const) {
      for (const platform of ['x', 'discord'] as const) {
        for (const variants of Object.values(set[language][platform])) {
          expect(variants.length).toBeGreaterThanOrEqual(3);
          for (const variant of variants) expect(variant.trim()).not.toBe('');
        }
      }
    }
  });

  it('names the file and variant of an unknown placeholder', () => {
    const dir = copyOfTemplates();
    const file = templateFile(dir, 'ko', 'x', 'album');
    writeFileSync(file, 'fine {{album}}\n---\n{{albumName}} broke\n');
    const error = loadError(dir);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: variant 2: `),
    );
    expect(error.problems[0]).toContain('unknown placeholder {{albumName}}');
    expect(error.message).toContain(file);
  });

  it('names a file it cannot read, and reports every problem at once', () => {
    const dir = copyOfTemplates();
    const missing = templateFile(dir, 'en', 'discord', 'followers');
    rmSync(missing);
    const broken = templateFile(dir, 'en', 'x', 'track');
    writeFileSync(broken, '{{#record}}never closed');
    const error = loadError(dir);
    expect(error.problems).toEqual([
      expect.stringMatching(new RegExp(`^${broken}: template syntax error: Unclosed section "record"`)),
      `${missing}: cannot read the file (ENOENT)`,
    ]);
  });

  it('refuses an empty variant', () => {
    const dir = copyOfTemplates();
    const file = templateFile(dir, 'en', 'x', 'artist');
    writeFileSync(file, '{{artist}}\n---\n\n---\n{{callName}}');
    expect(loadError(dir).problems).toEqual([`${file}: variant 2: the variant is empty`]);
  });

  it('renders from a loaded copy exactly what the defaults render', () => {
    const copy = createPostRenderer(loadTemplates(postPlatforms, copyOfTemplates()), postFormats);
    const defaults = createPostRenderer(loadTemplates(postPlatforms), postFormats);
    const m = milestone('album', { threshold: 600_000_000 });
    expect(copy(m, layover)).toEqual(defaults(m, layover));
  });

  it('splits variants only on a line that is exactly ---', () => {
    expect(splitVariants('a --- b\n---\nc\n---  \nd')).toEqual(['a --- b', 'c', 'd']);
    expect(splitVariants('one')).toEqual(['one']);
  });
});

describe('text fitting helpers', () => {
  it('tidies what empty placeholders leave behind', () => {
    expect(tidyText('Hi  Taehyung !  \n\n\n\n#V  ')).toBe('Hi Taehyung!\n\n#V');
    expect(tidyText('Keeps Going… .')).toBe('Keeps Going…');
  });

  it('clips between words and marks the cut', () => {
    expect(clipWords('Slow Dancing (Piano Ver.)', 100)).toBe('Slow Dancing (Piano Ver.)');
    expect(clipWords('Slow Dancing (Piano Ver.)', 14)).toBe('Slow Dancing…');
    expect(clipWords('Slow Dancing (Piano Ver.)', 13)).toBe('Slow Dancing…');
    expect(clipWords('Slow Dancing (Piano Ver.)', 12)).toBe('Slow…');
    expect(clipWords('Supercalifragilistic', 10)).toBe('…');
    expect(clipWords('Rainy Days, Blue', 12)).toBe('Rainy Days…');
  });
});
