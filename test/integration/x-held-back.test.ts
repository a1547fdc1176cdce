import { afterEach, describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/milestones/types.js';
import { fitXText } from '../../src/platforms/x/x-text.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { subjectIdOf } from '../../src/state/publish-order.store.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';
import { XHarness } from '../helpers/x-harness.js';
import { day2, day3, twoDays } from '../helpers/x-two-days.js';

const HOUR = 3_600_000;
const COMBINE_MS = 300;
const RECHECK_MS = 300;
const tracking = layoverTracking();

/** A milestone's X text as it would stand in a post, without its hashtags (a combined post says those once). */
function bodyOf(milestone: Milestone): string {
  return fitXText(renderPosts(milestone, tracking).x)
    .replace(/(\s*#[^\s#]+)+\s*$/u, '')
    .trim();
}

describe('X: a combined post or thread never carries a milestone the publishing rules hold back', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('leaves superseded milestones out of the thread of their album', async () => {
    const clock = new ManualClock('2023-10-04T00:00:00Z');
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      clock: clock.now,
      publishRules: { announceMaxAgeMs: Number.POSITIVE_INFINITY, supersede: true },
    });
    const h = harness;
    // The clock stands still while both days are announced: every milestone joins the album's one group.
    const milestones = await h.feed(twoDays());
    clock.advance(COMBINE_MS);
    const entries = await h.settled(milestones);

    const later = milestones.filter((m) => m.observedAt === day3);
    const superseded = milestones.filter(
      (m) => m.observedAt === day2 && later.some((l) => subjectIdOf(l.id) === subjectIdOf(m.id)),
    );
    expect(superseded.length).toBeGreaterThanOrEqual(2);
    for (const m of superseded) {
      const higher = later.find((l) => subjectIdOf(l.id) === subjectIdOf(m.id));
      expect(entries.get(m.id), m.id).toMatchObject({ state: 'superseded', supersededBy: higher?.id });
    }
    const rest = new Map([...entries].filter(([id]) => !superseded.some((m) => m.id === id)));
    h.expectPostedExactlyOnce(rest);
    const posts = h.emulator.posts;
    for (const m of superseded) {
      const body = bodyOf(m);
      expect(
        posts.filter((p) => p.text.includes(body)).map((p) => p.text),
        `${m.id} is on X`,
      ).toEqual([]);
    }
    // One thread, its chain unbroken.
    for (let i = 1; i < posts.length; i += 1) expect(posts[i]?.replyTo).toBe(posts[i - 1]?.id);
  });

  it('plans the rest of a thread again without the milestones that went stale while it waited for budget', async () => {
    // An hour after the day-3 snapshot: both days are fresh under a 48-hour limit.
    const clock = new ManualClock(Date.parse(day3) + HOUR);
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      dailyPosts: 1,
      budgetWindowMs: HOUR,
      recheckMs: RECHECK_MS,
      clock: clock.now,
      publishRules: { announceMaxAgeMs: 48 * HOUR, supersede: false },
    });
    const h = harness;
    const milestones = await h.feed(twoDays());
    const older = milestones.filter((m) => m.observedAt === day2);
    const newer = milestones.filter((m) => m.observedAt === day3);
    expect(older.length).toBeGreaterThanOrEqual(3);
    expect(newer.length).toBeGreaterThanOrEqual(1);
    clock.advance(COMBINE_MS);
    // The first post of the thread (the oldest news first) spends the window.
    const firstText = await until('the first post of the thread', () => h.emulator.posts[0]?.text);
    const inFirst = milestones.filter((m) => firstText.includes(bodyOf(m)));
    expect(inFirst.length).toBeGreaterThan(0);
    expect(inFirst.every((m) => m.observedAt === day2)).toBe(true);
    const postedFirst = new Set(inFirst.map((m) => m.id));
    await until('the first window spent', async () => (await h.publisher.usage()).posts >= 1);
    // 30 hours on: day 2 is now 55 hours old (stale), day 3 is 31 hours old (fresh).
    clock.advance(30 * HOUR);
    await h.windowByWindow(clock, milestones, 1, HOUR);
    const entries = await h.settled(milestones);
    const stale = older.filter((m) => !postedFirst.has(m.id));
    expect(stale.length).toBeGreaterThanOrEqual(1);
    for (const m of stale) {
      const entry = entries.get(m.id);
      expect(entry?.state, m.id).toBe('skipped');
      expect(entry?.state === 'skipped' ? entry.reason : '').toMatch(
        /^stale data: observed 5\d(\.\d)? h before it would be posted/,
      );
    }
    const rest = new Map([...entries].filter(([id]) => !stale.some((m) => m.id === id)));
    h.expectPostedExactlyOnce(rest);
    const posts = h.emulator.posts;
    for (const m of stale) {
      const body = bodyOf(m);
      expect(
        posts.filter((p) => p.text.includes(body)).map((p) => p.text),
        `${m.id} is on X`,
      ).toEqual([]);
    }
    // Every fresh milestone went out, in one thread whose chain the new plan kept.
    for (const m of newer) expect(entries.get(m.id)?.state, m.id).toBe('sent');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < posts.length; i += 1) expect(posts[i]?.replyTo).toBe(posts[i - 1]?.id);
  });

  it('leaves out a milestone the ledger already records failed for X (its job gave up)', async () => {
    const clock = new ManualClock('2023-10-04T00:00:00Z');
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      clock: clock.now,
      publishRules: { announceMaxAgeMs: Number.POSITIVE_INFINITY, supersede: false },
    });
    const h = harness;
    // The clock stands still while both days are announced: every milestone joins the album's one group, and
    // nothing is posted before the combine window closes.
    const milestones = await h.feed(twoDays());
    const failed = milestones.find((m) => m.observedAt === day2 && m.kind === 'track');
    expect(failed).toBeDefined();
    const reason = 'gave up after 8 attempts: X answered 503';
    await h.ledger.markFailed(failed!.id, h.publisher.destination, reason);
    clock.advance(COMBINE_MS);
    const entries = await h.settled(milestones);

    expect(entries.get(failed!.id)).toMatchObject({ state: 'failed', reason });
    const rest = new Map([...entries].filter(([id]) => id !== failed!.id));
    expect(rest.size).toBeGreaterThanOrEqual(3);
    h.expectPostedExactlyOnce(rest);
    const posts = h.emulator.posts;
    expect(
      posts.filter((p) => p.text.includes(bodyOf(failed!))).map((p) => p.text),
      `${failed!.id} is on X`,
    ).toEqual([]);
    for (let i = 1; i < posts.length; i += 1) expect(posts[i]?.replyTo).toBe(posts[i - 1]?.id);
  });
});
