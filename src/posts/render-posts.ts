import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { fitVariants } from './fit-variants.js';
import { variantIndex } from './pick-variant.js';
import type { PostView } from './placeholders.js';
import type { PostFormat, PostFormats, PostsOf } from './post-format.js';
import { buildPostView } from './post-view.js';
import type { TemplateSet } from './template-store.js';
import { templateSyntaxProblems } from './template-syntax.js';
import type { RenderOptions, RenderPosts } from './types.js';
import { mentionProblems, renderedOutputProblems } from './validate-template.js';

function usableOverride(template: string | undefined): template is string {
  return (
    template !== undefined &&
    template.trim() !== '' &&
    templateSyntaxProblems(template).length === 0 &&
    mentionProblems(template).length === 0
  );
}

/**
 * A {@link RenderPosts} over a loaded template set, giving one post per format, under the format's name. The
 * variant is picked by {@link variantIndex}; a usable override (known placeholders, no mentions) replaces the
 * built-in variants for its platform and kind, and the built-ins are the fallback when it cannot be made to fit.
 */
export function createPostRenderer<Formats extends PostFormats>(
  templates: TemplateSet<keyof Formats & string>,
  formats: Formats,
): RenderPosts<PostsOf<Formats>> {
  const fittedText = (
    platform: keyof Formats & string,
    format: PostFormat<unknown>,
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
    const fromOverride = usableOverride(override) ? fitVariants([override], view, format.rule) : null;
    // A template saved before its rendered output was checked may still render to a mention: built-ins then.
    const safeOverride =
      fromOverride !== null && renderedOutputProblems(fromOverride).length === 0 ? fromOverride : null;
    const fitted = safeOverride ?? fitVariants(rotated, view, format.rule);
    if (fitted === null) {
      throw new Error(
        `no ${language} ${platform} template for ${milestone.kind} fits the platform for ${milestone.id}`,
      );
    }
    return fitted;
  };

  return (milestone, tracking, options = {}) => {
    const language = options.language ?? 'en';
    const neutral = buildPostView(milestone, tracking, language);
    const posts: Record<string, unknown> = {};
    for (const platform of Object.keys(formats) as (keyof Formats & string)[]) {
      const format = formats[platform] as PostFormat<unknown>;
      const view = format.view(neutral);
      const text = fittedText(platform, format, milestone, tracking, view, options);
      posts[platform] = format.post(text, { milestone, view, language });
    }
    return posts as PostsOf<Formats>;
  };
}
