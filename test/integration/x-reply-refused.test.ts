import { afterEach, describe, expect, it } from 'vitest';
import { XHarness } from '../helpers/x-harness.js';

const albumKinds = new Set(['album', 'allTracks', 'track']);

describe('X publisher: a reply X refuses', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('posts that part of the thread on its own and carries on; the refused request counts against the budget', async () => {
    harness = await XHarness.start({ combineWindowMs: 2000 });
    const h = harness;
    h.emulator.failReply({ kind: 'replyRestricted' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const album = (await h.postsWithMilestones(milestones)).filter((p) =>
      p.milestones.some((m) => albumKinds.has(m.kind)),
    );
    expect(album.flatMap((p) => p.milestones)).toHaveLength(8);
    expect(album.length).toBeGreaterThanOrEqual(3);
    // The first reply was refused: that part stands alone, and the next part replies to it.
    expect(album[0]?.replyTo).toBeNull();
    expect(album[1]?.replyTo).toBeNull();
    for (let i = 2; i < album.length; i += 1) expect(album[i]?.replyTo).toBe(album[i - 1]?.id);
    const refused = h.emulator.requests.filter((r) => r.path === '/2/tweets' && r.status === 403);
    expect(refused).toHaveLength(1);
    const requests = h.emulator.requestsTo('POST', /^\/2\/tweets$/).length;
    expect((await h.publisher.usage()).posts).toBe(requests);
  });
});
