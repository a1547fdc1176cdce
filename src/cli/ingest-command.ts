import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { isInteractive } from '../env.js';
import { snapshotsQueue, type SnapshotQueue } from '../jobs/contracts.js';
import { enqueueSnapshots } from '../jobs/enqueue-snapshots.js';
import { createRedis, redisAnswers } from '../redis.js';
import { suggestTrackId } from '../snapshots/did-you-mean.js';
import { snapshotRules } from '../snapshots/validate-snapshots.js';
import { ArtistStateStore } from '../state/artist-state.store.js';
import { stateKeys } from '../state/keys.js';
import { readSnapshotFile, snapshotFileFormats } from '../sources/snapshot-file.js';
import { loadTrackings, TrackingConfigError } from '../tracking/load-tracking.js';
import type { Tracking } from '../tracking/tracking.js';
import { createProgress } from './progress.js';
import { redact } from './private-redis.js';
import { CommandError, settingsForCommand } from '../command-error.js';

export const ingestUsage = `usage: npm run ingest -- <file${snapshotFileFormats.join('|file')}> [--dry-run] [--backfill]`;

export interface IngestResult {
  /** Snapshots in the file. */
  readonly snapshots: number;
  /** Snapshots handed to the queue (0 with --dry-run). */
  readonly enqueued: number;
  /** `tracks` keys that match no tracked track, each once: ignored, and listed in the summary. */
  readonly ignored: readonly string[];
}

/** Unknown keys named in the summary line; the rest are counted. */
const LISTED_IGNORED = 20;

/** The summary's line about ignored keys (with a "did you mean" for likely typos), or '' when there were none. */
export function ignoredSummary(ignored: readonly string[], trackings: readonly Tracking[]): string {
  if (ignored.length === 0) return '';
  const listed = ignored.slice(0, LISTED_IGNORED).map((key) => {
    for (const tracking of trackings) {
      const suggestion = suggestTrackId(key, tracking);
      if (suggestion !== null) return `${JSON.stringify(key)} (did you mean "${suggestion}"?)`;
    }
    return JSON.stringify(key);
  });
  if (ignored.length > listed.length) listed.push(`… and ${ignored.length - listed.length} more`);
  return `ignored ${ignored.length} track key(s) that match no tracked track: ${listed.join(', ')}\n`;
}

/**
 * `npm run ingest -- <file>`: validates the whole file by the entrance rules first (tracking configs, known keys,
 * `capturedAt` at most `CLOCK_SKEW_SECONDS` ahead of the clock; every bad line listed, exit code 2, nothing
 * enqueued), then enqueues every snapshot on the live `snapshots` queue in capturedAt order,
 * in bulk, with a progress bar. Job ids are content hashes, so running the same file twice enqueues nothing new.
 * With `--backfill` the history seeds the state: its milestones are recorded (every destination `skipped`, reason
 * `backfill`) and nothing is posted.
 */
export async function ingestCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  /** The server's clock for the clock-skew rule (tests set it). */
  now: () => number = Date.now,
): Promise<IngestResult> {
  const settings = settingsForCommand(env);
  let values: { 'dry-run'?: boolean; backfill?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { 'dry-run': { type: 'boolean' }, backfill: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${ingestUsage}`, 2);
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new CommandError(`name exactly one file\n${ingestUsage}`, 2);

  let trackings;
  try {
    trackings = loadTrackings(settings.trackingConfigPaths);
  } catch (error) {
    if (error instanceof TrackingConfigError) throw new CommandError(error.message, 2);
    throw error;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code})`, 2);
  }
  const byId = new Map(trackings.map((t) => [t.artist.id, t]));
  const { snapshots, records, problems, ignored } = readSnapshotFile(
    file,
    text,
    snapshotRules(byId, settings.CLOCK_SKEW_SECONDS, now),
  );
  if (problems.length > 0) {
    throw new CommandError(
      `${file}: ${problems.length} problem(s), nothing was enqueued\n${problems.join('\n')}`,
      2,
    );
  }
  if (snapshots.length === 0)
    throw new CommandError(`${file}: no snapshots in the file, nothing was enqueued`, 2);
  if (values['dry-run'] === true) {
    process.stderr.write(
      `${file}: ${snapshots.length} valid snapshot(s); --dry-run, nothing was enqueued\n${ignoredSummary(ignored, trackings)}`,
    );
    return { snapshots: snapshots.length, enqueued: 0, ignored };
  }

  const cluster = { cluster: settings.REDIS_CLUSTER };
  if (!(await redisAnswers(settings.REDIS_URL, 1000, cluster))) {
    throw new CommandError(`Redis does not answer at ${redact(settings.REDIS_URL)}; nothing was enqueued`, 1);
  }
  const backfill = values.backfill === true;
  const redis = createRedis(settings.REDIS_URL, cluster);
  const queue: SnapshotQueue = new Queue(snapshotsQueue.name, {
    connection: redis,
    prefix: settings.QUEUE_PREFIX,
  });
  const artistState = new ArtistStateStore(redis, stateKeys(settings.QUEUE_PREFIX));
  const progress = createProgress('snapshots enqueued', records.length, isInteractive());
  let done = 0;
  try {
    // The whole file goes into the artists' inboxes first, so it is applied in capturedAt order.
    await enqueueSnapshots({ artistState, queue }, records, {
      backfill,
      onProgress: (n) => {
        done = n;
        progress.update(n);
      },
    });
  } catch (error) {
    throw new CommandError(
      `${file}: enqueuing stopped after ${done} of ${records.length} snapshot(s) (${(error as Error).message}); ` +
        'run the same command again: snapshots already enqueued are not enqueued twice',
      1,
    );
  } finally {
    progress.stop();
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
  process.stderr.write(
    `${file}: enqueued ${done} snapshot(s) on ${settings.QUEUE_PREFIX}:${snapshotsQueue.name}` +
      `${backfill ? ' as a backfill: their milestones are recorded and nothing is posted' : ''}\n` +
      ignoredSummary(ignored, trackings),
  );
  return { snapshots: records.length, enqueued: done, ignored };
}
