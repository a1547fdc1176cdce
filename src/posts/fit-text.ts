/**
 * Text shortening that every platform shares: tidying what empty placeholders leave, and clipping a title between
 * words. How long a text may be is the platform's own rule (its `PostFormat`, `post-format.ts`).
 */

/**
 * Cleans what empty placeholders and shortened titles leave behind: runs of spaces, spaces before punctuation,
 * a full stop after "…", spaces at line ends, more than one blank line, and leading or trailing blank space.
 */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/ +([!?,.])/g, '$1')
    .replace(/…\./g, '…')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const bracketPairs: Readonly<Record<string, string>> = {
  '(': ')',
  '[': ']',
  '{': '}',
  '「': '」',
  '『': '』',
  '《': '》',
  '〈': '〉',
  '【': '】',
  '（': '）',
};
const closers = new Set(Object.values(bracketPairs));

/** The closing brackets that `text` leaves open, innermost first ("(Special [Live" -> "])"). */
export function unclosedBrackets(text: string): string {
  const open: string[] = [];
  for (const char of text) {
    const closer = bracketPairs[char];
    if (closer !== undefined) open.push(closer);
    else if (closers.has(char) && open.at(-1) === char) open.pop();
  }
  return open.reverse().join('');
}

/**
 * At most `max` UTF-16 code units of `text`, cut between words, with "…" when anything was dropped; a bracket the
 * cut leaves open is closed after the "…" ("Layover (Special…)"), so brackets stay balanced. A first word longer
 * than `max` is dropped whole (the result is "…"): a word is never cut.
 */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const words = text.split(/\s+/).filter((word) => word !== '');
  const kept: string[] = [];
  for (const word of words) {
    const next = [...kept, word].join(' ');
    if (next.length + 1 + unclosedBrackets(next).length > max) break;
    kept.push(word);
  }
  const out = kept.join(' ').replace(/[\s,;:–—-]+$/u, '');
  return `${out}…${unclosedBrackets(out)}`;
}
