import { clipWords, tidyText } from './fit-text.js';
import type { PostView } from './placeholders.js';
import { freeTextFields } from './post-view.js';
import { renderTemplate } from './template-syntax.js';

/** How a text is judged while it is fitted: a platform's length rule. */
export interface FitRule {
  readonly fits: (text: string) => boolean;
  /** No free text needs to be longer than this to be shortened usefully. */
  readonly maxChars: number;
}

/** Titles: what a post names (an album, a song, the subject), the first things shortened. */
const titleFields = ['album', 'track', 'subject', 'lastTrack'] as const satisfies readonly (keyof PostView)[];
/** Titles and the record's description: shortened next, still keeping the record clause. */
const titleAndRecordFields = [...titleFields, 'recordTitle'] as const;

export function render(template: string, view: PostView): string {
  return tidyText(renderTemplate(template, view));
}

function withoutHashtags(view: PostView): PostView {
  return { ...view, hashtags: '' };
}

function withoutRecord(view: PostView): PostView {
  return { ...view, record: false, recordTitle: '', recordHolder: '', recordDays: '', recordDaysLabel: '' };
}

/**
 * `view` with each of `fields` clipped to `max` characters between words, and every phrase that embeds the album
 * title (the day phrase "43 days after the release of …") carrying the clipped title too.
 */
export function clipFields(view: PostView, fields: readonly (keyof PostView)[], max: number): PostView {
  const clipped: Record<string, string | boolean> = { ...view };
  for (const field of fields) {
    const value = view[field];
    if (typeof value === 'string') clipped[field] = clipWords(value, max);
  }
  const album = clipped.album as string;
  if (album !== view.album && view.album !== '' && view.inDays.includes(view.album)) {
    clipped.inDays = view.inDays.replace(view.album, album);
  }
  return clipped as unknown as PostView;
}

/** The longest string among `fields` of `view`, in UTF-16 code units. */
function longest(view: PostView, fields: readonly (keyof PostView)[]): number {
  return Math.max(0, ...fields.map((field) => String(view[field]).length));
}

/**
 * The text of `template` with `fields` clipped to the largest length at which it fits (a binary search: a shorter
 * clip never makes a longer text), or null when even the shortest clip does not fit.
 */
function largestFit(
  template: string,
  view: PostView,
  fields: readonly (keyof PostView)[],
  rule: FitRule,
): { text: string; max: number } | null {
  let low = 1;
  let high = Math.min(longest(view, fields), rule.maxChars) - 1;
  let best: { text: string; max: number } | null = null;
  while (low <= high) {
    const max = Math.floor((low + high) / 2);
    const text = render(template, clipFields(view, fields, max));
    if (rule.fits(text)) {
      best = { text, max };
      low = max + 1;
    } else {
      high = max - 1;
    }
  }
  return best;
}

/** Over every variant: the text that fits with the longest clipped fields (earlier variants win ties). */
function bestClipped(
  variants: readonly string[],
  view: PostView,
  fields: readonly (keyof PostView)[],
  rule: FitRule,
): string | null {
  let best: { text: string; max: number } | null = null;
  for (const template of variants) {
    const found = largestFit(template, view, fields, rule);
    if (found !== null && (best === null || found.max > best.max)) best = found;
  }
  return best?.text ?? null;
}

/**
 * Renders the first of `variants` (in preference order) and shortens until `rule` accepts the text. A broken
 * record is the news, so it is the last thing to go:
 * 1. the preferred variant as is; 2. without hashtags; 3. the other variants without hashtags;
 * 4. the titles shortened word by word (ending in "…", brackets closed), in every phrase that names them;
 * 5. the record's description shortened as well; 6. only then without the record clause, titles and free
 * texts shortened. Words are never cut. Null when nothing fits.
 */
export function fitVariants(variants: readonly string[], view: PostView, rule: FitRule): string | null {
  const bare = withoutHashtags(view);
  const [preferred] = variants;
  if (preferred === undefined) return null;
  const attempts: [string, PostView][] = [
    [preferred, view],
    ...variants.map((variant): [string, PostView] => [variant, bare]),
  ];
  for (const [template, attemptView] of attempts) {
    const text = render(template, attemptView);
    if (rule.fits(text)) return text;
  }
  const steps: [PostView, readonly (keyof PostView)[]][] = view.record
    ? [
        [bare, titleFields],
        [bare, titleAndRecordFields],
      ]
    : [];
  for (const [stepView, fields] of steps) {
    const text = bestClipped(variants, stepView, fields, rule);
    if (text !== null) return text;
  }
  const lean = withoutRecord(bare);
  for (const template of variants) {
    const text = render(template, lean);
    if (rule.fits(text)) return text;
  }
  return bestClipped(variants, lean, freeTextFields, rule);
}
