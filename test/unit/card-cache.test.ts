import { describe, expect, it } from 'vitest';
import { cachedCards } from '../../src/cards/card-cache.js';
import { renderMilestoneCard, type RenderedCard } from '../../src/cards/milestone-card.js';
import type { Milestone } from '../../src/milestones/types.js';
import { milestone } from '../helpers/posts-fixtures.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();

function albumAt(threshold: number): Milestone {
  return milestone('album', { threshold, value: threshold + 1 });
}

/**
 * A stand-in renderer for the cache's bookkeeping (eviction, failures), which a real render cannot be made to
 * show quickly or on demand: it records what it was asked to draw, and the card's bytes name the request.
 */
function recordingRenderer(calls: string[], fail = false) {
  return (m: Milestone, _t: unknown, options?: { language?: 'en' | 'ko' }): Promise<RenderedCard> => {
    const key = `${m.id}|${options?.language ?? 'en'}`;
    calls.push(key);
    if (fail) return Promise.reject(new Error(`cannot draw ${key}`));
    return Promise.resolve({
      png: Buffer.from(key),
      width: 1200,
      height: 630,
      altText: key,
      drawnLanguage: options?.language ?? 'en',
      missingGlyphs: [],
    });
  };
}

describe('cachedCards', () => {
  it('draws each milestone and language once, even when asked concurrently', async () => {
    const calls: string[] = [];
    const cards = cachedCards((m, t, options) => {
      calls.push(`${m.id}|${options?.language ?? 'en'}`);
      return renderMilestoneCard(m, t, options);
    });
    const m = albumAt(500_000_000);
    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => cards(m, tracking, 'en')),
      cards(m, tracking, 'ko'),
    ]);
    expect(calls).toEqual([`${m.id}|en`, `${m.id}|ko`]);
    expect(new Set(results.map((r) => r.png)).size).toBe(2);
    expect(results[0].altText).toMatch(/^Card: Layover by V passed 500 million/);
  });

  it('keeps only the most recently used cards', async () => {
    const calls: string[] = [];
    const cards = cachedCards(recordingRenderer(calls), { maxEntries: 2 });
    const [a, b, c] = [albumAt(1e8), albumAt(2e8), albumAt(3e8)];
    await cards(a, tracking, 'en');
    await cards(b, tracking, 'en');
    await cards(a, tracking, 'en'); // a is now the most recent
    await cards(c, tracking, 'en'); // evicts b
    await cards(a, tracking, 'en');
    await cards(b, tracking, 'en');
    expect(calls).toEqual([`${a.id}|en`, `${b.id}|en`, `${c.id}|en`, `${b.id}|en`]);
  });

  it('remembers a failed render for a while, then tries again', async () => {
    const calls: string[] = [];
    const cards = cachedCards(recordingRenderer(calls, true), { failureTtlMs: 30 });
    const m = albumAt(500_000_000);
    await expect(cards(m, tracking, 'en')).rejects.toThrow('cannot draw');
    await expect(cards(m, tracking, 'en')).rejects.toThrow('cannot draw');
    expect(calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    await expect(cards(m, tracking, 'en')).rejects.toThrow('cannot draw');
    expect(calls).toHaveLength(2);
  });
});
