import type { Milestone } from '../milestones/types.js';
import type { Language } from '../posts/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { renderMilestoneCard, type CardOptions, type RenderedCard } from './milestone-card.js';

/** Draws a milestone's card (`renderMilestoneCard` or a stand-in with its signature). */
export type MilestoneCardRenderer = (
  milestone: Milestone,
  tracking: Tracking,
  options?: CardOptions,
) => Promise<RenderedCard>;

/** The card for a milestone in a language; what publishers call once per delivery. */
export type CardSource = (
  milestone: Milestone,
  tracking: Tracking,
  language: Language,
) => Promise<RenderedCard>;

export interface CardCacheOptions {
  /** Cards kept (most recently used); default 16, about 2 MB of PNG. */
  readonly maxEntries?: number;
  /** How long a failed render is remembered, so a fan-out does not retry it for every channel; default 60 s. */
  readonly failureTtlMs?: number;
}

/**
 * A {@link CardSource} that renders each (milestone, language) once and shares the result: concurrent deliveries
 * of one milestone wait on the same render, so a fan-out to hundreds of channels draws the card once per
 * language. The most recently used cards are kept; a failed render is kept for `failureTtlMs`, then tried again.
 */
export function cachedCards(
  render: MilestoneCardRenderer = renderMilestoneCard,
  options: CardCacheOptions = {},
): CardSource {
  const maxEntries = options.maxEntries ?? 16;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const cache = new Map<string, Promise<RenderedCard>>();
  return (milestone, tracking, language) => {
    const key = `${milestone.id}|${language}`;
    const cached = cache.get(key);
    if (cached !== undefined) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const rendering = render(milestone, tracking, { language });
    cache.set(key, rendering);
    rendering.catch(() => {
      setTimeout(() => {
        if (cache.get(key) === rendering) cache.delete(key);
      }, failureTtlMs).unref();
    });
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
    return rendering;
  };
}
