import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SnapshotJobResult } from '../jobs/contracts.js';
import { enqueueSnapshots } from '../jobs/enqueue-snapshots.js';
import { startPipeline } from '../jobs/pipeline.js';
import { postEverything } from '../jobs/publish-rules.js';
import type { Logger } from '../logger.js';
import type { Milestone } from '../milestones/types.js';
import { createRedis, isCluster, serverNodes, type RedisClient } from '../redis.js';
import { keySlot } from '../redis-key-slot.js';
import { ConsolePublisher } from '../platforms/console/console-publisher.js';
import { postText, type PlatformPosts } from '../platform-posts/post-formats.js';
import type { RenderPosts } from '../posts/types.js';
import type { SnapshotRecord } from '../snapshots/snapshot-record.js';
import type { Tracking } from '../tracking/tracking.js';

/** One line of `replay --json`. */
export interface ReplayedMilestone extends Milestone {
  readonly posts: { readonly x: string; readonly discord: string };
}

export interface ReplayOptions {
  readonly redisUrl: string;
  /** REDIS_CLUSTER: the replay's throwaway prefix then gets a hash tag. */
  readonly redisCluster?: boolean;
  readonly trackings: readonly Tracking[];
  /** Admitted (validated and resolved), in file order. */
  readonly snapshots: readonly SnapshotRecord[];
  readonly render: RenderPosts<PlatformPosts>;
  readonly logger: Logger;
  readonly publishConcurrency?: number;
  readonly onProgress?: (applied: number, total: number) => void;
}

async function idle(queue: Queue): Promise<boolean> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).every((n) => n === 0);
}

/** UNLINKs `keys` on one server; on a cluster node, one UNLINK per slot (a multi-key command must stay in one). */
async function unlinkOnNode(node: Redis, keys: readonly string[], bySlot: boolean): Promise<number> {
  if (!bySlot) return node.unlink(...keys);
  const groups = new Map<number, string[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [key]);
    else group.push(key);
  }
  const pipeline = node.pipeline();
  for (const group of groups.values()) pipeline.unlink(...group);
  let deleted = 0;
  for (const [error, count] of (await pipeline.exec()) ?? []) {
    if (error !== null) throw error;
    deleted += Number(count);
  }
  return deleted;
}

/**
 * Deletes every key under `prefix:` (the replay's throwaway namespace, a test's keys). On a Redis Cluster, SCAN
 * sees only the keys of the node it runs on, so every master is scanned, and keys are removed per slot.
 */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<number> {
  const bySlot = isCluster(redis);
  let deleted = 0;
  for (const node of await serverNodes(redis, 'master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await unlinkOnNode(node, keys, bySlot);
    } while (cursor !== '0');
  }
  return deleted;
}

/**
 * Replay: runs every snapshot through the live queues, workers, rules engine and templates on a throwaway
 * key prefix, one snapshot at a time in file order, publishing to console adapters whose texts are read back
 * from the post ledger. Removes the prefix afterwards, whatever happens.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayedMilestone[]> {
  const name = `layover-replay-${randomUUID().slice(0, 8)}`;
  const prefix = options.redisCluster === true ? `{${name}}` : name;
  options.logger.debug({ prefix }, 'replay: working under a throwaway key prefix, removed afterwards');
  const results = new Map<string, SnapshotJobResult>();
  const total = options.snapshots.length;
  const pipeline = await startPipeline({
    redisUrl: options.redisUrl,
    redisCluster: options.redisCluster ?? false,
    prefix,
    trackings: options.trackings,
    publishers: [
      new ConsolePublisher(
        'x',
        (m, t) => postText('x', options.render(m, t)),
        () => undefined,
      ),
      new ConsolePublisher(
        'discord',
        (m, t) => postText('discord', options.render(m, t)),
        () => undefined,
      ),
    ],
    logger: options.logger,
    runSnapshotWorker: true,
    runPublishWorker: true,
    // One at a time, in queue (= file) order: the result of applying the file line by line.
    snapshotConcurrency: 1,
    publishConcurrency: options.publishConcurrency ?? 8,
    // A dry run of history: nothing in it is too old or superseded.
    publishRules: postEverything,
    onApplied: (result, jobId) => {
      if (jobId !== undefined) results.set(jobId, result);
      options.onProgress?.(results.size, total);
    },
  });
  try {
    // `arrival` order: each job puts its own snapshot in the inbox when it runs, one at a time in file order.
    await enqueueSnapshots(
      { artistState: pipeline.artistState, queue: pipeline.snapshotQueue },
      options.snapshots,
      { order: 'arrival', attempts: 1, jobIds: options.snapshots.map((_, i) => `s-${i}`) },
    );
    let failed = 0;
    while (results.size + failed < total || !(await idle(pipeline.snapshotQueue))) {
      failed = await pipeline.snapshotQueue.getFailedCount();
      await sleep(10);
    }
    if (failed > 0) {
      const [job] = await pipeline.snapshotQueue.getFailed(0, 0);
      throw new Error(
        `${failed} snapshot job(s) failed during replay; first: ${job?.failedReason ?? 'unknown'}`,
      );
    }
    while (!(await idle(pipeline.publishQueue))) await sleep(10);

    const replayed: ReplayedMilestone[] = [];
    for (let i = 0; i < total; i += 1) {
      for (const id of results.get(`s-${i}`)?.milestoneIds ?? []) {
        const milestone = await pipeline.milestones.get(id);
        const entries = await pipeline.ledger.entries(id);
        const x = entries.get('x:console');
        const discord = entries.get('discord:console');
        if (milestone === null || x?.state !== 'sent' || discord?.state !== 'sent') {
          throw new Error(
            `milestone ${id} was not published to the console (${x?.state}, ${discord?.state})`,
          );
        }
        replayed.push({ ...milestone, posts: { x: x.text, discord: discord.text } });
      }
    }
    return replayed;
  } finally {
    await Promise.all([
      pipeline.snapshotQueue.obliterate({ force: true }),
      pipeline.publishQueue.obliterate({ force: true }),
    ]).catch(() => undefined);
    await pipeline.close(5_000);
    const cleaner = createRedis(options.redisUrl, { cluster: options.redisCluster ?? false });
    try {
      await deletePrefix(cleaner, prefix);
    } finally {
      cleaner.disconnect();
    }
  }
}
