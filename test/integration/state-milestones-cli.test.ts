import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../src/cli/ingest-command.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import { stateKeys } from '../../src/state/keys.js';
import { MilestoneStore } from '../../src/state/milestone.store.js';
import { PostLedgerStore } from '../../src/state/post-ledger.store.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

/** Runs `tsx src/cli.ts <args>` as `npm run` would, against the test's prefix. */
function cli(args: string[], prefix: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      TRACKING_CONFIG: 'config/layover.json',
      LOG_LEVEL: 'info',
    },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Each test spawns the CLI a few times; tsx takes seconds to start on a busy machine. */
const SPAWNING = { timeout: 180_000 };

/** Waits for a condition by checking it every 20 ms (at most 10 s). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('npm run state, against the live state a running worker applied', () => {
  const prefix = uniquePrefix('state-cli');
  const dir = mkdtempSync(join(tmpdir(), 'layover-state-'));
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    TRACKING_CONFIG: 'config/layover.json',
    CI: '1',
  };
  const redis = testRedis();
  const keys = stateKeys(prefix);
  let pipeline: Pipeline;

  /** Ingests one snapshot of Blue and waits until the worker applied it. */
  async function ingestBlue(day: number, streams: number): Promise<void> {
    const capturedAt = `2023-10-${day}T23:00:00+09:00`;
    const path = join(dir, `day-${day}.jsonl`);
    writeFileSync(path, `${JSON.stringify({ capturedAt, tracks: { blue: streams } })}\n`);
    await ingestCommand([path], env);
    await until(
      `day ${day} is applied`,
      async () => (await redis.hget(keys.artistState('v'), 'lastAt')) === capturedAt,
    );
  }

  beforeAll(async () => {
    pipeline = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [layoverTracking()],
      publishers: [
        new RecordingPublisher('x', redis, `${prefix}:test:published`),
        new RecordingPublisher('discord', redis, `${prefix}:test:published`),
      ],
      logger: createLogger('silent'),
      runSnapshotWorker: true,
      runPublishWorker: true,
      snapshotConcurrency: 1,
      publishConcurrency: 2,
    });
    await ingestBlue(10, 5_000_000);
    await ingestBlue(11, 25_000_000);
  });

  afterAll(async () => {
    await pipeline.close(5000);
    redis.disconnect();
    await cleanupPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'shows every subject: reached threshold, value, previous value and decision, and the last applied time',
    SPAWNING,
    () => {
      const human = cli(['state', 'show', '--artist', 'v'], prefix);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(
        'artist v: last snapshot applied 2023-10-11T23:00:00+09:00 (the one before: 2023-10-10T23:00:00+09:00); ' +
          '1 subject(s); 0 snapshot(s) waiting to be applied',
      );
      expect(human.stdout).toMatch(
        /track:blue\s+20,000,000\s+25,000,000\s+5,000,000\s+2023-10-11T14:00:00\.000Z\s+announced/,
      );
      const json = cli(['state', 'show', '--artist', 'v', '--json'], prefix);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        artistId: 'v',
        lastAppliedAt: '2023-10-11T23:00:00+09:00',
        previousAppliedAt: '2023-10-10T23:00:00+09:00',
        waiting: 0,
        subjects: [
          {
            key: 'track:blue',
            reached: 20_000_000,
            value: 25_000_000,
            previousValue: 5_000_000,
            decision: 'announced',
            appliedAt: '2023-10-11T14:00:00.000Z',
          },
        ],
      });
    },
  );

  it(
    'refuses reset without --yes, and any action for an unknown artist, with exit 2 and nothing changed',
    SPAWNING,
    async () => {
      const noYes = cli(['state', 'reset', '--artist', 'v'], prefix);
      expect(noYes.code).toBe(2);
      expect(noYes.stderr).toMatch(/Nothing was changed; add --yes to reset/);
      for (const action of ['show', 'reset']) {
        const unknown = cli(['state', action, '--artist', 'jimin', '--yes'], prefix);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toMatch(/unknown artist "jimin": not in the tracking configs \(v\)/);
      }
      expect(cli(['state', 'show'], prefix).code).toBe(2);
      expect(await redis.hget(keys.artistState('v'), 'lastAt')).toBe('2023-10-11T23:00:00+09:00');
    },
  );

  it('resets with --yes: the next snapshot is a new baseline and announces nothing', SPAWNING, async () => {
    const reset = cli(['state', 'reset', '--artist', 'v', '--yes'], prefix);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/artist v: state deleted .*its next snapshot is a new baseline/);
    expect(await redis.exists(keys.artistState('v'))).toBe(0);
    expect(cli(['state', 'show', '--artist', 'v'], prefix).stdout).toContain('no stored state');
    // Without the reset, 45M after 20M would announce 40M.
    await ingestBlue(12, 45_000_000);
    const after = JSON.parse(cli(['state', 'show', '--artist', 'v', '--json'], prefix).stdout) as {
      subjects: { key: string; decision: string; reached: number }[];
    };
    expect(after.subjects).toEqual([
      expect.objectContaining({ key: 'track:blue', reached: 40_000_000, decision: 'baseline' }),
    ]);
    const milestones = cli(['milestones', '--json'], prefix);
    expect(milestones.code).toBe(0);
    const lines = milestones.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; destinations: unknown; posts: unknown });
    expect(lines.map((m) => m.id)).toEqual(['v/track:blue/20000000']);
    expect(lines[0]?.posts).toEqual({
      x: 'v/track:blue/20000000 @ x',
      discord: 'v/track:blue/20000000 @ discord',
    });
    expect(lines[0]?.destinations).toEqual({
      'discord:rec': expect.objectContaining({
        state: 'sent',
        platformId: expect.stringMatching(/^rec-/) as string,
      }) as object,
      'x:rec': expect.objectContaining({
        state: 'sent',
        platformId: expect.stringMatching(/^rec-/) as string,
      }) as object,
    });
  });
});

