import { afterEach, describe, expect, it } from 'vitest';
import { isValidXText } from '../../src/platforms/x/x-text.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { until } from '../helpers/until.js';
import { XHarness } from '../helpers/x-harness.js';

const albumKinds = new Set(['album', 'allTracks', 'track']);
const HOUR = 3_600_000;
/**
 * Where the tests that measure windows start their clock (the day after the crossing snapshot). It stands still
 * until a test moves it, so a window ends when the test says, never because the machine was slow.
 */
const dayAfter = '2023-10-03T12:00:00Z';
/** The combine window: milestones entered while the clock stands still share a group until it moves this far. */
const COMBINE_MS = 300;
/**
 * How long a refused job waits before it looks again (on the injected clock, and so in real time too): short, so
 * a moved clock is noticed soon.
 */
const RECHECK_MS = 300;

/** How many posts went out in each budget window from `start` on (the clock stood still within each). */
function postsPerWindow(posts: readonly { at: number }[], start: number): number[] {
  const counts = new Map<number, number>();
  for (const post of posts) {
    const window = Math.floor((post.at - start) / HOUR);
    counts.set(window, (counts.get(window) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
}

describe('X publisher against the HTTPS emulator: budget, priority and combining', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('spends a short budget on the biggest milestones first; the rest wait for the next window and all go out once', async () => {
    const clock = new ManualClock(dayAfter);
    harness = await XHarness.start({
      dailyPosts: 3,
      budgetWindowMs: HOUR,
      recheckMs: RECHECK_MS,
      clock: clock.now,
    });
    const h = harness;
    const milestones = await h.announce();
    // The clock stands still: three posts fit the first window, and the other seven jobs are refused and wait.
    await until('three posts out and seven jobs waiting', async () => {
      const sent = await h.postsWithMilestones(milestones);
      return (
        sent.length >= 3 &&
        sent.slice(0, 3).every((p) => p.milestones.length > 0) &&
        (await h.pipeline.publishQueue.getDelayedCount()) >= 7
      );
    });
    expect(h.emulator.posts).toHaveLength(3);
    const firstWindow = await h.postsWithMilestones(milestones);
    expect(
      firstWindow
        .map((p) => p.milestones.map((m) => m.kind))
        .flat()
        .sort(),
    ).toEqual(['album', 'allTracks', 'artist'].sort());
    const pending = [...(await h.entries(milestones)).values()].filter((e) => e.state === 'pending');
    expect(pending).toHaveLength(7);

    await h.windowByWindow(clock, milestones, 3, HOUR);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = await h.postsWithMilestones(milestones);
    expect(posts).toHaveLength(10);
    const kinds = posts.map((p) => p.milestones[0]?.kind);
    expect(kinds.slice(3, 9).every((k) => k === 'track')).toBe(true);
    expect(kinds[9]).toBe('followers');
    // Each window held three posts (the last one the one left): none more, none early.
    expect(postsPerWindow(posts, Date.parse(dayAfter))).toEqual([3, 3, 3, 1]);
  });

  it('combines one album’s milestones into a thread, each part replying to the one before', async () => {
    const clock = new ManualClock(dayAfter);
    harness = await XHarness.start({ combineWindowMs: COMBINE_MS, clock: clock.now });
    const h = harness;
    const milestones = await h.announce();
    // Every milestone entered while the clock stood still, so the album's eight share one group; now it closes.
    clock.advance(COMBINE_MS);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = await h.postsWithMilestones(milestones);
    const albumPosts = posts.filter((p) => p.milestones.some((m) => albumKinds.has(m.kind)));
    expect(posts.length).toBeLessThan(10);
    expect(albumPosts.length).toBeGreaterThanOrEqual(2);
    expect(albumPosts.flatMap((p) => p.milestones)).toHaveLength(8);
    expect(albumPosts[0]?.replyTo).toBeNull();
    for (let i = 1; i < albumPosts.length; i += 1) expect(albumPosts[i]?.replyTo).toBe(albumPosts[i - 1]?.id);
    // Highest priority leads the thread: the album total, then all tracks, then the tracks.
    expect(albumPosts[0]?.milestones.map((m) => m.kind)).toContain('album');
    for (const post of posts) expect(isValidXText(post.text), post.text).toBe(true);
    // Artist and followers have no album: they went out on their own.
    expect(
      posts.filter((p) => p.milestones.some((m) => m.kind === 'artist' || m.kind === 'followers')),
    ).toHaveLength(2);
  });

  it('resumes a thread where it stopped, after a 503 and after the budget ran out mid-thread', async () => {
    const clock = new ManualClock(dayAfter);
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      dailyPosts: 2,
      budgetWindowMs: HOUR,
      recheckMs: RECHECK_MS,
      clock: clock.now,
    });
    const h = harness;
    h.emulator.failAt(1, { kind: 'unavailable' });
    const milestones = await h.announce();
    clock.advance(COMBINE_MS);
    await h.windowByWindow(clock, milestones, 2, HOUR);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    const posts = await h.postsWithMilestones(milestones);
    const thread = posts.filter((p) => p.milestones.some((m) => albumKinds.has(m.kind)));
    expect(thread.length).toBeGreaterThanOrEqual(3);
    expect(thread[0]?.replyTo).toBeNull();
    for (let i = 1; i < thread.length; i += 1) expect(thread[i]?.replyTo).toBe(thread[i - 1]?.id);
    // The album thread outranks artist and followers: the artist post may share only the thread's last window,
    // and followers come last.
    const artist = posts.find((p) => p.milestones.some((m) => m.kind === 'artist'));
    expect(artist?.at).toBeGreaterThanOrEqual(thread.at(-2)?.at ?? Infinity);
    expect(posts.at(-1)?.milestones.map((m) => m.kind)).toEqual(['followers']);
    // The 503 spent the first window's second slot: the thread went on in a later window.
    expect((thread.at(-1)?.at ?? 0) - (thread[0]?.at ?? 0)).toBeGreaterThanOrEqual(HOUR);
    expect(postsPerWindow(posts, Date.parse(dayAfter) + COMBINE_MS).every((n) => n <= 2)).toBe(true);
    expect(h.emulator.requests.some((r) => r.path === '/2/tweets' && r.status === 503)).toBe(true);
  });

  it('gives milestones below a per-kind minimum no X destination at all', async () => {
    harness = await XHarness.start({ minThresholds: { track: 50_000_000, followers: 20_000_000 } });
    const h = harness;
    const milestones = await h.announce();
    const big = milestones.filter((m) => m.kind !== 'track' && m.kind !== 'followers');
    expect(big.map((m) => m.kind).sort()).toEqual(['album', 'allTracks', 'artist']);
    h.expectPostedExactlyOnce(await h.settled(big));
    expect(h.emulator.posts).toHaveLength(3);
    for (const m of milestones.filter((x) => !big.includes(x))) {
      expect(await h.ledger.entries(m.id)).toEqual(new Map());
    }
  });

  it('gives up what waited longer than X_MAX_WAIT_HOURS for budget, recording why', async () => {
    const clock = new ManualClock(dayAfter);
    harness = await XHarness.start({
      dailyPosts: 1,
      budgetWindowMs: 24 * HOUR,
      maxWaitMs: 10 * HOUR,
      recheckMs: RECHECK_MS,
      clock: clock.now,
    });
    const h = harness;
    const milestones = await h.announce();
    await until('one post out (and recorded) and nine jobs waiting for budget', async () => {
      const sent = await h.postsWithMilestones(milestones);
      return (sent[0]?.milestones.length ?? 0) > 0 && (await h.pipeline.publishQueue.getDelayedCount()) >= 9;
    });
    // Within X_MAX_WAIT_HOURS the other nine wait.
    expect([...(await h.entries(milestones)).values()].filter((e) => e.state === 'pending')).toHaveLength(9);
    clock.advance(10 * HOUR + 1);
    const entries = await h.settled(milestones);
    const sent = [...entries].filter(([, e]) => e.state === 'sent');
    expect(sent.map(([id]) => id)).toEqual(['v/album:layover/100000000']);
    for (const [, entry] of entries) {
      if (entry.state === 'failed') expect(entry.reason).toMatch(/X_MAX_WAIT_HOURS/);
    }
    expect([...entries.values()].filter((e) => e.state === 'failed')).toHaveLength(9);
    expect(h.emulator.posts).toHaveLength(1);
  });

  it('follows the 24-hour limit headers: once X reports none left, nothing more is sent before the reset', async () => {
    harness = await XHarness.start({ emulatorDailyLimit: 2, publishConcurrency: 1 });
    const h = harness;
    const milestones = await h.announce();
    // Two posts go out; the other eight jobs then wait (delayed) for the reset the headers announced.
    await until('two posts out (and recorded) and eight jobs delayed', async () => {
      const sent = await h.postsWithMilestones(milestones);
      return (
        sent.length >= 2 &&
        sent.every((p) => p.milestones.length > 0) &&
        (await h.pipeline.publishQueue.getDelayedCount()) === 8
      );
    });
    expect(h.emulator.posts).toHaveLength(2);
    // The second success said "0 remaining": no request was spent on a 429.
    expect(h.emulator.requests.filter((r) => r.path === '/2/tweets').map((r) => r.status)).toEqual([
      201, 201,
    ]);
    const pending = [...(await h.entries(milestones)).values()].filter((e) => e.state === 'pending');
    expect(pending).toHaveLength(8);
  });

  it('after a 429 that exhausts the 24-hour limit, sends nothing before its reset and loses nothing', async () => {
    harness = await XHarness.start({ publishConcurrency: 1 });
    const h = harness;
    const resetS = Math.ceil(Date.now() / 1000) + 86_400;
    h.emulator.fail({
      kind: 'rateLimit',
      resetAt: Math.ceil(Date.now() / 1000) + 900,
      user24h: { limit: 17, remaining: 0, reset: resetS },
    });
    const milestones = await h.announce();
    await until('all ten jobs delayed after the 429', async () => {
      return (await h.pipeline.publishQueue.getDelayedCount()) === 10;
    });
    expect(h.emulator.posts).toHaveLength(0);
    expect(h.emulator.requests.filter((r) => r.path === '/2/tweets').map((r) => r.status)).toEqual([429]);
    const entries = [...(await h.entries(milestones)).values()];
    expect(entries.filter((e) => e.state === 'pending')).toHaveLength(10);
    const delayed = await h.pipeline.publishQueue.getDelayed();
    expect(delayed).toHaveLength(10);
    // Each job sleeps until the 24-hour reset, not the 15-minute window's.
    for (const job of delayed) expect(job.delay).toBeGreaterThanOrEqual(resetS * 1000 - Date.now() - 5000);
  });
});
