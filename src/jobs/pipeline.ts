import { Queue, Worker, type JobsOptions, type WorkerOptions } from 'bullmq';
import type { Logger } from '../logger.js';
import type { PlatformWorker, Publisher } from '../platforms/publisher.js';
import { createRedis, type RedisClient } from '../redis.js';
import { ArtistStateStore } from '../state/artist-state.store.js';
import { stateKeys, type StateKeys } from '../state/keys.js';
import { MilestoneStore } from '../state/milestone.store.js';
import { PostLedgerStore } from '../state/post-ledger.store.js';
import { PublishOrderStore } from '../state/publish-order.store.js';
import { DestinationLockStore } from '../state/destination-lock.store.js';
import type { Tracking } from '../tracking/tracking.js';
import {
  publishQueue,
  snapshotsQueue,
  type PublishJobData,
  type PublishQueue,
  type SnapshotJob,
  type SnapshotJobData,
  type SnapshotJobName,
  type SnapshotJobResult,
  type SnapshotQueue,
} from './contracts.js';
import type { DrainedEntry } from './drain-artist.js';
import type { SnapshotEntrance } from './enqueue-snapshots.js';
import { createSnapshotProcessor } from './snapshot.job.js';
import { createPublishPostProcessor } from './publish-post.job.js';
import type { PublishOutcome } from './post-settler.js';
import { backOffOnErrorBursts, ErrorAggregator } from '../ops/error-flood.js';
import type { PublishRules } from './publish-rules.js';
import { startStalledSweeper } from './stalled-sweeper.js';

/**
 * Lock and stall settings for short jobs (a snapshot applies in a few ms; a post takes one HTTP request).
 *
 * - `lockDuration` 5 s: a live worker renews each active job's lock every 2.5 s (BullMQ renews at half the
 *   duration), so only a dead or frozen process loses it.
 * - `stalledInterval` 2 s: how often every worker looks for active jobs whose lock has expired and moves them
 *   back to waiting. A `kill -9`ed worker's jobs are therefore running again elsewhere within about 5 + 2 s
 *   (BullMQ's defaults, 30 s and 30 s, would take up to a minute).
 * - `maxStalledCount` 10: a job may be recovered this many times before BullMQ fails it. Jobs are idempotent
 *   (applied-result replay, deterministic publish job ids, ledger + platform idempotency), so running one
 *   again is safe, and a low limit would turn a run of crashes into a lost job.
 *
 * The price of a short lock: an event loop blocked for over 5 s lets another worker take a job that is still
 * running. That is safe for the same reason, and a blocked loop for 5 s is a bug to fix anyway.
 */
export const shortJobWorkerSettings = {
  lockDuration: 5_000,
  stalledInterval: 2_000,
  maxStalledCount: 10,
} satisfies Partial<WorkerOptions>;

export interface PipelineOptions {
  readonly redisUrl: string;
  /** REDIS_CLUSTER: `redisUrl` names seed nodes of a Redis Cluster (`prefix` must then hold a `{…}` hash tag). */
  readonly redisCluster?: boolean;
  readonly prefix: string;
  readonly trackings: readonly Tracking[];
  readonly publishers: readonly Publisher[];
  readonly logger: Logger;
  /** Run the `snapshots` worker (role `worker`). */
  readonly runSnapshotWorker: boolean;
  /** Run the `publish` worker (role `publisher`). */
  readonly runPublishWorker: boolean;
  readonly snapshotConcurrency: number;
  readonly publishConcurrency: number;
  /** Retry policy for publish jobs (tests shorten the backoff); defaults to `publishJobOptions`. */
  readonly publishJobOptions?: JobsOptions;
  /**
   * Awaited when a snapshot job has its result, before it completes (the live status boards plan their edits
   * here). A failure is logged and does not fail the job: the snapshot is applied either way.
   */
  readonly afterApplied?: (result: SnapshotJobResult) => Promise<void>;
  /** Called when a snapshot job completes, with its result. */
  readonly onApplied?: (result: SnapshotJobResult, jobId: string | undefined) => void;
  /** Called for every inbox entry a drain in this process applies (whichever job's it was). */
  readonly onDrained?: (entry: DrainedEntry) => void;
  readonly onPublished?: (outcome: PublishOutcome) => void;
  /**
   * Freshness and supersession at publish time. Default: neither (everything recorded is posted, as in a replay);
   * the live roles pass the settings' rules (`liveRules(ANNOUNCE_MAX_AGE_HOURS)`). Per-destination order always holds.
   */
  readonly publishRules?: PublishRules;
  /** Epoch ms for the freshness rule; default Date.now (tests inject a clock). */
  readonly now?: () => number;
  /**
   * How often this process retries jobs BullMQ failed for stalling too often (see stalled-sweeper.ts); only
   * when it runs a worker. Default 30 s; 0 turns the sweep off.
   */
  readonly stalledSweepMs?: number;
}

export interface Pipeline {
  readonly redis: RedisClient;
  readonly keys: StateKeys;
  readonly snapshotQueue: SnapshotQueue;
  readonly publishQueue: PublishQueue;
  /** Where admitted snapshots go in: see `enqueueSnapshots`. */
  readonly entrance: SnapshotEntrance;
  readonly artistState: ArtistStateStore;
  readonly milestones: MilestoneStore;
  readonly ledger: PostLedgerStore;
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly workers: readonly AnyWorker[];
  /** Stops taking jobs, lets active ones finish (up to `timeoutMs`), then closes every connection. */
  close(timeoutMs?: number): Promise<void>;
}

