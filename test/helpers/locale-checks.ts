import { expect } from 'vitest';

/** A Hangul syllable or jamo. */
const HANGUL = /[\u1100-\u11FF\u3131-\u318E\uAC00-\uD7A3]/;

/**
 * Runs of two or more English words left in `text` once what may stay English in a Korean reply is taken out:
 * code spans (commands), `{{placeholders}}`, Discord mentions, a bracketed name of up to three English words (a
 * permission's English name beside its Korean one) and the `allowed` names (titles without a Korean one,
 * Discord's own error text). A Korean reply with English words left in it has such a run; one fully in Korean
 * has none.
 */
export function englishRuns(text: string, allowed: readonly string[] = []): string[] {
  let rest = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/<[#@][^>]*>/g, ' ')
    .replace(/\([A-Za-z][A-Za-z.-]*(?: [A-Za-z][A-Za-z.-]*){0,2}\)/g, ' ');
  for (const name of allowed) rest = rest.split(name).join(' ');
  return rest.match(/[A-Za-z][A-Za-z'’]*(?:[\s,;:.-]+[A-Za-z][A-Za-z'’]*)+/g) ?? [];
}

/** `text` is a Korean answer: Hangul, no English sentence left in it, and each of `fragments`. */
export function expectKorean(
  text: string,
  fragments: readonly string[],
  allowed: readonly string[] = [],
): void {
  expect(text, 'no Hangul in a Korean answer').toMatch(HANGUL);
  expect(englishRuns(text, allowed), `English left in: ${text}`).toEqual([]);
  for (const fragment of fragments) expect(text).toContain(fragment);
}

/** `text` is an English answer: no Hangul, and each of `fragments`. */
export function expectEnglish(text: string, fragments: readonly string[]): void {
  expect(text, 'Hangul in an English answer').not.toMatch(HANGUL);
  for (const fragment of fragments) expect(text).toContain(fragment);
}
