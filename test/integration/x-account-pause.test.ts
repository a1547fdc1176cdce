import { afterEach, describe, expect, it } from 'vitest';
import { XPublisher } from '../../src/platforms/x/x-publisher.js';
import { XCredentialsError } from '../../src/platforms/x/x-verify.js';
import { testRedis, uniquePrefix } from '../helpers/redis.js';
import { XEmulator, type AccountState } from '../../emulators/x-emulator.js';
import { xCredentials, XHarness } from '../helpers/x-harness.js';

type AccountProblem = Exclude<AccountState, 'ok'> | 'readOnly';

/** What the pause reason says for each account problem. */
const reasons: Record<AccountProblem, RegExp> = {
  revoked: /401 Unauthorized/,
  suspended: /suspended/,
  locked: /locked/,
  noCredits: /402 Payment Required.*credits/,
  clientForbidden: /403 Client Forbidden.*Project/,
  readOnly: /oauth1 app permissions.*Read and write.*regenerate.*X_ACCESS_TOKEN/,
};

function breakAccount(emulator: XEmulator, problem: AccountProblem): void {
  if (problem === 'readOnly') emulator.setAccessLevel('read');
  else emulator.setAccountState(problem);
}

function fixAccount(emulator: XEmulator): void {
  emulator.setAccessLevel('read-write');
  emulator.setAccountState('ok');
}

describe('X account problems pause X publishing; the milestones wait and go out once it is fixed', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  for (const problem of Object.keys(reasons) as AccountProblem[]) {
    it(`${problem}: pauses, tells the moderators once, sends nothing more, keeps every milestone waiting, and posts them all after a good start-up`, async () => {
      // Requests refused while the pause spreads still count against the budget: leave room for them.
      harness = await XHarness.start({ dailyPosts: 40 });
      const h = harness;
      breakAccount(h.emulator, problem);
      const milestones = await h.announce();
      await h.waitFor('the X pause', async () => (await h.publisher.pause()) !== null);
      await h.publishJobsIdle();
      expect((await h.publisher.pause())?.reason).toMatch(reasons[problem]);
      expect(h.emulator.posts).toHaveLength(0);
      const waiting = [...(await h.entries(milestones)).values()];
      expect(waiting.map((e) => e.state)).toEqual(milestones.map(() => 'pending'));
      expect(h.notices).toHaveLength(1);
      expect(h.notices[0]).toMatch(/X publishing is paused for @layovercharts/);
      // Only requests already in flight reached X (one per publish worker slot); later jobs saw the pause.
      const sent = h.emulator.requestsTo('POST', /^\/2\/tweets$/).length;
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(XHarness.publishConcurrency);

      fixAccount(h.emulator);
      await h.restartPublisher();
      expect(await h.publisher.pause()).toBeNull();
      const entries = await h.settled(milestones);
      h.expectPostedExactlyOnce(entries);
      expect(h.emulator.posts).toHaveLength(10);
      expect(h.notices).toHaveLength(1);
      expect(h.emulator.requests.every((r) => r.authProblems.length === 0)).toBe(true);
    });
  }

  it('a 402 in the middle of a run: posts already accepted stay sent, the rest wait, and none is lost', async () => {
    harness = await XHarness.start({ publishConcurrency: 1 });
    const h = harness;
    h.emulator.failAt(4, { kind: 'noCredits' });
    const milestones = await h.announce();
    await h.waitFor('the X pause', async () => (await h.publisher.pause()) !== null);
    await h.publishJobsIdle();
    const states = [...(await h.entries(milestones)).values()].map((e) => e.state);
    expect(states.filter((s) => s === 'sent')).toHaveLength(4);
    expect(states.filter((s) => s === 'pending')).toHaveLength(6);
    expect(h.notices).toHaveLength(1);
    await h.restartPublisher();
    h.expectPostedExactlyOnce(await h.settled(milestones));
    expect(h.emulator.posts).toHaveLength(10);
  });

  it('a milestone still paused after X_MAX_WAIT_HOURS is given up with the reason', async () => {
    harness = await XHarness.start({ maxWaitMs: 1500, recheckMs: 300 });
    const h = harness;
    h.emulator.setAccountState('noCredits');
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    for (const entry of entries.values()) {
      expect(entry.state).toBe('failed');
      if (entry.state === 'failed') expect(entry.reason).toMatch(/paused past X_MAX_WAIT_HOURS.*402/);
    }
    expect(h.notices).toHaveLength(1);
  });
});

describe('X start-up verification', () => {
  async function connect(emulator: XEmulator, credentials = xCredentials): Promise<XPublisher> {
    const redis = testRedis();
    try {
      return await XPublisher.connect(
        XHarness.publisherOptions({ emulator, redis, prefix: uniquePrefix('x-verify'), credentials }),
      );
    } finally {
      redis.disconnect();
    }
  }

  it('says which settings to check when X refuses the credentials', async () => {
    const emulator = await XEmulator.start(xCredentials);
    try {
      const attempt = connect(emulator, { ...xCredentials, accessSecret: 'wrong' });
      await expect(attempt).rejects.toThrow(XCredentialsError);
      await expect(attempt).rejects.toThrow(/X refused the credentials \(X answered 401.*X_ACCESS_SECRET/);
      expect(emulator.requests.map((r) => r.path)).toEqual(['/2/users/me']);
    } finally {
      await emulator.close();
    }
  });

  it('refuses a read-only token (x-access-level: read), saying what to regenerate, before anything is posted', async () => {
    const emulator = await XEmulator.start(xCredentials);
    try {
      emulator.setAccessLevel('read');
      const attempt = connect(emulator);
      await expect(attempt).rejects.toThrow(XCredentialsError);
      await expect(attempt).rejects.toThrow(
        /read-only \(X answered x-access-level: read for @layovercharts\).*"Read and write".*regenerate the Access Token and Secret.*X_ACCESS_TOKEN and X_ACCESS_SECRET/,
      );
      expect(emulator.requests.map((r) => r.path)).toEqual(['/2/users/me']);
      emulator.setAccessLevel('read-write');
      await expect(connect(emulator)).resolves.toBeInstanceOf(XPublisher);
    } finally {
      await emulator.close();
    }
  });
});
