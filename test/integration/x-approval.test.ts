import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ApprovalDecision,
  ApprovalDraft,
  ApprovalGate,
  NotPosted,
} from '../../src/platforms/approval-gate.js';
import { until } from '../helpers/until.js';
import { XHarness } from '../helpers/x-harness.js';

/** Stands in for the moderators' channel (the Discord side implements the real gate): decisions set by the test. */
class ScriptedApprovals implements ApprovalGate {
  readonly drafts = new Map<string, ApprovalDraft>();
  readonly decisions = new Map<string, ApprovalDecision>();
  /** How many times each draft was put to the gate. */
  readonly reviews = new Map<string, number>();
  review(draft: ApprovalDraft): Promise<ApprovalDecision> {
    this.drafts.set(draft.key, draft);
    this.reviews.set(draft.key, (this.reviews.get(draft.key) ?? 0) + 1);
    return Promise.resolve(this.decisions.get(draft.key) ?? { state: 'pending' });
  }
  /** Drafts the X side said it will never post (replaced, withdrawn, given up), and why. */
  readonly notPostedDrafts = new Map<string, NotPosted>();
  notPosted(key: string, why: NotPosted): Promise<void> {
    this.notPostedDrafts.set(key, why);
    return Promise.resolve();
  }
}

describe('X approval (X_APPROVAL=discord) against the HTTPS emulator', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('posts nothing until approved, posts an edited text as edited, and skips what a moderator skips', async () => {
    const gate = new ScriptedApprovals();
    harness = await XHarness.start({ combineWindowMs: 200, approval: gate });
    const h = harness;
    const milestones = await h.announce();
    await until('three drafts put to the moderators', () => gate.drafts.size >= 3);
    // Every draft looked at again while still pending, and nothing posted meanwhile.
    await until('every draft reviewed twice', () => [...gate.reviews.values()].every((n) => n >= 2));
    expect(h.emulator.posts).toHaveLength(0);
    // Three groups asked: the album's thread (its first part), the artist, the followers.
    const keys = [...gate.drafts.keys()];
    const albumFirst = keys.find((k) => k.endsWith('#0') && gate.drafts.get(k)?.milestoneIds.length !== 1);
    const artist = keys.find((k) => gate.drafts.get(k)?.milestoneIds.some((id) => id.includes('/artist/')));
    const followers = keys.find((k) =>
      gate.drafts.get(k)?.milestoneIds.some((id) => id.includes('/followers/')),
    );
    expect([albumFirst, artist, followers].every((k) => k !== undefined)).toBe(true);

    const edited = 'Layover passed 100 million streams on Spotify 💜 (edited by a moderator) #V';
    gate.decisions.set(albumFirst!, { state: 'approved', text: edited });
    gate.decisions.set(followers!, { state: 'skipped' });
    gate.decisions.set(artist!, { state: 'approved' });
    // Approve the rest of the album thread as it comes up.
    for (let waited = 0; waited < 15_000; waited += 100) {
      for (const key of gate.drafts.keys())
        if (!gate.decisions.has(key)) gate.decisions.set(key, { state: 'approved' });
      const entries = await h.entries(milestones);
      if ([...entries.values()].every((e) => e.state !== 'pending')) break;
      await sleep(100);
    }
    const entries = await h.settled(milestones);
    const followersEntry = [...entries].find(([id]) => id.includes('/followers/'))?.[1];
    expect(followersEntry).toMatchObject({ state: 'failed', reason: 'skipped by a moderator' });
    const posted = new Map([...entries].filter(([id]) => !id.includes('/followers/')));
    h.expectPostedExactlyOnce(posted);
    expect(h.emulator.posts.map((p) => p.text)).toContain(edited);
    const albumEntries = gate.drafts.get(albumFirst!)!.milestoneIds.map((id) => entries.get(id));
    for (const entry of albumEntries) expect(entry).toMatchObject({ state: 'sent', text: edited });
    // Nothing was held back or given up, so no plan was made again and no draft settled as not posted.
    expect(gate.notPostedDrafts.size).toBe(0);
  });
});
