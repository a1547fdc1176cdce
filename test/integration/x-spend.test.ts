import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.js';
import { XHarness } from '../helpers/x-harness.js';

describe('X budget in money (X_DAILY_SPEND_USD)', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('spends at most the cap per window, biggest first; the rest wait for the next window and all go out once', async () => {
    const windowMs = 6000;
    // $0.05 buys three $0.015 posts: the fourth would cost $0.06.
    harness = await XHarness.start({
      dailyPosts: 100,
      dailySpendUsd: 0.05,
      budgetWindowMs: windowMs,
      recheckMs: 1000,
      publishConcurrency: 4,
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

    const entries = await h.settled(milestones, 45_000);
    h.expectPostedExactlyOnce(entries);
    const posts = h.emulator.posts;
    expect(posts).toHaveLength(10);
    // No window held more than three posts (allow for a request's latency).
    for (const post of posts) {
      expect(
        posts.filter((p) => p.at > post.at - windowMs + 300 && p.at <= post.at).length,
      ).toBeLessThanOrEqual(3);
    }
  }, 60_000);

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
