import twitterText from 'twitter-text';

/** Discord's limit on a message's `content`. */
export const discordContentLimit = 2000;

/**
 * What our fan text may use of a message's `content`: the publisher may prepend a role mention
 * (`<@&` + up to 20 digits + `> `), so 32 characters are kept free.
 */
export const discordContentBudget = discordContentLimit - 32;

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const discordEmbedLimits = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  total: 6000,
} as const;

/** X's weighted length of `text` (twitter-text: most CJK and emoji weigh 2, URLs 23). */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/** Whether X accepts `text` as a post: non-empty, no invalid characters, weighted length at most 280. */
export function fitsX(text: string): boolean {
  return twitterText.parseTweet(text).valid;
}

/**
 * Whether `text` fits a Discord message with room for a role mention ({@link discordContentBudget}). Counted in
 * UTF-16 code units, never fewer than the characters Discord counts, so the check errs on the safe side.
 */
export function fitsDiscord(text: string): boolean {
  return text.trim().length > 0 && text.length <= discordContentBudget;
}

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
