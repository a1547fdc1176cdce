import { clipWords } from '../../posts/fit-text.js';
import { clipFields } from '../../posts/fit-variants.js';
import type { PostView } from '../../posts/placeholders.js';
import type { PostFormat } from '../../posts/post-format.js';
import { freeTextFields } from '../../posts/post-view.js';
import type { RenderPosts } from '../../posts/types.js';
import { buildDiscordEmbed, discordSafe, type DiscordEmbed } from './discord-embed.js';
import { discordContentBudget, fitsDiscord } from './discord-post-limits.js';

/** A milestone's Discord post: the fan text and the embed that goes with it. */
export interface DiscordPost {
  /** The message content, at most 2000 characters; the full fan text (a role mention is prepended by the publisher). */
  readonly content: string;
  readonly embed: DiscordEmbed;
}

/** What Discord needs of the rendered posts: its own, under `discord`. */
export type DiscordPosts = { readonly discord: DiscordPost };

/** A renderer that gives (at least) the Discord post. */
export type RenderDiscordPosts = RenderPosts<DiscordPosts>;

/** No realistic title is longer; Discord texts are clipped to this so that the embed stays within its limits. */
const discordTitleMax = 200;

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

/** Discord's post format: templates `discord-<kind>.mustache`, content within the budget, and the embed. */
export const discordPostFormat: PostFormat<DiscordPost> = {
  view: discordView,
  rule: { fits: fitsDiscord, maxChars: discordContentBudget },
  post: (content, { milestone, view, language }) => ({
    content,
    embed: buildDiscordEmbed(milestone, view, language),
  }),
  text: (post) => post.content,
  lengthProblem: (text) =>
    text.length > discordContentBudget
      ? {
          kind: 'tooLong',
          platform: 'Discord',
          measured: text.length,
          limit: discordContentBudget,
          unit: 'characters',
          limitOf: 'template',
        }
      : null,
};
