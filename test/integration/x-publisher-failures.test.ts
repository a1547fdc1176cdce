import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { XPublisher } from '../../src/platforms/x/x-publisher.js';
import { XCredentialsError } from '../../src/platforms/x/x-verify.js';
import { createLogger } from '../../src/logger.js';
import { renderPosts } from '../../src/posts/render-posts.js';
import { stateKeys } from '../../src/state/keys.js';
import { PostLedgerStore } from '../../src/state/post-ledger.store.js';
import { testRedis, uniquePrefix } from '../helpers/redis.js';
import { XEmulator } from '../helpers/x-emulator.js';
import { xCredentials, XHarness } from '../helpers/x-harness.js';

/** `layover start` as a second publisher process on the harness's prefix and emulator (its CA via a file). */
async function startPublisherProcess(h: XHarness): Promise<ChildProcess> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'layover-x-')), 'ca.pem');
  writeFileSync(caFile, h.emulator.ca);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: caFile,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: h.prefix,
      ROLES: 'publisher',
      PUBLISH_CONCURRENCY: '4',
      LOG_LEVEL: 'info',
      X_API_URL: h.emulator.url,
      X_APP_KEY: xCredentials.appKey,
      X_APP_SECRET: xCredentials.appSecret,
      X_ACCESS_TOKEN: xCredentials.accessToken,
      X_ACCESS_SECRET: xCredentials.accessSecret,
      X_COMBINE_WINDOW_SECONDS: '0',
      X_TIMEOUT_MS: '500',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`publisher process exited (${code}): ${stderr}`)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('ready')) resolve(child);
    });
  });
}

describe('X publisher against the HTTPS emulator: failures', () => {
  let harness: XHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('posts each milestone exactly once through a 429, a 503, a timeout and a lost response', async () => {
    harness = await XHarness.start();
    const h = harness;
    h.emulator.fail({ kind: 'rateLimit', resetAt: Math.ceil(Date.now() / 1000) + 1 });
    h.emulator.fail({ kind: 'unavailable' });
    h.emulator.fail({ kind: 'hang' });
    h.emulator.fail({ kind: 'acceptThenDrop' });
    h.emulator.fail({ kind: 'acceptThenDrop' });
    const milestones = await h.announce();
    expect(milestones).toHaveLength(10);
    const entries = await h.settled(milestones);
    h.expectPostedExactlyOnce(entries);
    expect(h.emulator.posts).toHaveLength(10);
    // The lost responses came back as duplicates on retry and were recorded as posted.
    expect([...entries.values()].filter((e) => e.state === 'sent' && e.duplicate === true)).toHaveLength(2);
    const statuses = h.emulator.requests.filter((r) => r.path === '/2/tweets').map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining([429, 503, 0, 403]));
  });

  it('pauses on a single 401 while posts already accepted stay recorded as sent', async () => {
    harness = await XHarness.start();
    const h = harness;
    h.emulator.fail({ kind: 'unauthorized' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    const sent = [...entries.values()].filter((e) => e.state === 'sent');
    const failed = [...entries.values()].filter((e) => e.state === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(sent.length + failed.length).toBe(10);
    expect(h.emulator.posts).toHaveLength(sent.length);
    expect((await h.publisher.pause())?.reason).toMatch(/401/);
    expect(h.notices).toHaveLength(1);
    expect(h.emulator.requests.every((r) => r.authProblems.length === 0)).toBe(true);
  });

  it('two processes publishing to one account still post each milestone exactly once', async () => {
    harness = await XHarness.start();
    const h = harness;
    const child = await startPublisherProcess(h);
    try {
      h.emulator.fail({ kind: 'unavailable' });
      h.emulator.fail({ kind: 'acceptThenDrop' });
      h.emulator.fail({ kind: 'hang' });
      h.emulator.fail({ kind: 'acceptThenDrop' });
      const milestones = await h.announce();
      const entries = await h.settled(milestones, 25_000);
      h.expectPostedExactlyOnce(entries);
      expect(h.emulator.posts).toHaveLength(10);
      expect(h.emulator.requests.filter((r) => r.path === '/2/users/me')).toHaveLength(2);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('records a duplicate-content 403 as already posted, matched on its detail', async () => {
    harness = await XHarness.start();
    const h = harness;
    h.emulator.fail({ kind: 'duplicate' });
    const milestones = await h.announce();
    const entries = await h.settled(milestones);
    const duplicates = [...entries.values()].filter((e) => e.state === 'sent' && e.duplicate === true);
    expect(duplicates).toHaveLength(1);
    expect(h.emulator.posts).toHaveLength(9);
    expect([...entries.values()].every((e) => e.state === 'sent')).toBe(true);
  });

  for (const failure of ['revoked', 'suspended', 'locked'] as const) {
    it(`pauses X when the account is ${failure}, tells the moderators once, sends nothing more, and a good start-up lifts it`, async () => {
      harness = await XHarness.start();
      const h = harness;
      h.emulator.setAccountState(failure);
      const milestones = await h.announce();
      const entries = await h.settled(milestones);
      expect(h.emulator.posts).toHaveLength(0);
      for (const entry of entries.values()) {
        expect(entry.state).toBe('failed');
        if (entry.state === 'failed')
          expect(entry.reason).toMatch(failure === 'revoked' ? /401/ : new RegExp(failure));
      }
      const pause = await h.publisher.pause();
      expect(pause?.reason).toMatch(failure === 'revoked' ? /401 Unauthorized/ : new RegExp(failure));
      expect(h.notices).toHaveLength(1);
      expect(h.notices[0]).toMatch(/X publishing is paused for @layovercharts/);
      // Only requests already in flight reached X (one per publish worker slot); later jobs saw the pause.
      const sent = h.emulator.requests.filter((r) => r.path === '/2/tweets').length;
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(XHarness.publishConcurrency);

      h.emulator.setAccountState('ok');
      const again = await XPublisher.connect({
        client: XHarness.client(h.emulator),
        redis: h.redis,
        prefix: h.prefix,
        ledger: h.ledger,
        render: renderPosts,
        notifier: { notify: () => Promise.resolve() },
        logger: createLogger('silent'),
        dailyPosts: 17,
        minThresholds: {},
        combineWindowMs: 0,
        maxWaitMs: 3_600_000,
      });
      expect(await again.pause()).toBeNull();
    });
  }
});

describe('X start-up verification', () => {
  it('says which settings to check when X refuses the credentials', async () => {
    const emulator = await XEmulator.start(xCredentials);
    const redis = testRedis();
    try {
      const attempt = XPublisher.connect({
        client: XHarness.client(emulator, { ...xCredentials, accessSecret: 'wrong' }),
        redis,
        prefix: uniquePrefix('x-verify'),
        ledger: new PostLedgerStore(redis, stateKeys('unused')),
        render: renderPosts,
        notifier: { notify: () => Promise.resolve() },
        logger: createLogger('silent'),
        dailyPosts: 17,
        minThresholds: {},
        combineWindowMs: 0,
        maxWaitMs: 3_600_000,
      });
      await expect(attempt).rejects.toThrow(XCredentialsError);
      await expect(attempt).rejects.toThrow(/X refused the credentials \(X answered 401.*X_ACCESS_SECRET/);
      expect(emulator.requests.map((r) => r.path)).toEqual(['/2/users/me']);
    } finally {
      redis.disconnect();
      await emulator.close();
    }
  });
});
