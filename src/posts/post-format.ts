import type { Milestone } from '../milestones/types.js';
import type { FitRule } from './fit-variants.js';
import type { PostView } from './placeholders.js';
import type { FitProblem } from './template-problems.js';
import type { Language } from './types.js';

/** What a platform's post is built from, besides its fitted text. */
export interface PostContext {
  readonly milestone: Milestone;
  /** The view the text was rendered with: the platform's own ({@link PostFormat.view}). */
  readonly view: PostView;
  readonly language: Language;
}

/**
 * How one platform turns a milestone's words into its post. Each platform defines its format in its own folder;
 * `posts/` knows platforms only through this interface and by the name a format is registered under (the
 * `<name>-<kind>.mustache` templates and the key of the rendered post).
 */
export interface PostFormat<Post> {
  /** The view this platform's templates are rendered with: free texts made safe for it (escaped, defused, clipped). */
  readonly view: (view: PostView) => PostView;
  /** How the fan text is judged while it is fitted (`fitVariants`). */
  readonly rule: FitRule;
  /** The post, from the fitted text: the text itself, or the text with what the platform adds (an embed). */
  readonly post: (text: string, context: PostContext) => Post;
  /** The post as plain text: what a console stand-in prints. (A method, so that formats fit {@link PostFormats}.) */
  text(post: Post): string;
  /**
   * Why `text`, a template rendered with the longest realistic values, is too long or otherwise unfit for the
   * platform, as data; null when it fits. Used to refuse a server's template before it is stored.
   */
  readonly lengthProblem: (text: string) => FitProblem | null;
}

/** Formats by platform name. */
export type PostFormats = Readonly<Record<string, PostFormat<unknown>>>;

/** The posts a renderer over `Formats` gives: each platform's post under its name. */
export type PostsOf<Formats extends PostFormats> = {
  readonly [P in keyof Formats]: Formats[P] extends PostFormat<infer Post> ? Post : never;
};
