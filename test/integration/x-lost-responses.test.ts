import { afterEach, describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/milestones/types.js';
import type { EmulatedPost } from '../../emulators/x-emulator.js';
import { XHarness } from '../helpers/x-harness.js';

const albumKinds = new Set(['album', 'allTracks', 'track']);

/** The album's posts in posting order; asserts they form one chain: the first stands alone, each next replies to the one before. */
async function expectOneAlbumChain(h: XHarness, milestones: readonly Milestone[]): Promise<EmulatedPost[]> {
  const posts = await h.postsWithMilestones(milestones);
  const album = posts.filter((p) => p.milestones.some((m) => albumKinds.has(m.kind)));
  expect(album.flatMap((p) => p.milestones)).toHaveLength(8);
  expect(album.length).toBeGreaterThanOrEqual(2);
  expect(album[0]?.replyTo).toBeNull();
  for (let i = 1; i < album.length; i += 1) expect(album[i]?.replyTo).toBe(album[i - 1]?.id);
  return album;
}

describe('X publisher: answers lost after X accepted the post', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a thread keeps its chain when replies’ answers are lost (a dropped connection, a 5xx after acceptance)', async () => {
    harness = await XHarness.start({ combineWindowMs: 2000 });
    const h = harness;
    h.emulator.failReply({ kind: 'acceptThenDrop' });
    h.emulator.failReply({ kind: 'acceptThenFail' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const album = await expectOneAlbumChain(h, milestones);
    expect(album.length).toBeGreaterThanOrEqual(3);
    // Every milestone's ledger entry names a real post id (none is a duplicate without one).
    for (const entry of entries.values())
      expect(entry.state === 'sent' && entry.platformId !== '').toBe(true);
    expect(h.emulator.requestsTo('GET', /^\/2\/users\/4242\/tweets\?/).length).toBeGreaterThanOrEqual(2);
    expect(h.emulator.requests.every((r) => r.authProblems.length === 0)).toBe(true);
  });

  it('nothing is posted twice even when X would accept the same text again', async () => {
    harness = await XHarness.start({ combineWindowMs: 2000 });
    const h = harness;
    h.emulator.refuseDuplicates = false;
    h.emulator.fail({ kind: 'acceptThenDrop' });
    h.emulator.failReply({ kind: 'acceptThenFail' });
    h.emulator.fail({ kind: 'hang' });
    h.emulator.fail({ kind: 'acceptThenFail' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const texts = h.emulator.postedTexts();
    expect(new Set(texts).size).toBe(texts.length);
    await expectOneAlbumChain(h, milestones);
  });

  it('after a duplicate 403 the post X has is adopted, so the next reply still chains to it', async () => {
    harness = await XHarness.start({ combineWindowMs: 2000 });
    const h = harness;
    // The retry's look-up misses the post (X's reads lag), so the text is sent again and X refuses it as duplicate.
    h.emulator.failReply({ kind: 'acceptThenDrop' });
    h.emulator.staleReads(1);
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    await expectOneAlbumChain(h, milestones);
    const refusals = h.emulator.requests.filter((r) => r.path === '/2/tweets' && r.status === 403);
    expect(refusals).toHaveLength(1);
    for (const entry of entries.values())
      expect(entry.state === 'sent' && entry.platformId !== '').toBe(true);
  });
});
