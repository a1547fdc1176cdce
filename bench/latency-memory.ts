import { setTimeout as sleep } from 'node:timers/promises';
import { enqueueSnapshots } from '../src/jobs/enqueue-snapshots.js';
import { startPipeline, type Pipeline, type PipelineOptions } from '../src/jobs/pipeline.js';
import { parseInfo } from '../src/ops/redis-requirements.js';
import { serverNodes } from '../src/redis.js';
import { admitRawSnapshots } from '../src/snapshots/admit-snapshots.js';
import type { Snapshot } from '../src/snapshots/schema.js';
import type { Tracking } from '../src/tracking/tracking.js';
import { NullPublisher } from './fixtures.js';
import type { PhaseContext } from './phases.js';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface LatencyResult {
  readonly rate: number;
  readonly snapshots: number;
  readonly posts: number;
  /** Snapshots a concurrent worker overtook (a newer one of the artist applied first): stale, nothing announced. */
  readonly stale: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Enqueue to applied (the snapshot stage alone). */
  readonly appliedP50: number;
  readonly appliedP99: number;
}

/** Both workers of the live pipeline on `prefix`, publishing to platforms that answer at once. */
function startFullPipeline(
  context: PhaseContext,
  prefix: string,
  tracking: Tracking,
  observers: Pick<PipelineOptions, 'onDrained' | 'onPublished'>,
): Promise<Pipeline> {
  return startPipeline({
    redisUrl: context.redisUrl,
    redisCluster: context.redisCluster,
    prefix,
    trackings: [tracking],
    publishers: [new NullPublisher('discord'), new NullPublisher('x')],
    logger: context.logger,
    runSnapshotWorker: true,
    runPublishWorker: true,
    snapshotConcurrency: context.concurrency,
    publishConcurrency: context.concurrency * 2,
    stalledSweepMs: 0,
    ...observers,
  });
}

/**
 * Enqueue-to-published latency at a steady rate: snapshots are added one by one on a fixed schedule while the
 * snapshot and publish workers run; each post's latency runs from its snapshot's enqueue to the platform's answer.
 */
export async function latencyPhase(
  context: PhaseContext,
  tracking: Tracking,
  snapshots: readonly Snapshot[],
  rate: number,
  warmup: number,
): Promise<LatencyResult> {
  const prefix = `${context.prefix}-latency`;
  context.usedPrefixes.push(prefix);
  const enqueuedAt = new Map<string, number>();
  const milestoneAt = new Map<string, number>();
  const postLatencies: number[] = [];
  const appliedLatencies: number[] = [];
  let stale = 0;
  const pipeline = await startFullPipeline(context, prefix, tracking, {
    onDrained: (result) => {
      const jobId = result.owner;
      const at = jobId === null ? undefined : enqueuedAt.get(jobId);
      if (at === undefined) return;
      const index = Number(jobId?.slice(2));
      if (result.status === 'stale' && index >= warmup) stale += 1;
      if (index >= warmup) appliedLatencies.push(performance.now() - at);
      for (const id of result.milestoneIds) milestoneAt.set(id, index >= warmup ? at : -1);
    },
    onPublished: (outcome) => {
      const at = milestoneAt.get(outcome.milestoneId);
      if (at !== undefined && at >= 0 && outcome.outcome === 'sent')
        postLatencies.push(performance.now() - at);
    },
  });
  const interval = 1000 / rate;
  const started = performance.now();
  const adds: Promise<unknown>[] = [];
  const records = admitRawSnapshots(snapshots, pipeline.trackings);
  for (const [i, data] of records.entries()) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const jobId = `l-${i}`;
    enqueuedAt.set(jobId, performance.now());
    adds.push(enqueueSnapshots(pipeline.entrance, [data], { jobIds: [jobId] }));
  }
  await Promise.all(adds);
  for (let waited = 0; waited < 10_000; waited += 20) {
    const counts = await pipeline.publishQueue.getJobCounts('waiting', 'active', 'delayed');
    const snaps = await pipeline.snapshotQueue.getJobCounts('waiting', 'active');
    if ([...Object.values(counts), ...Object.values(snaps)].every((n) => n === 0)) break;
    await sleep(20);
  }
  await pipeline.close(5000);
  postLatencies.sort((a, b) => a - b);
  appliedLatencies.sort((a, b) => a - b);
  return {
    rate,
    snapshots: snapshots.length - warmup,
    posts: postLatencies.length,
    stale,
    p50: percentile(postLatencies, 50),
    p99: percentile(postLatencies, 99),
    max: postLatencies.at(-1) ?? Number.NaN,
    appliedP50: percentile(appliedLatencies, 50),
    appliedP99: percentile(appliedLatencies, 99),
  };
}

