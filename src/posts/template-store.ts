import { ProblemsError } from '../problems-error.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { milestoneKinds, type MilestoneKind } from '../milestone-kinds.js';
import { templateSyntaxProblems } from './template-syntax.js';
import type { Language } from './types.js';

export const languages: readonly Language[] = ['en', 'ko'];

/**
 * Variants of every (language, platform, kind), each a mustache template, in file order. Platforms are named by
 * the caller (the names its post formats are registered under); `posts/` knows none of them.
 */
export type TemplateSet<Platform extends string = string> = {
  readonly [L in Language]: {
    readonly [P in Platform]: { readonly [K in MilestoneKind]: readonly string[] };
  };
};

/** `templates/` at the repository root (next to `src/`). */
export const defaultTemplatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

/** A line holding only `---` separates the variants inside one template file. */
const variantSeparator = /^---[ \t]*$/m;

/** Raised by {@link loadTemplates}; `problems` holds `<file>: <message>` lines, one per problem, every file checked. */
export class TemplateLoadError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super('invalid post templates', problems);
  }
}

/** `<dir>/<language>/<platform>-<kind>.mustache`. */
export function templateFile(dir: string, language: Language, platform: string, kind: MilestoneKind): string {
  return join(dir, language, `${platform}-${kind}.mustache`);
}

/** Splits a template file into its variants; a file without a separator is one variant. */
export function splitVariants(text: string): string[] {
  return text.split(variantSeparator).map((variant) => variant.trim());
}

function loadFile(file: string, problems: string[]): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return [];
  }
  const variants = splitVariants(text);
  variants.forEach((variant, i) => {
    const where = variants.length > 1 ? `${file}: variant ${i + 1}` : file;
    if (variant === '') problems.push(`${where}: the variant is empty`);
    for (const problem of templateSyntaxProblems(variant)) problems.push(`${where}: ${problem}`);
  });
  return variants;
}

/**
 * Reads and checks every template file of `platforms` once (call at start-up). Throws {@link TemplateLoadError}
 * naming each unreadable file and each variant with a syntax error or an unknown placeholder.
 */
export function loadTemplates<Platform extends string>(
  platforms: readonly Platform[],
  dir: string = defaultTemplatesDir,
): TemplateSet<Platform> {
  const problems: string[] = [];
  const kinds = (language: Language, platform: Platform) =>
    Object.fromEntries(
      milestoneKinds.map((kind) => [kind, loadFile(templateFile(dir, language, platform, kind), problems)]),
    ) as Record<MilestoneKind, string[]>;
  const load = (language: Language) =>
    Object.fromEntries(platforms.map((platform) => [platform, kinds(language, platform)])) as Record<
      Platform,
      Record<MilestoneKind, string[]>
    >;
  const set: TemplateSet<Platform> = { en: load('en'), ko: load('ko') };
  if (problems.length > 0) throw new TemplateLoadError(problems);
  return set;
}
