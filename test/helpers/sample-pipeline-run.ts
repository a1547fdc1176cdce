import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SnapshotJobResult } from '../../src/jobs/contracts.js';
import { enqueueRaw } from './enqueue-raw.js';
import { startPipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { snapshotRules, validateSnapshotLines } from '../../src/snapshots/validate-snapshots.js';
import type { LedgerEntry } from '../../src/state/post-ledger.store.js';
import { layoverTracking } from './tracking-fixtures.js';
import { RecordingPublisher } from './recording-publisher.js';

export const SAMPLE_HISTORY = 'config/sample/layover-history.jsonl';

export interface SampleRun {
  /** Milestone ids in the order the snapshots announced them (file order). */
  readonly milestoneIds: readonly string[];
  /** Ledger keys the recording publishers were called with, in call order (one per real delivery). */
  readonly published: readonly string[];
  /** Every ledger entry of every announced milestone, by milestone id and destination. */
  readonly ledger: ReadonlyMap<string, ReadonlyMap<string, LedgerEntry>>;
  readonly failedSnapshotJobs: number;
  readonly failedPublishJobs: number;
  readonly seconds: number;
}

/**
 * The bundled sample history (config/layover.json) through the live pipeline, as `npm run replay` runs it: every
 * snapshot on the `snapshots` queue, one at a time in file order, with the snapshot and publish workers running
 * and a recording publisher for X and one for Discord. Leaves its keys under `prefix` for the caller to inspect
 * and remove.
 */
export async function runSampleHistory(options: {
  readonly redisUrl: string;
  readonly redisCluster: boolean;
  readonly prefix: string;
  readonly timeoutMs?: number;
}): Promise<SampleRun> {
  const tracking = layoverTracking();
  const { snapshots, problems } = validateSnapshotLines(
    readFileSync(SAMPLE_HISTORY, 'utf8'),
    snapshotRules([tracking], 600),
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const recorder = createRedis(options.redisUrl, { cluster: options.redisCluster });
  const publishedKey = `${options.prefix}:test:published`;
  const results = new Map<string, SnapshotJobResult>();
  const started = performance.now();
  const pipeline = await startPipeline({
    redisUrl: options.redisUrl,
    redisCluster: options.redisCluster,
    prefix: options.prefix,
    trackings: [tracking],
    publishers: [
      new RecordingPublisher('x', recorder, publishedKey),
      new RecordingPublisher('discord', recorder, publishedKey),
    ],
    logger: createLogger('silent'),
    runSnapshotWorker: true,
    runPublishWorker: true,
    snapshotConcurrency: 1,
    publishConcurrency: 8,
    onApplied: (result, jobId) => {
      if (jobId !== undefined) results.set(jobId, result);
    },
  });
  try {
    // One at a time in file order, as the replay does.
    await enqueueRaw(pipeline, snapshots, {
      order: 'arrival',
      attempts: 1,
      jobIds: snapshots.map((_, i) => `s-${i}`),
    });
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    for (;;) {
      const failed = await pipeline.snapshotQueue.getFailedCount();
      const publishing = await pipeline.publishQueue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
      );
      if (results.size + failed === snapshots.length && Object.values(publishing).every((n) => n === 0))
        break;
      if (Date.now() > deadline) {
        throw new Error(`sample run timed out: ${results.size} applied, ${JSON.stringify(publishing)}`);
      }
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    const milestoneIds = snapshots.flatMap((_, i) => results.get(`s-${i}`)?.milestoneIds ?? []);
    const ledger = new Map<string, ReadonlyMap<string, LedgerEntry>>();
    for (const id of milestoneIds) ledger.set(id, await pipeline.ledger.entries(id));
    return {
      milestoneIds,
      published: await recorder.lrange(publishedKey, 0, -1),
      ledger,
      failedSnapshotJobs: await pipeline.snapshotQueue.getFailedCount(),
      failedPublishJobs: await pipeline.publishQueue.getFailedCount(),
      seconds,
    };
  } finally {
    await pipeline.close(5_000);
    recorder.disconnect();
  }
}
