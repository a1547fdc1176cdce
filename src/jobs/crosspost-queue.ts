import type { REST } from '@discordjs/rest';
import { Queue, Worker, type JobsOptions } from 'bullmq';
import type { Logger } from '../logger.js';
import type { CrosspostRequest, CrosspostScheduler } from '../platforms/discord/crosspost.js';
import { CrosspostWindow, type CrosspostWindowOptions } from '../platforms/discord/crosspost-window.js';
import type { ModeratorNotifier } from '../platforms/moderator-notifier.js';
import type { PlatformWorker } from '../platforms/publisher.js';
import type { RedisClient } from '../redis.js';
import type { GuildSettingsStore } from '../state/guild-settings.store.js';
import type { StateKeys } from '../state/keys.js';
import {
  crosspostJobId,
  crosspostJobOptions,
  crosspostQueue,
  type CrosspostJobData,
  type CrosspostJobQueue,
} from './contracts.js';
import { createCrosspostProcessor, type CrosspostOutcome } from './crosspost.job.js';
import { shortJobWorkerSettings } from './pipeline.js';
import { startStalledSweeper } from './stalled-sweeper.js';

export interface CrosspostQueueOptions extends CrosspostWindowOptions {
  /** For the queue, the window and the report marks. */
  readonly redis: RedisClient;
  /** A new connection for the worker (BullMQ's blocking reads need their own), closed with it. */
  readonly connect: () => RedisClient;
  /** `QUEUE_PREFIX`. */
  readonly prefix: string;
  readonly keys: StateKeys;
  /** The bot's REST client (behind the shared global limiter). */
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  readonly logger: Logger;
  /** The moderators' channel, told once about each crosspost that failed for good. */
  readonly notifier?: ModeratorNotifier | null;
  /** Crossposts in flight at once per process; default 4. */
  readonly concurrency?: number;
  /** Retry policy (tests shorten the backoff); default `crosspostJobOptions`. */
  readonly jobOptions?: JobsOptions;
  /** Called when a job completes, with how it ended. */
  readonly onCrossposted?: (outcome: CrosspostOutcome, data: CrosspostJobData) => void;
  /** How often the worker retries jobs BullMQ failed for stalling too often; default 30 s, 0 for never. */
  readonly stalledSweepMs?: number;
}

/**
 * Discord crossposts as a durable BullMQ queue (`discord-crosspost`): the Discord publisher adds one job per
 * announcement it posts in an Announcement channel; the worker, run next to the publish worker, spends at most
 * `perWindow` crossposts per channel per rolling window ({@link CrosspostWindow}, shared by every process) and keeps
 * the rest as delayed jobs, which survive restarts in Redis like every other job.
 */
export class CrosspostQueue implements CrosspostScheduler {
  readonly window: CrosspostWindow;
  readonly queue: CrosspostJobQueue;

  constructor(private readonly options: CrosspostQueueOptions) {
    this.window = new CrosspostWindow(options.redis, options.keys, options);
    this.queue = new Queue(crosspostQueue.name, { connection: options.redis, prefix: options.prefix });
  }

  async enqueue(request: CrosspostRequest): Promise<void> {
    const payload = crosspostQueue.schema.parse(request);
    await this.queue.add(crosspostQueue.jobName, payload, {
      ...(this.options.jobOptions ?? crosspostJobOptions),
      jobId: crosspostJobId(payload.channelId, payload.messageId),
    });
  }

  async startWorker(): Promise<PlatformWorker> {
    const { options } = this;
    const processor = createCrosspostProcessor({
      rest: options.rest,
      guilds: options.guilds,
      window: this.window,
      redis: options.redis,
      keys: options.keys,
      logger: options.logger,
      notifier: options.notifier ?? null,
      inFlightRecheckMs: Math.min(1000, this.window.windowMs),
    });
    const connection = options.connect();
    const worker = new Worker(
      crosspostQueue.name,
      async (job, token) => {
        const outcome = await processor(job, token);
        options.onCrossposted?.(outcome, job.data as CrosspostJobData);
        return outcome;
      },
      {
        connection,
        prefix: options.prefix,
        concurrency: options.concurrency ?? 4,
        ...shortJobWorkerSettings,
      },
    );
    worker.on('failed', (job, error) =>
      options.logger.warn({ jobId: job?.id, err: error.message }, 'crosspost job failed'),
    );
    worker.on('error', (error) => options.logger.warn({ err: error.message }, 'crosspost worker error'));
    await worker.waitUntilReady();
    const sweepMs = options.stalledSweepMs ?? 30_000;
    const sweeper = sweepMs > 0 ? startStalledSweeper([this.queue], sweepMs, options.logger) : null;
    return {
      close: async () => {
        sweeper?.stop();
        await worker.close();
        connection.disconnect();
      },
    };
  }

  /** Closes the queue (the shared connection itself belongs to the caller). */
  async close(): Promise<void> {
    await this.queue.close();
  }
}
