import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';

import type { Language } from '../language.js';

export type { Language };

/**
 * The posts for one milestone, one per platform, keyed by the platform's name (`x`, `discord`). What each post
 * is (a text, a text with an embed) is the platform's own business: see `PostFormat` (`post-format.ts`).
 */
export type RenderedPosts = Readonly<Record<string, unknown>>;

export interface RenderOptions {
  readonly language?: Language;
  /** Per-kind template overrides (server templates), keyed by platform name then kind. */
  readonly overrides?: Readonly<Partial<Record<string, Partial<Record<Milestone['kind'], string>>>>>;
}

/**
 * Turns a milestone into posts; made by `createPostRenderer` (`posts/render-posts.ts`) over the formats of the
 * platforms it renders for. A platform asks only for its own post: `RenderPosts<{ readonly x: string }>`.
 */
export type RenderPosts<Posts extends RenderedPosts = RenderedPosts> = (
  milestone: Milestone,
  tracking: Tracking,
  options?: RenderOptions,
) => Posts;
