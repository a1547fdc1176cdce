import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { XHarness } from '../helpers/x-harness.js';

describe('X budget in money (X_DAILY_SPEND_USD)', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('spends at most the cap per window, biggest first; the rest wait for the next window and all go out once', async () => {
    // The clock stands still until the test moves it: a window ends when the test says, never because the machine
    // was slow, and every post of a window is stamped with that window's time.
    const windowMs = 3_600_000;
    const start = Date.parse('2023-10-03T12:00:00Z');
    const clock = new ManualClock(start);
    // $0.05 buys three $0.015 posts: the fourth would cost $0.06.
    harness = await XHarness.start({
      dailyPosts: 100,
      dailySpendUsd: 0.05,
      budgetWindowMs: windowMs,
      recheckMs: 300,
      publishConcurrency: 4,
      clock: clock.now,
    });
    const h = harness;
    const milestones = await h.announce();
    await h.waitFor('the first window’s posts', async () => (await h.publisher.usage()).posts === 3);
    await h.publishJobsIdle();
    const first = await h.publisher.usage();
    expect(first).toMatchObject({ posts: 3, postsCap: 100, spendCapUsd: 0.05, destination: 'x:4242' });
    expect(first.spendUsd).toBeCloseTo(0.045, 6);
    expect(h.emulator.posts).toHaveLength(3);
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.watchBudgets([h.publisher]);
    const text = await metrics.render();
    expect(text).toMatch(/layover_budget_posts\{destination="x:4242"\} 3\n/);
    expect(text).toMatch(/layover_budget_spend_usd\{destination="x:4242"\} 0\.045\n/);
    expect(text).toMatch(/layover_budget_spend_cap_usd\{destination="x:4242"\} 0\.05\n/);

    await h.windowByWindow(clock, milestones, 3, windowMs);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = h.emulator.posts;
    expect(posts).toHaveLength(10);
    // Three posts in each window while the money lasted, then the last one: never a fourth in one window.
    const perWindow = new Map<number, number>();
    for (const post of posts) {
      const window = Math.floor((post.at - start) / windowMs);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    expect([...perWindow.entries()].sort(([a], [b]) => a - b).map(([, n]) => n)).toEqual([3, 3, 3, 1]);
  });

  it('a reply X refuses, sent again on its own, counts twice, in posts and in money', async () => {
    harness = await XHarness.start({ combineWindowMs: 2000 });
    const h = harness;
    h.emulator.failReply({ kind: 'replyRestricted' });
    const milestones = await h.announce();
    h.expectPostedExactlyOnce(await h.settled(milestones));
    const requests = h.emulator.requestsTo('POST', /^\/2\/tweets$/).length;
    expect(requests).toBe(h.emulator.posts.length + 1);
    const usage = await h.publisher.usage();
    expect(usage.posts).toBe(requests);
    expect(usage.spendUsd).toBeCloseTo(requests * 0.015, 6);
  });
});