describe('npm run milestones', () => {
  const prefix = uniquePrefix('milestones-cli');
  const redis = testRedis();
  const keys = stateKeys(prefix);

  const milestone = (over: Partial<Milestone> & Pick<Milestone, 'id' | 'observedAt'>): Milestone => ({
    videoId: null,
    artistId: 'v',
    kind: 'track',
    albumId: 'layover',
    trackId: 'blue',
    threshold: 50_000_000,
    value: 50_100_000,
    daysSinceRelease: 72,
    lastTrackId: null,
    record: null,
    ...over,
  });
  const album = milestone({
    id: 'v/album:layover/500000000',
    kind: 'album',
    trackId: null,
    threshold: 500_000_000,
    value: 503_000_000,
    daysSinceRelease: 33,
    observedAt: '2023-10-11T23:00:00+09:00',
    record: {
      title: 'fastest K-pop solo album to 500 million Spotify streams',
      holder: 'FACE',
      previousDays: 58,
    },
  });
  const blue = milestone({ id: 'v/track:blue/50000000', observedAt: '2023-11-18T23:00:00+09:00' });
  const other = milestone({
    id: 'rm/artist/1000000000',
    artistId: 'rm',
    kind: 'artist',
    albumId: null,
    trackId: null,
    threshold: 1_000_000_000,
    value: 1_000_500_000,
    daysSinceRelease: null,
    observedAt: '2023-10-20T23:00:00+09:00',
  });

  beforeAll(async () => {
    const store = new MilestoneStore(redis, keys);
    const ledger = new PostLedgerStore(redis, keys);
    // Recorded newest first: the listing must still be oldest first.
    await store.record([
      {
        milestone: blue,
        destinations: ['x:main', 'discord:123', 'discord:456'],
        observedAtMs: Date.parse(blue.observedAt),
      },
      { milestone: other, destinations: ['discord:123'], observedAtMs: Date.parse(other.observedAt) },
      {
        milestone: album,
        destinations: ['x:main', 'discord:123'],
        observedAtMs: Date.parse(album.observedAt),
      },
    ]);
    await ledger.markSent(album.id, 'x:main', { platformId: '1717', text: 'Layover just crossed 500M' });
    await ledger.markFailed(album.id, 'discord:123', 'Missing Access (50001)');
    await ledger.markSent(blue.id, 'discord:456', { platformId: '99', text: 'Blue 50M' });
    // A state this command has no special case for still shows, with its reason.
    await redis.hset(
      keys.ledger(blue.id),
      'x:main',
      JSON.stringify({
        state: 'skipped',
        reason: 'stale data: observed 80 hours before publishing',
        createdAt: 'a',
        updatedAt: 'b',
      }),
    );
  });

  afterAll(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it(
    'writes one JSON object per milestone, oldest first, with posts and every destination state',
    SPAWNING,
    () => {
      const { code, stdout, stderr } = cli(['milestones', '--json'], prefix);
      expect(code).toBe(0);
      expect(stderr).toContain('3 milestone(s) announced');
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.id)).toEqual([album.id, other.id, blue.id]);
      expect(lines[0]).toEqual({
        ...album,
        posts: { x: 'Layover just crossed 500M', discord: null },
        destinations: {
          'discord:123': {
            state: 'failed',
            reason: 'Missing Access (50001)',
            at: expect.any(String) as string,
          },
          'x:main': { state: 'sent', platformId: '1717', at: expect.any(String) as string },
        },
      });
      expect(lines[2]).toMatchObject({
        posts: { x: null, discord: 'Blue 50M' },
        destinations: {
          'discord:123': { state: 'waiting' },
          'discord:456': { state: 'sent', platformId: '99' },
          'x:main': { state: 'skipped', reason: 'stale data: observed 80 hours before publishing', at: 'b' },
        },
      });
    },
  );

  it('lists one artist with --artist, readably, with reasons under the milestone', SPAWNING, () => {
    const { code, stdout } = cli(['milestones', '--artist', 'v'], prefix);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      '2023-10-11T23:00:00+09:00  v  album layover 500,000,000 (value 503,000,000, day 33, record: fastest K-pop ' +
        'solo album to 500 million Spotify streams)  discord:123 failed · x:main sent',
      '    discord:123 failed: Missing Access (50001)',
      '2023-11-18T23:00:00+09:00  v  track blue 50,000,000 (value 50,100,000, day 72)  discord:123 waiting · ' +
        'discord:456 sent · x:main skipped',
      '    x:main skipped: stale data: observed 80 hours before publishing',
      '',
    ]);
  });

  it('refuses a malformed artist id with exit 2', SPAWNING, () => {
    expect(cli(['milestones', '--artist', 'V!'], prefix).code).toBe(2);
  });
});
