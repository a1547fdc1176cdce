import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';

/** BullMQ's failedReason for a job whose worker died more than `maxStalledCount` times while running it. */
export const STALLED_LIMIT_REASON = 'job stalled more than allowable limit';

/**
 * Gives jobs that BullMQ failed for stalling too often another run. Such a job never reached our processor's
 * error handling, so its post ledger entry is still pending (or its snapshot was never answered): left alone, the
 * post would be lost. Running it again is safe, because every job is idempotent (see docs/ops.md). Returns how
 * many jobs were retried. Reads at most `limit` failed jobs per call, newest first.
 */
export async function retryStalledFailures(queue: Queue, limit = 500): Promise<number> {
  const failed = await queue.getFailed(0, limit - 1);
  let retried = 0;
  for (const job of failed) {
    if (job.failedReason !== STALLED_LIMIT_REASON) continue;
    try {
      await job.retry('failed');
      retried += 1;
    } catch {
      // Another process retried it first, or it was removed: nothing to do.
    }
  }
  return retried;
}

export interface StalledSweeper {
  stop(): void;
}

/** Runs {@link retryStalledFailures} on each queue every `intervalMs` until stopped. */
export function startStalledSweeper(
  queues: readonly Queue[],
  intervalMs: number,
  logger: Logger,
): StalledSweeper {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void Promise.all(queues.map(async (queue) => [queue.name, await retryStalledFailures(queue)] as const))
      .then((counts) => {
        for (const [queue, retried] of counts) {
          if (retried > 0) logger.warn({ queue, retried }, 'retried jobs that had stalled too often');
        }
      })
      .catch((error: unknown) => logger.warn({ err: String(error) }, 'stalled-job sweep failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
