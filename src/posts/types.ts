import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';

import type { Language } from '../language.js';

export type { Language };

/** A Discord embed as we send it (a subset of Discord's embed object). */
export interface DiscordEmbed {
  title: string;
  description: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  timestamp?: string;
}

/** The fan-style texts for one milestone. */
export interface RenderedPosts {
  /** Valid under X's weighted 280-character rule (twitter-text). */
  readonly x: string;
  readonly discord: {
    /** The message content, at most 2000 characters; the full fan text (a role mention is prepended by the publisher). */
    readonly content: string;
    readonly embed: DiscordEmbed;
  };
}

export interface RenderOptions {
  readonly language?: Language;
  /** Per-kind template overrides (server templates), keyed by platform then kind. */
  readonly overrides?: Partial<Record<'x' | 'discord', Partial<Record<Milestone['kind'], string>>>>;
}

/** Turns a milestone into posts; implemented by `posts/render-posts.ts`. */
export type RenderPosts = (
  milestone: Milestone,
  tracking: Tracking,
  options?: RenderOptions,
) => RenderedPosts;