/** One of the pipeline's workers: the `snapshots` worker or the `publish` worker. */
export type AnyWorker = Worker<SnapshotJobData, SnapshotJobResult, SnapshotJobName> | Worker<PublishJobData>;

/** Builds the queues, stores and (as asked) workers of the live pipeline. */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const cluster = { cluster: options.redisCluster ?? false };
  const redis = createRedis(options.redisUrl, cluster);
  const keys = stateKeys(options.prefix);
  const trackings = new Map(options.trackings.map((t) => [t.artist.id, t]));
  const connection = { connection: redis, prefix: options.prefix };
  const snapshotQueue: SnapshotQueue = new Queue(snapshotsQueue.name, connection);
  const publishJobs: PublishQueue = new Queue(publishQueue.name, connection);
  const artistState = new ArtistStateStore(redis, keys);
  const milestones = new MilestoneStore(redis, keys);
  const ledger = new PostLedgerStore(redis, keys);
  const workers: AnyWorker[] = [];
  const workerConnections: RedisClient[] = [];
  const workerBase = (concurrency: number): WorkerOptions => {
    const own = createRedis(options.redisUrl, cluster);
    workerConnections.push(own);
    return { connection: own, prefix: options.prefix, concurrency, ...shortJobWorkerSettings };
  };

  if (options.runSnapshotWorker) {
    const processor = createSnapshotProcessor({
      trackings,
      artistState,
      milestones,
      publishers: options.publishers,
      publishQueue: publishJobs,
      logger: options.logger,
      ...(options.publishJobOptions ? { publishJobOptions: options.publishJobOptions } : {}),
      ...(options.onDrained ? { onDrained: options.onDrained } : {}),
    });
    const worker = new Worker(
      snapshotsQueue.name,
      async (job: SnapshotJob) => {
        const result = await processor(job);
        await options.afterApplied?.(result).catch((error: unknown) =>
          options.logger.warn(
            {
              jobId: job.id,
              artistId: result.artistId,
              err: error instanceof Error ? error.message : String(error),
            },
            'after-applied hook failed',
          ),
        );
        options.onApplied?.(result, job.id);
        return result;
      },
      workerBase(options.snapshotConcurrency),
    );
    worker.on('failed', (job, error) =>
      options.logger.warn({ jobId: job?.id, err: error.message }, 'snapshot job failed'),
    );
    workers.push(worker);
  }
  if (options.runPublishWorker) {
    const processor = createPublishPostProcessor({
      trackings,
      milestones,
      ledger,
      order: new PublishOrderStore(redis, keys),
      locks: new DestinationLockStore(redis, keys),
      queue: publishJobs,
      publishers: new Map(options.publishers.map((p) => [p.platform, p])),
      logger: options.logger,
      ...(options.publishRules ? { rules: options.publishRules } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onPublished ? { onPublished: options.onPublished } : {}),
    });
    const worker = new Worker(publishQueue.name, processor, workerBase(options.publishConcurrency));
    worker.on('failed', (job, error) =>
      options.logger.warn({ jobId: job?.id, err: error.message }, 'publish job failed'),
    );
    workers.push(worker);
  }
  // Repeated worker errors (Redis refusing writes at maxmemory, say) are aggregated into one line per kind per
  // 30 s, and a worker whose errors come in bursts pauses, doubling the pause up to 30 s.
  const workerErrors = new ErrorAggregator(options.logger);
  const stopBackoffs = workers.map((worker) => {
    worker.on('error', (error) => workerErrors.report(`${worker.name} worker error`, error));
    return backOffOnErrorBursts(worker, {
      onPause: (pauseMs) =>
        options.logger.warn({ queue: worker.name, pauseMs }, 'worker errors in a burst: pausing'),
    });
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // The platforms' own workers (Discord's crossposts) run wherever posts are published.
  const platformWorkers: PlatformWorker[] = [];
  if (options.runPublishWorker) {
    for (const publisher of options.publishers) {
      const started = await publisher.startWorker?.();
      if (started != null) platformWorkers.push(started);
    }
  }
  const sweepMs = options.stalledSweepMs ?? 30_000;
  const sweptQueues = [
    ...(options.runSnapshotWorker ? [snapshotQueue] : []),
    ...(options.runPublishWorker ? [publishJobs] : []),
  ];
  const sweeper =
    sweepMs > 0 && sweptQueues.length > 0 ? startStalledSweeper(sweptQueues, sweepMs, options.logger) : null;

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = 30_000): Promise<void> => {
    closing ??= (async () => {
      sweeper?.stop();
      for (const stopBackoff of stopBackoffs) stopBackoff();
      workerErrors.close();
      const graceful = Promise.all([
        ...workers.map((w) => w.close()),
        ...platformWorkers.map((w) => w.close()),
      ]);
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
      if ((await Promise.race([graceful, timer])) === 'timeout') {
        // A second Worker.close(true) would only return the graceful close already under way, which waits for
        // the hung jobs. Cutting the workers' connections stops their lock renewal instead: the unfinished jobs
        // stall and another worker takes them within lockDuration + stalledInterval.
        options.logger.warn(
          { timeoutMs },
          'shutdown timed out; abandoning unfinished jobs to the stalled-job check',
        );
        graceful.catch(() => undefined);
      }
      await Promise.all([snapshotQueue.close(), publishJobs.close()]);
      for (const c of workerConnections) c.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    })();
    return closing;
  };

  return {
    redis,
    keys,
    snapshotQueue,
    publishQueue: publishJobs,
    entrance: { artistState, queue: snapshotQueue },
    artistState,
    milestones,
    ledger,
    trackings,
    workers,
    close,
  };
}
