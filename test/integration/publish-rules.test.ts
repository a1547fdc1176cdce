import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { publishQueue } from '../../src/jobs/contracts.js';
import { startPipeline, type Pipeline, type PipelineOptions } from '../../src/jobs/pipeline.js';
import { liveRules, postEverything } from '../../src/jobs/publish-rules.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import type {
  DestinationKey,
  PublishReceipt,
  PublishRequest,
  Publisher,
} from '../../src/platforms/publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { runReplay } from '../../src/replay/run-replay.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { MilestoneStore } from '../../src/state/milestone.store.js';
import type { LedgerEntry } from '../../src/state/post-ledger.store.js';
import { admitRawSnapshots } from '../../src/snapshots/admit-snapshots.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { seededRandom } from '../helpers/random.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const HOUR = 3_600_000;
const logger = createLogger('silent');

/** A platform that keeps, in order, the milestone ids it accepted; optionally slow by a random few ms. */
class LoggingPublisher implements Publisher {
  readonly posted: string[] = [];
  constructor(
    readonly platform: string,
    private readonly delayMs: () => number = () => 0,
  ) {}
  destinationsFor(_milestone: Milestone): Promise<DestinationKey[]> {
    return Promise.resolve([`${this.platform}:main`]);
  }
  async publish(request: PublishRequest): Promise<PublishReceipt> {
    const delay = this.delayMs();
    if (delay > 0) await sleep(delay);
    this.posted.push(request.milestone.id);
    return { platformId: `${this.platform}-${this.posted.length}`, text: request.milestone.id };
  }
}

const pipelines: Pipeline[] = [];
let prefix = '';

afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.close(2000)));
  await cleanupPrefix(prefix);
});

async function start(publishers: readonly Publisher[], options: Partial<PipelineOptions>): Promise<Pipeline> {
  const pipeline = await startPipeline({
    redisUrl: TEST_REDIS_URL,
    prefix,
    trackings: [tracking],
    publishers,
    logger,
    runSnapshotWorker: false,
    runPublishWorker: false,
    snapshotConcurrency: 1,
    publishConcurrency: 8,
    stalledSweepMs: 0,
    ...options,
  });
  pipelines.push(pipeline);
  return pipeline;
}

/**
 * Applies `snapshots` one at a time, in order, with no publish worker: every milestone waits, pending. With
 * `backfill`, through the entrance's backfill flag (what `ingest --backfill` sets).
 */
async function recordOnly(
  publishers: readonly Publisher[],
  snapshots: readonly Snapshot[],
  backfill = false,
  publishJobOptions?: PipelineOptions['publishJobOptions'],
): Promise<string[]> {
  const ids: string[] = [];
  const pipeline = await start(publishers, {
    runSnapshotWorker: true,
    ...(publishJobOptions === undefined ? {} : { publishJobOptions }),
    onApplied: (result) => ids.push(...result.milestoneIds),
  });
  for (const [i, data] of snapshots.entries()) {
    const [jobId] = await enqueueRaw(pipeline, [data], { jobIds: [`s-${i}`], attempts: 1, backfill });
    const job = await pipeline.snapshotQueue.getJob(jobId!);
    while (!(await job!.isCompleted())) {
      if (await job!.isFailed()) throw new Error(`snapshot ${i} failed`);
      await sleep(10);
    }
  }
  return ids;
}

/** Waits until every (milestone, destination) has a final ledger entry, and returns the entries. */
async function settled(
  pipeline: Pipeline,
  ids: readonly string[],
  destination: string,
): Promise<Map<string, LedgerEntry>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const entries = new Map<string, LedgerEntry>();
    for (const id of ids) {
      const entry = await pipeline.ledger.get(id, destination);
      if (entry !== null && entry.state !== 'pending') entries.set(id, entry);
    }
    if (entries.size === ids.length) return entries;
    if (Date.now() > deadline) throw new Error(`only ${entries.size} of ${ids.length} settled`);
    await sleep(20);
  }
}

