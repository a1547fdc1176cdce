import { Queue, Worker } from 'bullmq';
import { snapshotJobOptions, snapshotsQueue, type SnapshotQueue } from '../src/jobs/contracts.js';
import { enqueueSnapshots } from '../src/jobs/enqueue-snapshots.js';
import { shortJobWorkerSettings, startPipeline } from '../src/jobs/pipeline.js';
import type { Logger } from '../src/logger.js';
import { createRedis, type RedisClient } from '../src/redis.js';
import { admitRawSnapshots } from '../src/snapshots/admit-snapshots.js';
import type { Snapshot } from '../src/snapshots/schema.js';
import { snapshotFingerprint } from '../src/snapshots/snapshot-record.js';
import { ArtistStateStore } from '../src/state/artist-state.store.js';
import { stateKeys } from '../src/state/keys.js';
import type { Tracking } from '../src/tracking/tracking.js';
import { NullPublisher } from './fixtures.js';
import { commandCalls, resetCommandStats, type RoundTripCounter } from './redis-stats.js';

export interface PhaseResult {
  readonly label: string;
  readonly jobs: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly commandsPerJob: number;
  readonly roundTripsPerJob: number;
  readonly note: string;
}

export interface PhaseContext {
  readonly redisUrl: string;
  /** REDIS_CLUSTER: the bench runs on a Redis Cluster (`prefix` then holds a hash tag). */
  readonly redisCluster: boolean;
  readonly prefix: string;
  /** For per-server commands (INFO, CONFIG, SCAN), which go to every master of a cluster. */
  readonly admin: RedisClient;
  readonly roundTrips: RoundTripCounter;
  readonly logger: Logger;
  readonly concurrency: number;
  /** Every key prefix a phase wrote under, for cleanup. */
  readonly usedPrefixes: string[];
}

const CHUNK = 1000;

async function measured(
  context: PhaseContext,
  label: string,
  jobs: number,
  run: () => Promise<{ seconds: number; note: string }>,
): Promise<PhaseResult> {
  await resetCommandStats(context.admin);
  context.roundTrips.reset();
  const { seconds, note } = await run();
  const trips = context.roundTrips.value;
  const { total } = await commandCalls(context.admin);
  return {
    label,
    jobs,
    seconds,
    perSecond: jobs / seconds,
    commandsPerJob: total / jobs,
    roundTripsPerJob: trips / jobs,
    note,
  };
}

/**
 * The baseline: plain BullMQ, a no-op processor, the same concurrency, lock settings and retention as the
 * pipeline. Jobs are enqueued first (counted in commands and round trips), then timed from worker start to the
 * last completion.
 */
export function baselinePhase(
  context: PhaseContext,
  jobs: number,
  payload: () => object,
  label = 'BullMQ no-op (baseline)',
): Promise<PhaseResult> {
  return measured(context, label, jobs, async () => {
    const connection = createRedis(context.redisUrl, { cluster: context.redisCluster });
    const queue = new Queue('noop', { connection, prefix: context.prefix });
    for (let i = 0; i < jobs; i += CHUNK) {
      const n = Math.min(CHUNK, jobs - i);
      await queue.addBulk(
        Array.from({ length: n }, () => ({ name: 'noop', data: payload(), opts: snapshotJobOptions })),
      );
    }
    let done = 0;
    let resolveFinished: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    const started = performance.now();
    const worker = new Worker('noop', () => Promise.resolve(), {
      connection: createRedis(context.redisUrl, { cluster: context.redisCluster }),
      prefix: context.prefix,
      concurrency: context.concurrency,
      ...shortJobWorkerSettings,
    });
    worker.on('completed', () => {
      done += 1;
      if (done === jobs) resolveFinished();
    });
    await finished;
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
    return { seconds, note: '' };
  });
}

/**
 * The snapshot stage of the live pipeline: validate, run the rules, apply atomically in Lua, record milestones
 * with their pending ledger entries and enqueue one publish job per destination. Same concurrency as the
 * baseline; publish jobs are left queued (the latency phase measures publishing).
 */
export function pipelinePhase(
  context: PhaseContext,
  label: string,
  trackings: readonly Tracking[],
  snapshots: readonly Snapshot[],
): Promise<PhaseResult> {
  return measured(context, label, snapshots.length, async () => {
    const prefix = `${context.prefix}-${label.replace(/\W+/g, '-')}`;
    context.usedPrefixes.push(prefix);
    const connection = createRedis(context.redisUrl, { cluster: context.redisCluster });
    const queue: SnapshotQueue = new Queue(snapshotsQueue.name, { connection, prefix });
    const records = admitRawSnapshots(snapshots, new Map(trackings.map((t) => [t.artist.id, t])));
    // Every snapshot as one batch: each artist's inbox holds all of its snapshots before the workers start.
    await enqueueSnapshots(
      { artistState: new ArtistStateStore(connection, stateKeys(prefix)), queue },
      records,
      { jobIds: records.map((_, i) => `b-${i}`) },
    );
    const entries = new Set(records.map(snapshotFingerprint)).size;
    let done = 0;
    let applied = 0;
    let milestones = 0;
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const started = performance.now();
    const pipeline = await startPipeline({
      redisUrl: context.redisUrl,
      redisCluster: context.redisCluster,
      prefix,
      trackings,
      publishers: [new NullPublisher('discord'), new NullPublisher('x')],
      logger: context.logger,
      runSnapshotWorker: true,
      runPublishWorker: false,
      snapshotConcurrency: context.concurrency,
      publishConcurrency: 1,
      stalledSweepMs: 0,
      onDrained: (result) => {
        done += 1;
        if (result.status === 'applied') applied += 1;
        milestones += result.milestoneIds.length;
        if (done === entries) resolveAll();
      },
    });
    await all;
    const seconds = (performance.now() - started) / 1000;
    await pipeline.close(5000);
    await queue.close();
    connection.disconnect();
    return {
      seconds,
      note: `${applied} applied, ${entries - applied} stale, ${snapshots.length - entries} repeats; ${(milestones / snapshots.length).toFixed(2)} milestones/snapshot`,
    };
  });
}
