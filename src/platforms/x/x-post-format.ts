import type { PostView } from '../../posts/placeholders.js';
import type { PostFormat } from '../../posts/post-format.js';
import { freeTextFields } from '../../posts/post-view.js';
import type { RenderPosts } from '../../posts/types.js';
import { withoutXLinks } from './x-links.js';
import { fitsX, xWeightedLength } from './x-text.js';

/** What X needs of the rendered posts: its text, under `x`, valid under X's weighted 280-character rule. */
export type XPosts = { readonly x: string };

/** A renderer that gives (at least) the X text. */
export type RenderXPosts = RenderPosts<XPosts>;

/** X's limit on a post's weighted length. */
const xWeightedLimit = 280;

/** The X view: nothing from the config reads as a link on X (see {@link withoutXLinks}). */
function xView(view: PostView): PostView {
  const safe: Record<string, string | boolean> = { ...view };
  for (const field of [...freeTextFields, 'inDays'] as const) safe[field] = withoutXLinks(view[field]);
  return safe as unknown as PostView;
}

/** X's post format: templates `x-<kind>.mustache`, fitted to twitter-text's weighted length; the post is the text. */
export const xPostFormat: PostFormat<string> = {
  view: xView,
  rule: { fits: fitsX, maxChars: xWeightedLimit },
  post: (text) => text,
  text: (post) => post,
  lengthProblem: (text) => {
    if (fitsX(text)) return null;
    const weighted = xWeightedLength(text);
    return weighted > xWeightedLimit
      ? {
          kind: 'tooLong',
          platform: 'X',
          measured: weighted,
          limit: xWeightedLimit,
          unit: 'weighted',
          limitOf: 'post',
        }
      : { kind: 'refusedCharacters', platform: 'X' };
  },
};