/** `ids` in the order posts to one destination must go out: observedAt, then threshold, then id. */
async function inPublishOrder(pipeline: Pipeline, ids: readonly string[]): Promise<string[]> {
  const milestones = (await Promise.all(ids.map((id) => pipeline.milestones.get(id)))).map((m) => m!);
  return milestones
    .sort(
      (a, b) =>
        Date.parse(a.observedAt) - Date.parse(b.observedAt) ||
        a.threshold - b.threshold ||
        (a.id < b.id ? -1 : 1),
    )
    .map((m) => m.id);
}

const at = (ms: number) => new Date(ms).toISOString();

/** Every track at `each`, so the album total is 6 × each and the all-tracks floor is `each`. */
const everyTrack = (each: number) => Object.fromEntries(trackIds.map((id) => [id, each]));

describe('publishing rules', () => {
  it('skips a milestone observed 49 h before the (injected) clock and posts one observed 47 h before', async () => {
    prefix = uniquePrefix('fresh');
    const now = Date.parse('2023-10-24T12:00:00Z');
    const x = new LoggingPublisher('x');
    const ids = await recordOnly(
      [x],
      [
        { capturedAt: at(now - 72 * HOUR), tracks: {}, artistStreams: 1_400_000_000, followers: 15_500_000 },
        { capturedAt: at(now - 49 * HOUR), tracks: {}, artistStreams: 1_510_000_000, followers: 15_600_000 },
        { capturedAt: at(now - 47 * HOUR), tracks: {}, artistStreams: 1_520_000_000, followers: 16_100_000 },
      ],
    );
    expect(ids).toEqual(['v/artist/1500000000', 'v/followers/16000000']);
    const publisher = await start([x], {
      runPublishWorker: true,
      publishRules: liveRules(48),
      now: () => now,
    });
    const entries = await settled(publisher, ids, 'x:main');
    expect(entries.get('v/artist/1500000000')).toMatchObject({
      state: 'skipped',
      reason: 'stale data: observed 49 h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=48)',
    });
    expect(entries.get('v/followers/16000000')).toMatchObject({ state: 'sent' });
    expect(x.posted).toEqual(['v/followers/16000000']);
  });

  it('posts only the highest of one subject’s milestones waiting for a destination; the others are superseded by it', async () => {
    prefix = uniquePrefix('supersede');
    const start0 = Date.parse('2024-04-01T00:00:00Z');
    const x = new LoggingPublisher('x');
    const ids = await recordOnly(
      [x],
      [
        { capturedAt: at(start0), tracks: everyTrack(181_000_000) }, // album 1.086B: baseline
        { capturedAt: at(start0 + HOUR), tracks: everyTrack(192_000_000) }, // 1.152B: album 1.15B
        { capturedAt: at(start0 + 2 * HOUR), tracks: everyTrack(201_000_000) }, // 1.206B: album 1.2B
      ],
    );
    expect(ids).toContain('v/album:layover/1150000000');
    expect(ids).toContain('v/album:layover/1200000000');
    const publisher = await start([x], {
      runPublishWorker: true,
      publishRules: liveRules(48),
      now: () => start0 + 3 * HOUR,
    });
    const entries = await settled(publisher, ids, 'x:main');
    expect(entries.get('v/album:layover/1150000000')).toMatchObject({
      state: 'superseded',
      supersededBy: 'v/album:layover/1200000000',
    });
    expect(entries.get('v/album:layover/1200000000')).toMatchObject({ state: 'sent' });
    // The all-tracks floor passed 190M then 200M: the same rule.
    expect(entries.get('v/allTracks:layover/190000000')).toMatchObject({
      state: 'superseded',
      supersededBy: 'v/allTracks:layover/200000000',
    });
    expect(x.posted).toContain('v/album:layover/1200000000');
    expect(x.posted).not.toContain('v/album:layover/1150000000');
    expect(x.posted).not.toContain('v/allTracks:layover/190000000');
    // Exactly the milestones not superseded went out, each once.
    const notSuperseded = ids.filter((id) => entries.get(id)?.state !== 'superseded');
    expect([...x.posted].sort()).toEqual([...notSuperseded].sort());
  });

  it('posts to one destination oldest first (observedAt, then threshold) with publish concurrency 8', async () => {
    prefix = uniquePrefix('order');
    const random = seededRandom(11);
    const x = new LoggingPublisher('x', () => Math.floor(random() * 12));
    const history = randomHistory(tracking, 14, 5);
    const ids = await recordOnly([x], history);
    expect(ids.length).toBeGreaterThan(15);
    const publisher = await start([x], {
      runPublishWorker: true,
      publishConcurrency: 8,
      publishRules: postEverything,
    });
    await settled(publisher, ids, 'x:main');
    const expected = await inPublishOrder(publisher, ids);
    expect(x.posted).toEqual(expected);
  });

  it('an older post that fails holds the newer ones back and is retried on its own backoff only, then all go out in order, once', async () => {
    prefix = uniquePrefix('hold');
    const history = randomHistory(tracking, 12, 4);
    let victim = '';
    const tries: number[] = [];
    const attempts: number[] = [];
    class FlakyPublisher extends LoggingPublisher {
      override async publish(request: PublishRequest): Promise<PublishReceipt> {
        if (request.milestone.id === victim) {
          tries.push(Date.now());
          attempts.push(request.attempt);
          if (tries.length <= 2) throw new Error('socket hang up');
        }
        return super.publish(request);
      }
    }
    const x = new FlakyPublisher('x', () => 2);
    const backoffMs = 400;
    const ids = await recordOnly([x], history, false, {
      attempts: 5,
      backoff: { type: 'fixed', delay: backoffMs },
    });
    expect(ids.length).toBeGreaterThan(10);
    const expected = await inPublishOrder(pipelines[0]!, ids);
    victim = expected[0]!;
    const publisher = await start([x], {
      runPublishWorker: true,
      publishConcurrency: 8,
      publishRules: postEverything,
    });
    const entries = await settled(publisher, ids, 'x:main');
    expect([...entries.values()].every((e) => e.state === 'sent')).toBe(true);
    // Nothing overtook the failing post, and each milestone went out once.
    expect(x.posted).toEqual(expected);
    // Tried three times in all (two failures, then the post): the waiting jobs did not hammer it, and its own
    // retry came no sooner than its backoff.
    expect(tries).toHaveLength(3);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(backoffMs - 50);
    // Whoever made each try, the publisher was told when an earlier one may have reached the platform.
    expect(attempts[0]).toBe(1);
    expect(attempts.slice(1).every((n) => n >= 2)).toBe(true);
  });

  it('does not wait for an older milestone whose publish job is gone', async () => {
    prefix = uniquePrefix('orphan');
    const start0 = Date.parse('2024-04-01T00:00:00Z');
    const x = new LoggingPublisher('x');
    const ids = await recordOnly(
      [x],
      [
        { capturedAt: at(start0), tracks: {}, artistStreams: 1_400_000_000, followers: 15_500_000 },
        { capturedAt: at(start0 + HOUR), tracks: {}, artistStreams: 1_510_000_000, followers: 15_600_000 },
        {
          capturedAt: at(start0 + 2 * HOUR),
          tracks: {},
          artistStreams: 1_520_000_000,
          followers: 16_100_000,
        },
      ],
    );
    const [older, newer] = ids as [string, string];
    // The older milestone's job is removed (an operator cleaned the queue): it stays pending, with no job.
    const recorder = pipelines[0]!;
    const removed = await recorder.publishQueue.remove(`p~${older}|x~main`);
    expect(removed).toBe(1);
    const publisher = await start([x], { runPublishWorker: true });
    const entries = await settled(publisher, [newer], 'x:main');
    expect(entries.get(newer)).toMatchObject({ state: 'sent' });
    expect(await publisher.ledger.get(older, 'x:main')).toMatchObject({ state: 'pending' });
  });

  it('a backfilled history records its milestones, every destination skipped ("backfill"), and posts nothing', async () => {
    prefix = uniquePrefix('backfill-pipeline');
    const x = new LoggingPublisher('x');
    const discord = new LoggingPublisher('discord');
    const history = randomHistory(tracking, 10, 3);
    const ids = await recordOnly([x, discord], history, true);
    expect(ids.length).toBeGreaterThan(5);
    const pipeline = pipelines[0]!;
    for (const id of ids) {
      const entries = await pipeline.ledger.entries(id);
      expect(entries.get('x:main')).toMatchObject({ state: 'skipped', reason: 'backfill' });
      expect(entries.get('discord:main')).toMatchObject({ state: 'skipped', reason: 'backfill' });
    }
    expect(await pipeline.publishQueue.count()).toBe(0);
    // A publish worker started afterwards finds nothing to post.
    await start([x, discord], { runPublishWorker: true });
    expect(await pipeline.publishQueue.getJobCounts('waiting', 'delayed', 'active', 'completed')).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
    });
    expect([...x.posted, ...discord.posted]).toEqual([]);
  });

  it('backfill records milestones with every destination skipped ("backfill") and queues nothing to post', async () => {
    prefix = uniquePrefix('backfill');
    const x = new LoggingPublisher('x');
    const pipeline = await start([x], { runPublishWorker: true });
    const store = new MilestoneStore(pipeline.redis, pipeline.keys);
    const milestone: Milestone = {
      id: 'v/followers/16000000',
      artistId: 'v',
      kind: 'followers',
      albumId: null,
      trackId: null,
      videoId: null,
      threshold: 16_000_000,
      value: 16_100_000,
      observedAt: '2024-04-01T00:00:00Z',
      daysSinceRelease: 206,
      lastTrackId: null,
      record: null,
    };
    const observedAtMs = Date.parse(milestone.observedAt);
    await store.record([{ milestone, destinations: ['x:main', 'discord:1'], observedAtMs }], {
      backfill: true,
    });
    const entries = await pipeline.ledger.entries(milestone.id);
    expect(entries.get('x:main')).toMatchObject({ state: 'skipped', reason: 'backfill' });
    expect(entries.get('discord:1')).toMatchObject({ state: 'skipped', reason: 'backfill' });
    expect(await pipeline.redis.exists(pipeline.keys.destinationPending('x:main'))).toBe(0);
    // A publish job that ran anyway (a stray retry) posts nothing: the entry is final.
    const job = await pipeline.publishQueue.add(publishQueue.jobName, {
      milestoneId: milestone.id,
      destination: 'x:main',
    });
    while (!(await job.isCompleted())) await sleep(10);
    expect(x.posted).toEqual([]);
    // A second record (a retried snapshot job) overwrites nothing.
    await store.record([{ milestone, destinations: ['x:main'], observedAtMs }]);
    expect(await pipeline.ledger.get(milestone.id, 'x:main')).toMatchObject({ state: 'skipped' });
  });

  it('replays a history the live rules would skip and supersede, announcing and posting every milestone', async () => {
    prefix = uniquePrefix('replay-exempt');
    const history = randomHistory(tracking, 20, 9);
    // Live rules on the same history, recorded before publishing, with a clock just after its last day and a
    // week's limit: the older milestones are stale, and of the recent ones some are superseded.
    const x = new LoggingPublisher('x');
    const ids = await recordOnly([x], history);
    const live = await start([x], {
      runPublishWorker: true,
      publishRules: liveRules(24 * 7),
      now: () => Date.parse(history.at(-1)!.capturedAt) + HOUR,
    });
    const entries = await settled(live, ids, 'x:main');
    const states = [...entries.values()].map((e) => e.state);
    expect(states).toContain('superseded');
    expect(states).toContain('skipped');
    expect(x.posted.length).toBeLessThan(ids.length);

    const replayed = await runReplay({
      redisUrl: TEST_REDIS_URL,
      trackings: [tracking],
      snapshots: admitRawSnapshots(history, new Map([[tracking.artist.id, tracking]])),
      render: renderPosts,
      logger,
    });
    expect(replayed.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(replayed.every((m) => m.posts.x !== '' && m.posts.discord !== '')).toBe(true);
  });
});
