import { parseArgs } from 'node:util';
import { Queue, type Job } from 'bullmq';
import { snapshotsQueue } from '../jobs/contracts.js';
import { createRedis, redisAnswers } from '../redis.js';
import { redact } from './private-redis.js';
import { CommandError, settingsForCommand } from '../command-error.js';

export const failedUsage = 'usage: npm run failed -- [--limit <n>] [--json] | --retry <job id|all>';

/** One failed snapshot job: what came in and why it was refused. */
export interface FailedSnapshotJob {
  readonly id: string;
  readonly failedReason: string;
  readonly failedAt: string | null;
  readonly attemptsMade: number;
  /** The payload as it was enqueued. */
  readonly data: unknown;
}

/** `capturedAt artist source · N tracks · artistStreams · followers`, from whatever the payload holds. */
export function summarizePayload(data: unknown): string {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return JSON.stringify(data).slice(0, 120);
  const job = data as Record<string, unknown>;
  // A snapshot job carries the admitted snapshot under `snapshot` (artist as `artistId`); older ones were the
  // snapshot itself.
  const inner = job.snapshot;
  const d: Record<string, unknown> =
    typeof inner === 'object' && inner !== null
      ? { ...(inner as Record<string, unknown>), artist: (inner as Record<string, unknown>).artistId }
      : job;
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v).slice(0, 60));
  const parts = [d.capturedAt === undefined ? '(no capturedAt)' : show(d.capturedAt)];
  if (d.artist !== undefined) parts.push(`artist=${show(d.artist)}`);
  if (d.source !== undefined) parts.push(`source=${show(d.source)}`);
  const tracks = d.tracks;
  parts.push(
    typeof tracks === 'object' && tracks !== null ? `${Object.keys(tracks).length} track(s)` : '(no tracks)',
  );
  if (d.artistStreams !== undefined) parts.push(`artistStreams=${show(d.artistStreams)}`);
  if (d.followers !== undefined) parts.push(`followers=${show(d.followers)}`);
  if (job.backfill === true) parts.push('backfill');
  return parts.join(' · ');
}

function describe(job: Job): FailedSnapshotJob {
  return {
    id: job.id ?? '(no id)',
    failedReason: job.failedReason,
    failedAt: job.finishedOn === undefined ? null : new Date(job.finishedOn).toISOString(),
    attemptsMade: job.attemptsMade,
    data: job.data as unknown,
  };
}

/** Reads the newest failed snapshot jobs (failed jobs keep their payload and error: see snapshotJobOptions). */
export async function readFailedSnapshotJobs(
  redisUrl: string,
  prefix: string,
  limit: number,
  options: { readonly cluster?: boolean } = {},
): Promise<{ total: number; jobs: FailedSnapshotJob[] }> {
  const redis = createRedis(redisUrl, { cluster: options.cluster ?? false });
  const queue = new Queue(snapshotsQueue.name, { connection: redis, prefix });
  try {
    const total = await queue.getFailedCount();
    const jobs = await queue.getFailed(0, limit - 1);
    return { total, jobs: jobs.map(describe) };
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** What `--retry` did: the jobs moved back to waiting, and the ids asked for that were not failed jobs. */
export interface RetryOutcome {
  readonly retried: readonly string[];
  readonly problems: readonly string[];
}

/**
 * Moves failed snapshot jobs back to waiting so that a worker runs them again (with fresh attempts): one job by
 * id, or `all` the jobs failed at the time of the call (jobs that fail again meanwhile are not retried twice).
 */
export async function retryFailedSnapshotJobs(
  redisUrl: string,
  prefix: string,
  which: string,
  options: { readonly cluster?: boolean } = {},
): Promise<RetryOutcome> {
  const redis = createRedis(redisUrl, { cluster: options.cluster ?? false });
  const queue = new Queue(snapshotsQueue.name, { connection: redis, prefix });
  try {
    const jobs: Job[] = [];
    const problems: string[] = [];
    if (which === 'all') {
      jobs.push(...(await queue.getFailed(0, -1)));
    } else {
      const job = await queue.getJob(which);
      const state = job === undefined ? null : await job.getState();
      if (job === undefined) problems.push(`no snapshot job with id "${which}"`);
      else if (state !== 'failed')
        problems.push(`snapshot job "${which}" is ${state}, not failed: nothing to retry`);
      else jobs.push(job);
    }
    const retried: string[] = [];
    for (const job of jobs) {
      try {
        await job.retry('failed');
        retried.push(job.id ?? '(no id)');
      } catch (error) {
        // Taken by someone else (another retry, or removed) between the listing and now.
        problems.push(`snapshot job "${job.id ?? ''}": ${(error as Error).message}`);
      }
    }
    return { retried, problems };
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** `npm run failed`: lists failed snapshot jobs, newest first: id, reason, and a summary of the payload. */
export async function failedCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const settings = settingsForCommand(env);
  let values: { limit?: string; json?: boolean; retry?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { limit: { type: 'string' }, json: { type: 'boolean' }, retry: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${failedUsage}`, 2);
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CommandError(`--limit must be a positive whole number\n${failedUsage}`, 2);
  const cluster = settings.REDIS_CLUSTER;
  if (!(await redisAnswers(settings.REDIS_URL, 1000, { cluster }))) {
    throw new CommandError(`Redis does not answer at ${redact(settings.REDIS_URL)}`, 1);
  }
  if (values.retry !== undefined) {
    if (values.retry.trim() === '')
      throw new CommandError(`--retry needs a job id or "all"\n${failedUsage}`, 2);
    const { retried, problems } = await retryFailedSnapshotJobs(
      settings.REDIS_URL,
      settings.QUEUE_PREFIX,
      values.retry.trim(),
      { cluster },
    );
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify({ retried, problems })}\n`);
    } else {
      process.stdout.write(
        `retried ${retried.length} failed snapshot job(s)${retried.length > 0 ? `: ${retried.join(', ')}` : ''}\n`,
      );
    }
    if (problems.length > 0) throw new CommandError(problems.join('\n'), 1);
    return;
  }
  const { total, jobs } = await readFailedSnapshotJobs(settings.REDIS_URL, settings.QUEUE_PREFIX, limit, {
    cluster,
  });
  if (values.json === true) {
    for (const job of jobs) process.stdout.write(`${JSON.stringify(job)}\n`);
    return;
  }
  if (total === 0) {
    process.stdout.write('no failed snapshot jobs\n');
    return;
  }
  process.stdout.write(
    `${total} failed snapshot job(s)${total > jobs.length ? `, newest ${jobs.length} shown` : ''}\n`,
  );
  for (const job of jobs) {
    process.stdout.write(
      `\n${job.id}  failed ${job.failedAt ?? '?'} after ${job.attemptsMade} attempt(s)\n` +
        `  why:     ${job.failedReason}\n  payload: ${summarizePayload(job.data)}\n`,
    );
  }
}