export interface MemorySample {
  /** Snapshots applied since the warm-up. */
  readonly done: number;
  readonly rssMb: number;
  readonly heapMb: number;
}

export interface MemoryResult {
  readonly samples: readonly MemorySample[];
  readonly snapshots: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  readonly redisBeforeMb: number;
  readonly redisAfterMb: number;
  readonly keysAfter: number;
  readonly seconds: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Process memory before and after `total` snapshots through both workers (after `warmup` snapshots, with a GC
 * before each reading when node runs with --expose-gc). Completed jobs are trimmed by the queues' retention and
 * applied-result keys expire, so neither the process nor Redis should keep the history.
 */
export async function memoryPhase(
  context: PhaseContext,
  tracking: Tracking,
  snapshots: () => Generator<Snapshot>,
  total: number,
  warmup: number,
  onProgress: (done: number) => void,
): Promise<MemoryResult> {
  const prefix = `${context.prefix}-memory`;
  context.usedPrefixes.push(prefix);
  let done = 0;
  const pipeline = await startFullPipeline(context, prefix, tracking, {
    onDrained: () => {
      done += 1;
      if (done % 1000 === 0) onProgress(done);
    },
  });
  // Summed over every master of a cluster (the prefix's hash tag puts all of this run's keys on one of them).
  const redisMemory = async () => {
    let used = 0;
    for (const node of await serverNodes(context.admin)) {
      used += Number(parseInfo(await node.info('memory')).get('used_memory') ?? 0);
    }
    return used;
  };
  let before = { rss: 0, heap: 0, redis: 0 };
  let started = 0;
  // Heap and RSS after a GC at every fifth of the run: a leak shows as a trend, not as one reading.
  const samples: MemorySample[] = [];
  const sample = () => {
    collectGarbage();
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ done: Math.max(0, done - warmup), rssMb: mb(rss), heapMb: mb(heapUsed) });
  };
  const source = snapshots();
  let added = 0;
  const BACKLOG = 2000;
  while (done < total + warmup) {
    if (added < total + warmup && added - done < BACKLOG) {
      const batch: Snapshot[] = [];
      for (let i = 0; i < 500 && added < total + warmup; i += 1, added += 1) {
        const next = source.next();
        if (next.done === true) throw new Error('ran out of snapshots');
        batch.push(next.value);
      }
      await enqueueSnapshots(pipeline.entrance, admitRawSnapshots(batch, pipeline.trackings));
    } else {
      await sleep(5);
    }
    if (started === 0 && done >= warmup) {
      collectGarbage();
      before = {
        rss: process.memoryUsage().rss,
        heap: process.memoryUsage().heapUsed,
        redis: await redisMemory(),
      };
      started = performance.now();
      sample();
    } else if (started !== 0 && done - warmup >= (samples.length * total) / 5 && samples.length < 5) {
      sample();
    }
  }
  while (
    !Object.values(await pipeline.publishQueue.getJobCounts('waiting', 'active')).every((n) => n === 0)
  ) {
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  sample();
  const after = {
    rss: process.memoryUsage().rss,
    heap: process.memoryUsage().heapUsed,
    redis: await redisMemory(),
  };
  let keys = 0;
  for (const node of await serverNodes(context.admin)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys += found.length;
    } while (cursor !== '0');
  }
  await pipeline.close(5000);
  return {
    snapshots: total,
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    heapBeforeMb: mb(before.heap),
    heapAfterMb: mb(after.heap),
    redisBeforeMb: mb(before.redis),
    redisAfterMb: mb(after.redis),
    keysAfter: keys,
    seconds,
    samples,
  };
}
