import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { buildDiscordEmbed, discordSafe } from './discord-embed.js';
import {
  clipWords,
  discordContentBudget,
  fitsDiscord,
  fitsX,
  tidyText,
  xWeightedLength,
} from './fit-text.js';
import { variantIndex } from './pick-variant.js';
import type { PostView } from './placeholders.js';
import { buildPostView, freeTextFields } from './post-view.js';
import { loadTemplates, type PostPlatform, type TemplateSet } from './template-store.js';
import { renderTemplate, templateSyntaxProblems } from './template-syntax.js';
import type { RenderOptions, RenderPosts } from './types.js';
import { mentionProblems, renderedOutputProblems } from './validate-template.js';

/** No realistic title is longer; Discord texts are clipped to this so that the embed stays within its limits. */
const discordTitleMax = 200;

interface PlatformRule {
  readonly fits: (text: string) => boolean;
  /** Comparable size of a text on the platform, to pick the shortest variant. */
  readonly measure: (text: string) => number;
  /** No free text needs to be longer than this to be shortened usefully. */
  readonly maxChars: number;
}

const rules: Readonly<Record<PostPlatform, PlatformRule>> = {
  x: { fits: fitsX, measure: xWeightedLength, maxChars: 280 },
  discord: { fits: fitsDiscord, measure: (text) => text.length, maxChars: discordContentBudget },
};

function render(template: string, view: PostView): string {
  return tidyText(renderTemplate(template, view));
}

function withoutHashtags(view: PostView): PostView {
  return { ...view, hashtags: '' };
}

function withoutRecord(view: PostView): PostView {
  return { ...view, record: false, recordTitle: '', recordHolder: '', recordDays: '', recordDaysLabel: '' };
}

function clipFreeText(view: PostView, max: number): PostView {
  const clipped: Record<string, string | boolean> = { ...view };
  for (const field of freeTextFields) clipped[field] = clipWords(view[field], max);
  return clipped as unknown as PostView;
}

/**
 * Renders the first of `variants` (in preference order) and shortens until `rule` accepts the text:
 * 1. the preferred variant as is; 2. without hashtags; 3. the other variants without hashtags (a broken record
 * is the news, so other wordings are tried before it is given up); 4. the preferred variant, then the others,
 * also without the record clause; 5. the shortest of those with the longest free texts (titles) shortened word
 * by word, ending in "…". Words are never cut. Null when nothing fits.
 */
export function fitVariants(variants: readonly string[], view: PostView, rule: PlatformRule): string | null {
  const bare = withoutHashtags(view);
  const lean = withoutRecord(bare);
  const [preferred] = variants;
  if (preferred === undefined) return null;
  const attempts: [string, PostView][] = [
    [preferred, view],
    ...variants.map((variant): [string, PostView] => [variant, bare]),
    ...(view.record ? variants.map((variant): [string, PostView] => [variant, lean]) : []),
  ];
  for (const [template, attemptView] of attempts) {
    const text = render(template, attemptView);
    if (rule.fits(text)) return text;
  }
  const shortest = variants
    .map((template) => ({ template, size: rule.measure(render(template, lean)) }))
    .reduce((best, next) => (next.size < best.size ? next : best));
  const longestFree = Math.max(...freeTextFields.map((field) => lean[field].length));
  for (let max = Math.min(longestFree, rule.maxChars) - 1; max >= 1; max--) {
    const text = render(shortest.template, clipFreeText(lean, max));
    if (rule.fits(text)) return text;
  }
  return null;
}

function usableOverride(template: string | undefined): template is string {
  return (
    template !== undefined &&
    template.trim() !== '' &&
    templateSyntaxProblems(template).length === 0 &&
    mentionProblems(template).length === 0
  );
}

function discordView(view: PostView): PostView {
  const safe: Record<string, string | boolean> = { ...view };
  for (const field of [...freeTextFields, 'hashtags'] as const) {
    safe[field] = discordSafe(clipWords(view[field], discordTitleMax));
  }
  return safe as unknown as PostView;
}

/**
 * A {@link RenderPosts} over a loaded template set. The variant is picked by {@link variantIndex}; a usable
 * override (known placeholders, no mentions) replaces the built-in variants for its platform and kind, and the
 * built-ins are the fallback when it cannot be made to fit.
 */
export function createPostRenderer(templates: TemplateSet): RenderPosts {
  const renderFor = (
    platform: PostPlatform,
    milestone: Milestone,
    tracking: Tracking,
    view: PostView,
    options: RenderOptions,
  ): string => {
    const language = options.language ?? 'en';
    const builtIns = templates[language][platform][milestone.kind];
    const start = variantIndex(milestone, tracking, builtIns.length);
    const rotated = [...builtIns.slice(start), ...builtIns.slice(0, start)];
    const override = options.overrides?.[platform]?.[milestone.kind];
    const fromOverride = usableOverride(override) ? fitVariants([override], view, rules[platform]) : null;
    // A template saved before its rendered output was checked may still render to a mention: built-ins then.
    const safeOverride =
      fromOverride !== null && renderedOutputProblems(fromOverride).length === 0 ? fromOverride : null;
    const fitted = safeOverride ?? fitVariants(rotated, view, rules[platform]);
    if (fitted === null) {
      throw new Error(
        `no ${language} ${platform} template for ${milestone.kind} fits the platform for ${milestone.id}`,
      );
    }
    return fitted;
  };

  return (milestone, tracking, options = {}) => {
    const language = options.language ?? 'en';
    const view = buildPostView(milestone, tracking, language);
    const forDiscord = discordView(view);
    return {
      x: renderFor('x', milestone, tracking, view, options),
      discord: {
        content: renderFor('discord', milestone, tracking, forDiscord, options),
        embed: buildDiscordEmbed(milestone, forDiscord, language),
      },
    };
  };
}

let defaultRenderer: RenderPosts | undefined;

/**
 * Renders with the templates in `templates/` (read from disk on first use, once; call {@link loadTemplates}
 * at start-up to fail fast on a broken template).
 */
export const renderPosts: RenderPosts = (milestone, tracking, options) => {
  defaultRenderer ??= createPostRenderer(loadTemplates());
  return defaultRenderer(milestone, tracking, options);
};
