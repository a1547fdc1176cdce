import { createPostRenderer } from '../posts/render-posts.js';
import { loadTemplates } from '../posts/template-store.js';
import type { RenderPosts } from '../posts/types.js';
import { postFormats, postPlatforms, type PlatformPosts } from './post-formats.js';

let defaultRenderer: RenderPosts<PlatformPosts> | undefined;

/**
 * Renders every platform's post with the templates in `templates/` (read from disk on first use, once; call
 * `loadTemplates(postPlatforms)` at start-up to fail fast on a broken template).
 */
export const renderPosts: RenderPosts<PlatformPosts> = (milestone, tracking, options) => {
  defaultRenderer ??= createPostRenderer(loadTemplates(postPlatforms), postFormats);
  return defaultRenderer(milestone, tracking, options);
};
