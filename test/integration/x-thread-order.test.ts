import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { baselineSnapshot, XHarness } from '../helpers/x-harness.js';

const trackIds = Object.keys(baselineSnapshot.tracks);

function everyTrackAt(capturedAt: string, streams: number): Snapshot {
  return { capturedAt, tracks: Object.fromEntries(trackIds.map((id, i) => [id, streams + i * 1000])) };
}

describe('X: the parts of a combined post or thread read oldest first', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('an album’s 100M (seen first) comes before its 200M (seen a day later) in one thread', async () => {
    harness = await XHarness.start({ combineWindowMs: 3000 });
    const h = harness;
    const milestones = await h.feed([
      { capturedAt: baselineSnapshot.capturedAt, tracks: baselineSnapshot.tracks },
      everyTrackAt('2023-10-02T23:00:00+09:00', 17_000_000),
      everyTrackAt('2023-10-03T23:00:00+09:00', 35_000_000),
    ]);
    const album = milestones.filter((m) => m.kind === 'album').map((m) => m.threshold);
    expect(album.sort((a, b) => a - b)).toEqual([100_000_000, 200_000_000]);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = h.emulator.posts;
    // One group, one thread: every post after the first replies to the one before.
    for (let i = 1; i < posts.length; i += 1) expect(posts[i]?.replyTo).toBe(posts[i - 1]?.id);
    const thread = posts.map((p) => p.text).join('\n');
    const first = thread.search(/\b(100 million|100M)\b/i);
    const second = thread.search(/\b(200 million|200M)\b/i);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    // Every milestone of the first day is told before any of the second day.
    const byPost = await h.postsWithMilestones(milestones);
    const days = byPost.flatMap((p) => p.milestones.map((m) => m.observedAt));
    expect(days).toEqual([...days].sort((a, b) => Date.parse(a) - Date.parse(b)));
  });
});
