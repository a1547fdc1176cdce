import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { REPEAT_SIGNAL_GRACE_MS } from '../../src/roles.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { spawnApp, type AppChild } from '../helpers/spawn-app.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));

/** A baseline and a jump past several thresholds on every subject: a dozen or so publish jobs. */
function baselineAndJump(): Snapshot[] {
  const at = (day: number) => new Date(Date.parse('2023-10-01T00:00:00Z') + day * 86_400_000).toISOString();
  return [
    {
      capturedAt: at(0),
      tracks: Object.fromEntries(trackIds.map((id) => [id, 1_000_000])),
      followers: 10_000_000,
    },
    {
      capturedAt: at(1),
      tracks: Object.fromEntries(trackIds.map((id) => [id, 75_000_000])),
      followers: 12_500_000,
    },
  ];
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('shutdown and crash recovery', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(label: string, settings: Record<string, string>, publishDelayMs: number) {
    const prefix = uniquePrefix(label);
    const redis = testRedis();
    const app: AppChild = await spawnApp(
      {
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ROLES: 'worker,publisher',
        WORKER_CONCURRENCY: '1',
        PUBLISH_CONCURRENCY: '3',
        LOG_LEVEL: 'silent',
        // The snapshots are from 2023: no age limit, or every post would be skipped as stale data.
        ANNOUNCE_MAX_AGE_HOURS: '0',
        ...settings,
      },
      publishDelayMs,
    );
    const observer = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [tracking],
      publishers: [],
      logger: createLogger('silent'),
      runSnapshotWorker: false,
      runPublishWorker: false,
      snapshotConcurrency: 1,
      publishConcurrency: 1,
    });
    cleanups.push(async () => {
      app.child.kill('SIGKILL');
      await app.exited;
      await observer.close(1000);
      redis.disconnect();
      await cleanupPrefix(prefix);
    });
    for (const data of baselineAndJump()) await enqueueRaw(observer, [data]);
    await until(
      async () => (await observer.publishQueue.getActiveCount()) > 0,
      10_000,
      'an active publish job',
    );
    // One atomic read, so a job moving from waiting to active is not counted twice.
    const counts = await observer.publishQueue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'completed',
    );
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { prefix, redis, app, observer, total };
  }

  async function recoveryPipeline(prefix: string, redis: ReturnType<typeof testRedis>): Promise<Pipeline> {
    const pipeline = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [tracking],
      publishers: [
        new RecordingPublisher('x', redis, `${prefix}:test:published`),
        new RecordingPublisher('discord', redis, `${prefix}:test:published`),
      ],
      logger: createLogger('silent'),
      runSnapshotWorker: true,
      runPublishWorker: true,
      snapshotConcurrency: 2,
      publishConcurrency: 4,
    });
    cleanups.push(() => pipeline.close(1000));
    return pipeline;
  }

  it('drains on SIGTERM: active posts finish, nothing else is taken, and the process exits 0 well within the bound', async () => {
    const { redis, app, observer, total, prefix } = await setup(
      'drain',
      { SHUTDOWN_TIMEOUT_MS: '10000' },
      1500,
    );
    const activeAtSignal = await observer.publishQueue.getActiveCount();
    const started = Date.now();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    const elapsed = Date.now() - started;
    expect(code).toBe(0);
    expect(app.stdout()).toContain('stopped');
    expect(elapsed).toBeLessThan(4000);
    const published = await redis.lrange(`${prefix}:test:published`, 0, -1);
    // The posts that were in flight were completed, not abandoned, and nothing else was taken. (An active job may
    // also have been one that found an older milestone still pending for its destination: it went back to wait
    // without posting, so at most the active jobs posted.)
    const completed = await observer.publishQueue.getCompletedCount();
    expect(published.length).toBeGreaterThan(0);
    // One more job may have become active between the count and the signal.
    expect(published.length).toBeLessThanOrEqual(activeAtSignal + 1);
    expect(completed).toBe(published.length);
    // ... no job is left active (locked by a dead process), and the rest wait for the next worker.
    expect(await observer.publishQueue.getActiveCount()).toBe(0);
    const left = await observer.publishQueue.getJobCounts('waiting', 'delayed');
    expect((left.waiting ?? 0) + (left.delayed ?? 0)).toBe(total - completed);
    expect(total).toBeGreaterThan(completed);
  });

  it('drains when the signal arrives several times at once (a SIGTERM to the process group, passed on by npm)', async () => {
    const { redis, app, observer, prefix } = await setup('group', { SHUTDOWN_TIMEOUT_MS: '10000' }, 1500);
    const activeAtSignal = await observer.publishQueue.getActiveCount();
    app.child.kill('SIGTERM');
    app.child.kill('SIGTERM');
    app.child.kill('SIGINT');
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(app.stdout()).toContain('stopped');
    // Every post that had started was finished, or (when an older milestone of its destination was still pending)
    // went back to wait without posting; none failed or was lost.
    const published = await redis.lrange(`${prefix}:test:published`, 0, -1);
    const back = await observer.publishQueue.getJobCounts('waiting', 'delayed', 'failed');
    expect(back.failed).toBe(0);
    expect(published.length + (back.waiting ?? 0) + (back.delayed ?? 0)).toBeGreaterThanOrEqual(
      activeAtSignal,
    );
    expect(await observer.publishQueue.getCompletedCount()).toBe(published.length);
    expect(await observer.publishQueue.getActiveCount()).toBe(0);
  });

  it('exits at once on a second signal after the grace period, without waiting for a hung post', async () => {
    const { app } = await setup('forced', { SHUTDOWN_TIMEOUT_MS: '60000' }, 60_000);
    app.child.kill('SIGTERM');
    const first = Date.now();
    // The grace period is a span of time, so this waits for time itself.
    await until(
      () => Promise.resolve(Date.now() - first > REPEAT_SIGNAL_GRACE_MS + 200),
      10_000,
      'the grace period',
    );
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    expect(code).toBe(130);
    expect(app.stdout()).not.toContain('stopped');
  });

  it('exits within SHUTDOWN_TIMEOUT_MS when a post hangs, and another worker finishes that post exactly once', async () => {
    const { redis, app, prefix, total } = await setup('bounded', { SHUTDOWN_TIMEOUT_MS: '1500' }, 60_000);
    const started = Date.now();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(1500 + 2500);
    const pipeline = await recoveryPipeline(prefix, redis);
    await until(
      async () => (await pipeline.publishQueue.getCompletedCount()) === total,
      15_000,
      'every post',
    );
    const published = await redis.lrange(`${prefix}:test:published`, 0, -1);
    expect(published.length).toBe(total);
    expect(new Set(published).size).toBe(total);
  });

  it("picks up a kill -9'd worker's active jobs within seconds (lock 5 s + stalled check 2 s)", async () => {
    const { redis, app, prefix, total, observer } = await setup('stalled', {}, 60_000);
    const active = await observer.publishQueue.getActive();
    expect(active.length).toBeGreaterThan(0);
    app.child.kill('SIGKILL');
    await app.exited;
    const killedAt = Date.now();
    const pipeline = await recoveryPipeline(prefix, redis);
    await until(
      async () => {
        const states = await Promise.all(active.map((j) => pipeline.publishQueue.getJobState(j.id!)));
        return states.every((s) => s === 'completed');
      },
      12_000,
      'the stalled jobs',
    );
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs).toBeLessThan(9_000);
    await until(
      async () => (await pipeline.publishQueue.getCompletedCount()) === total,
      10_000,
      'every post',
    );
    const published = await redis.lrange(`${prefix}:test:published`, 0, -1);
    expect(new Set(published).size).toBe(total);
    expect(published.length).toBe(total);
  });
});
