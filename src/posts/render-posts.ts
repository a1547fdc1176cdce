import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { buildDiscordEmbed, discordSafe } from './discord-embed.js';
import { clipWords, discordContentBudget, fitsDiscord, fitsX } from './fit-text.js';
import { clipFields, fitVariants, type PlatformRule } from './fit-variants.js';
import { variantIndex } from './pick-variant.js';
import type { PostView } from './placeholders.js';
import { buildPostView, freeTextFields } from './post-view.js';
import { loadTemplates, type PostPlatform, type TemplateSet } from './template-store.js';
import { templateSyntaxProblems } from './template-syntax.js';
import { withoutXLinks } from './x-links.js';
import type { RenderOptions, RenderPosts } from './types.js';
import { mentionProblems, renderedOutputProblems } from './validate-template.js';

/** No realistic title is longer; Discord texts are clipped to this so that the embed stays within its limits. */
const discordTitleMax = 200;

const rules: Readonly<Record<PostPlatform, PlatformRule>> = {
  x: { fits: fitsX, maxChars: 280 },
  discord: { fits: fitsDiscord, maxChars: discordContentBudget },
};

function usableOverride(template: string | undefined): template is string {
  return (
    template !== undefined &&
    template.trim() !== '' &&
    templateSyntaxProblems(template).length === 0 &&
    mentionProblems(template).length === 0
  );
}

/** The Discord view: free texts (and the day phrase naming the album) clipped to a sane length and made markdown-safe. */
function discordView(view: PostView): PostView {
  const clipped = clipFields(view, freeTextFields, discordTitleMax);
  const safe: Record<string, string | boolean> = { ...clipped };
  for (const field of [...freeTextFields, 'hashtags', 'inDays'] as const) {
    safe[field] = discordSafe(
      field === 'hashtags' ? clipWords(view.hashtags, discordTitleMax) : clipped[field],
    );
  }
  return safe as unknown as PostView;
}

/** The X view: nothing from the config reads as a link on X (see {@link withoutXLinks}). */
function xView(view: PostView): PostView {
  const safe: Record<string, string | boolean> = { ...view };
  for (const field of [...freeTextFields, 'inDays'] as const) safe[field] = withoutXLinks(view[field]);
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
      x: renderFor('x', milestone, tracking, xView(view), options),
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
