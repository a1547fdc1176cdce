import { discordPostFormat, type DiscordPost } from '../platforms/discord/discord-post-format.js';
import type { PostFormat } from '../posts/post-format.js';
import { xPostFormat } from '../platforms/x/x-post-format.js';

/**
 * The posts of every platform we post to, under the platform's name. These names are public: they name the
 * templates (`templates/<language>/<name>-<kind>.mustache`), server template overrides, destinations
 * (`<name>:<target>`) and the `posts` field of `replay --json`.
 */
export type PlatformPosts = {
  readonly x: string;
  readonly discord: DiscordPost;
};

export type PostPlatform = keyof PlatformPosts;

/**
 * Each platform's post format, by name: the one list of platforms that have posts. A platform's format lives in
 * its own folder (`src/platforms/<name>/`); this module is the only one that knows them all.
 */
export const postFormats: { readonly [P in PostPlatform]: PostFormat<PlatformPosts[P]> } = {
  x: xPostFormat,
  discord: discordPostFormat,
};

export const postPlatforms = Object.keys(postFormats) as readonly PostPlatform[];

export function isPostPlatform(name: string): name is PostPlatform {
  return Object.hasOwn(postFormats, name);
}

/** The plain text of `platform`'s post among `posts` (what a console stand-in prints). */
export function postText<P extends PostPlatform>(platform: P, posts: PlatformPosts): string {
  const format: PostFormat<PlatformPosts[P]> = postFormats[platform];
  return format.text(posts[platform]);
}
