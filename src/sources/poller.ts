import { ErrorAggregator } from '../ops/error-flood.js';
import { Queue, Worker } from 'bullmq';
import { pollQueue, type PollJobData } from '../jobs/contracts.js';
import type { SnapshotEntrance } from '../jobs/enqueue-snapshots.js';
import type { Logger } from '../logger.js';
import { createRedis, type RedisClient } from '../redis.js';
import type { SnapshotRules } from '../snapshots/validate-snapshots.js';
import { stateKeys } from '../state/keys.js';
import { pollSource, type PollOutcome } from './poll-source.js';
import type { ScheduledSource } from './sources-config.js';
import type { Tracking } from '../tracking/tracking.js';

export interface PollerOptions {
  readonly redisUrl: string;
  /** REDIS_CLUSTER: `redisUrl` names seed nodes of a Redis Cluster. */
  readonly redisCluster?: boolean;
  readonly prefix: string;
  readonly sources: readonly ScheduledSource[];
  /** Where polled readings go (the artists' inboxes and the `snapshots` queue). */
  readonly entrance: SnapshotEntrance;
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly logger: Logger;
  /** The entrance rules every reading must pass before it is enqueued. */
  readonly rules: SnapshotRules;
  readonly maxSkipTicks?: number;
  /** Called after every poll, whatever its outcome (for metrics and tests). */
  readonly onPoll?: (outcome: PollOutcome) => void;
}

export interface Poller {
  readonly queue: Queue<PollJobData>;
  /** Removes nothing; stops polling in this process. */
  close(): Promise<void>;
}

/** The job scheduler id of a source. */
export function schedulerIdOf(sourceId: string): string {
  return `source~${sourceId}`;
}

/**
 * The `poller` role: one BullMQ job scheduler per configured source (`Queue.upsertJobScheduler`, every
 * `intervalMs`, first run at once), schedulers of sources no longer configured removed, and a worker that runs
 * {@link pollSource} for each tick. A failed poll fails its job (visible in Bull Board) after recording the backoff.
 */
export async function startPoller(options: PollerOptions): Promise<Poller> {
  const cluster = { cluster: options.redisCluster ?? false };
  const redis: RedisClient = createRedis(options.redisUrl, cluster);
  const workerRedis: RedisClient = createRedis(options.redisUrl, cluster);
  const keys = stateKeys(options.prefix);
  const queue = new Queue<PollJobData>(pollQueue.name, { connection: redis, prefix: options.prefix });
  const byId = new Map(options.sources.map((s) => [s.source.id, s.source]));

  const wanted = new Set(options.sources.map((s) => schedulerIdOf(s.source.id)));
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    if (!wanted.has(scheduler.key)) {
      await queue.removeJobScheduler(scheduler.key);
      options.logger.info(
        { scheduler: scheduler.key },
        'removed the scheduler of a source no longer configured',
      );
    }
  }
  for (const { source, intervalMs } of options.sources) {
    await queue.upsertJobScheduler(
      schedulerIdOf(source.id),
      { every: intervalMs },
      {
        name: pollQueue.jobName,
        data: pollQueue.schema.parse({ sourceId: source.id }),
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
      },
    );
    options.logger.info(
      { source: source.id, kind: source.kind, url: source.url, intervalMs },
      'polling source',
    );
  }

  const worker = new Worker<PollJobData>(
    pollQueue.name,
    async (job) => {
      const parsed = pollQueue.schema.safeParse(job.data);
      const source = parsed.success ? byId.get(parsed.data.sourceId) : undefined;
      if (source === undefined) {
        options.logger.warn({ jobId: job.id }, 'poll job for a source this process does not know; skipped');
        return { status: 'unknown-source' };
      }
      const outcome = await pollSource(source, {
        redis,
        keys,
        entrance: options.entrance,
        trackings: options.trackings,
        logger: options.logger,
        rules: options.rules,
        ...(options.maxSkipTicks === undefined ? {} : { maxSkipTicks: options.maxSkipTicks }),
      });
      options.onPoll?.(outcome);
      if (outcome.status === 'failed') throw new Error(outcome.error);
      return outcome;
    },
    { connection: workerRedis, prefix: options.prefix, concurrency: Math.max(1, options.sources.length) },
  );
  const workerErrors = new ErrorAggregator(options.logger);
  worker.on('error', (error) => workerErrors.report('poll worker error', error));
  await worker.waitUntilReady();

  return {
    queue,
    close: async () => {
      await worker.close();
      workerErrors.close();
      await queue.close();
      workerRedis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
