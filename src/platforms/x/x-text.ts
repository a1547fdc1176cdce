import twitterText from 'twitter-text';

/** X's weighted length of `text` (twitter-text: most CJK and emoji weigh 2, URLs 23). */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/** Whether X accepts `text` as a post: non-empty, no invalid characters, weighted length at most 280. */
export function fitsX(text: string): boolean {
  return twitterText.parseTweet(text).valid;
}

const ELLIPSIS = '…';

/** Whether `text` is a valid post under X's weighted 280-character rule (twitter-text's parseTweet). */
export function isValidXText(text: string): boolean {
  return text.trim() !== '' && fitsX(text);
}

const trailingHashtag = /\s*#[^\s#]+\s*$/u;

function cutLastWord(text: string): string | null {
  const body = text.endsWith(ELLIPSIS) ? text.slice(0, -ELLIPSIS.length) : text;
  const cut = body.replace(/\s+\S+\s*$/u, '');
  return cut === body || cut.trim() === '' ? null : `${cut.trimEnd()}${ELLIPSIS}`;
}

function cutLastGrapheme(text: string): string {
  const body = text.endsWith(ELLIPSIS) ? text.slice(0, -ELLIPSIS.length) : text;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(body)];
  return `${graphemes
    .slice(0, -1)
    .map((g) => g.segment)
    .join('')}${ELLIPSIS}`;
}

/**
 * Makes `text` valid under X's rule by shortening it by rule, never in the middle of a word:
 * 1. drop trailing hashtags, last first;
 * 2. drop trailing lines (the first line, the headline, stays);
 * 3. drop trailing words and end with "…".
 * Only a single "word" longer than a whole post (no whitespace at all) is cut between graphemes.
 * Returns the text unchanged when it is already valid.
 */
export function fitXText(text: string): string {
  let current = text.trim();
  if (isValidXText(current)) return current;
  while (trailingHashtag.test(current) && !isValidXText(current)) {
    const next = current.replace(trailingHashtag, '');
    if (next.trim() === '') break;
    current = next;
  }
  while (!isValidXText(current) && current.includes('\n')) {
    current = current.slice(0, current.lastIndexOf('\n')).trimEnd();
  }
  while (!isValidXText(current)) {
    current = cutLastWord(current) ?? cutLastGrapheme(current);
  }
  return current;
}

/** One post of a combined announcement: its text and the milestones it announces. */
export interface XPostPart {
  readonly text: string;
  readonly milestoneIds: readonly string[];
}

function withoutTrailingHashtags(text: string): { body: string; tags: string[] } {
  const tags: string[] = [];
  let body = text.trimEnd();
  for (let m = trailingHashtag.exec(body); m !== null; m = trailingHashtag.exec(body)) {
    tags.unshift(m[0].trim());
    body = body.slice(0, m.index).trimEnd();
  }
  return { body, tags };
}

function joinTexts(texts: readonly string[]): string {
  const split = texts.map(withoutTrailingHashtags);
  const tags = [...new Set(split.flatMap((s) => s.tags))];
  const body = split.map((s) => s.body).join('\n\n');
  return tags.length === 0 ? body : `${body}\n\n${tags.join(' ')}`;
}

/**
 * Packs the posts of several milestones (highest priority first) into as few valid posts as possible, in order:
 * consecutive texts share a post when they fit together (hashtags said once, at the end); otherwise the next post
 * of the thread starts. Every text is fitted with {@link fitXText} first, so every part is valid.
 */
export function packXThread(items: readonly { milestoneId: string; text: string }[]): XPostPart[] {
  const parts: { texts: string[]; ids: string[] }[] = [];
  for (const item of items) {
    const text = fitXText(item.text);
    const last = parts.at(-1);
    if (last !== undefined && isValidXText(joinTexts([...last.texts, text]))) {
      last.texts.push(text);
      last.ids.push(item.milestoneId);
    } else {
      parts.push({ texts: [text], ids: [item.milestoneId] });
    }
  }
  return parts.map((p) => ({
    text: p.texts.length === 1 ? (p.texts[0] as string) : joinTexts(p.texts),
    milestoneIds: p.ids,
  }));
}
