import { afterEach, describe, expect, it } from 'vitest';
import { cachedCards } from '../../src/cards/card-cache.js';
import { renderMilestoneCard } from '../../src/cards/milestone-card.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { pngSize } from '../helpers/png.js';
import type { EmulatedMedia } from '../../emulators/x-emulator.js';
import { XHarness } from '../helpers/x-harness.js';

/** The finalized upload a post attaches (each post at most one). */
function attached(h: XHarness, mediaIds: readonly string[]): EmulatedMedia | undefined {
  expect(mediaIds.length).toBeLessThanOrEqual(1);
  return h.emulator.finalizedMedia().find((m) => m.id === mediaIds[0]);
}

function mediaRequests(h: XHarness) {
  return h.emulator.requests.filter((r) => r.path.startsWith('/2/media/'));
}

describe('X posts carry the milestone card', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('attaches a 1200×630 PNG with the milestone’s alt text to every post, uploaded exactly once per post', async () => {
    harness = await XHarness.start({ cards: cachedCards() });
    const h = harness;
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = await h.postsWithMilestones(milestones);
    expect(posts).toHaveLength(10);
    // One upload per post, every upload finalized, described and attached to exactly one post.
    expect(h.emulator.media).toHaveLength(10);
    expect(h.emulator.finalizedMedia()).toHaveLength(10);
    expect(new Set(posts.flatMap((p) => p.mediaIds)).size).toBe(10);
    const tracking = layoverTracking();
    for (const post of posts) {
      expect(post.mediaIds).toHaveLength(1);
      const media = attached(h, post.mediaIds);
      expect(media?.mediaType).toBe('image/png');
      expect(media?.mediaCategory).toBe('tweet_image');
      expect(pngSize(media?.bytes ?? Buffer.alloc(0))).toEqual({ width: 1200, height: 630 });
      const [milestone] = post.milestones;
      if (milestone === undefined) throw new Error(`post ${post.id} carries no milestone`);
      const card = await renderMilestoneCard(milestone, tracking, { language: 'en' });
      expect(media?.altText).toBe(card.altText);
    }
    expect(mediaRequests(h).every((r) => r.authProblems.length === 0 && r.status === 200)).toBe(true);
  });

  it('describes the card in X_LANGUAGE: Korean alt text for Korean posts', async () => {
    harness = await XHarness.start({ cards: cachedCards(), language: 'ko' });
    const h = harness;
    const milestones = await h.announce();
    h.expectPostedExactlyOnce(await h.settled(milestones));
    const posts = await h.postsWithMilestones(milestones);
    const tracking = layoverTracking();
    for (const post of posts.slice(0, 3)) {
      const [milestone] = post.milestones;
      if (milestone === undefined) throw new Error(`post ${post.id} carries no milestone`);
      const card = await renderMilestoneCard(milestone, tracking, { language: 'ko' });
      const media = attached(h, post.mediaIds);
      expect(media?.altText).toBe(card.altText);
      expect(media?.altText).toMatch(/[\uac00-\ud7a3]/u);
    }
  });

  it('puts the card of a thread’s highest-priority milestone on its first post only', async () => {
    harness = await XHarness.start({ cards: cachedCards(), combineWindowMs: 400 });
    const h = harness;
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = await h.postsWithMilestones(milestones);
    const firsts = posts.filter((p) => p.replyTo === null);
    const replies = posts.filter((p) => p.replyTo !== null);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((p) => p.mediaIds.length === 0)).toBe(true);
    expect(firsts.every((p) => p.mediaIds.length === 1)).toBe(true);
    expect(h.emulator.media).toHaveLength(firsts.length);
    const tracking = layoverTracking();
    const album = firsts.find((p) => p.milestones.some((m) => m.kind === 'album'));
    const albumMilestone = album?.milestones.find((m) => m.kind === 'album');
    if (album === undefined || albumMilestone === undefined) throw new Error('no album post');
    // The album milestone ranks above the track milestones it was combined with: its card goes on the thread.
    const card = await renderMilestoneCard(albumMilestone, tracking, { language: 'en' });
    expect(attached(h, album.mediaIds)?.altText).toBe(card.altText);
    expect(attached(h, album.mediaIds)?.bytes?.equals(card.png)).toBe(true);
  });

  it('posts the text once, without a card, when the upload fails', async () => {
    harness = await XHarness.start({ cards: cachedCards() });
    const h = harness;
    h.emulator.failMedia('unavailable', 1000);
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    expect(h.emulator.posts).toHaveLength(10);
    expect(h.emulator.posts.every((p) => p.mediaIds.length === 0)).toBe(true);
    expect(mediaRequests(h).filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(10);
  });

  it('posts the text once, without a card, when the card cannot be drawn', async () => {
    harness = await XHarness.start({
      cards: cachedCards(() => Promise.reject(new Error('canvas unavailable'))),
    });
    const h = harness;
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    expect(h.emulator.posts).toHaveLength(10);
    expect(h.emulator.posts.every((p) => p.mediaIds.length === 0)).toBe(true);
    expect(mediaRequests(h)).toHaveLength(0);
  });

  it('does not upload again when POST /2/tweets is retried after a 503, a timeout or a lost answer', async () => {
    harness = await XHarness.start({ cards: cachedCards() });
    const h = harness;
    h.emulator.fail({ kind: 'unavailable' }, 3);
    h.emulator.fail({ kind: 'hang' });
    h.emulator.fail({ kind: 'acceptThenDrop' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    expect(h.emulator.posts).toHaveLength(10);
    const statuses = h.emulator.requests.filter((r) => r.path === '/2/tweets').map((r) => r.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    // Ten posts, ten uploads: the retries attached the upload stored in the group.
    expect(h.emulator.media).toHaveLength(10);
    expect(h.emulator.posts.every((p) => p.mediaIds.length === 1)).toBe(true);
    expect(new Set(h.emulator.posts.flatMap((p) => p.mediaIds)).size).toBe(10);
  });

  it('posts the text alone when X refuses the post because of its media', async () => {
    harness = await XHarness.start({ cards: cachedCards() });
    const h = harness;
    h.emulator.fail({ kind: 'mediaRefused' }, 3);
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    expect(h.emulator.posts).toHaveLength(10);
    const refused = h.emulator.requests.filter((r) => r.path === '/2/tweets' && r.status === 400);
    expect(refused).toHaveLength(3);
    expect(h.emulator.posts.filter((p) => p.mediaIds.length === 0)).toHaveLength(3);
    expect(h.emulator.posts.filter((p) => p.mediaIds.length === 1)).toHaveLength(7);
    // Each refused post was sent twice on its slot: the budget counts 13 posts and their price, plus the cards'
    // metadata calls (one per upload).
    const usage = await h.publisher.usage();
    expect(usage.posts).toBe(13);
    const metadataCalls = h.emulator.requestsTo('POST', /^\/2\/media\/metadata$/).length;
    expect(usage.spendUsd).toBeCloseTo(13 * 0.015 + metadataCalls * 0.005, 6);
  });
});
