import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isInteractive } from '../env.js';
import { createLogger } from '../logger.js';
import { renderPosts } from '../platform-posts/default-renderer.js';
import { runReplay, type ReplayedMilestone } from '../replay/run-replay.js';
import { snapshotRules, validateSnapshotLines } from '../snapshots/validate-snapshots.js';
import { loadTrackings, TrackingConfigError } from '../tracking/load-tracking.js';
import { CommandError, settingsForCommand } from '../command-error.js';
import { createProgress } from './progress.js';
import { NoRedisError, redact, redisForRun } from './private-redis.js';

export { CommandError };

export const replayUsage =
  'usage: npm run replay -- --config <tracking.json> --snapshots <snapshots.jsonl> [--json]';

function describeMilestone(m: ReplayedMilestone): string {
  const subject = m.trackId ?? m.albumId ?? m.artistId;
  const day = m.daysSinceRelease === null ? '' : ` · day ${m.daysSinceRelease}`;
  return `${m.kind} ${subject} ${m.threshold.toLocaleString('en-US')}${day} · ${m.observedAt}`;
}

function printHuman(milestones: readonly ReplayedMilestone[]): void {
  const rule = '─'.repeat(72);
  for (const m of milestones) {
    process.stdout.write(
      `${rule}\n${describeMilestone(m)}\n\n[X]\n${m.posts.x}\n\n[Discord]\n${m.posts.discord}\n`,
    );
  }
  process.stdout.write(`${rule}\n`);
}

/**
 * `replay` and `demo` (the bundled sample history, human-readable). Validates everything before
 * enqueuing anything; bad lines end the command with exit code 2 and one message per line.
 */
export async function replayCommand(
  argv: readonly string[],
  mode: 'replay' | 'demo',
  env: Record<string, string | undefined>,
): Promise<void> {
  const settings = settingsForCommand(env);
  let configPath: string;
  let snapshotsPath: string;
  let json = false;
  if (mode === 'demo') {
    configPath = 'config/layover.json';
    snapshotsPath = 'config/sample/layover-history.jsonl';
  } else {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: { config: { type: 'string' }, snapshots: { type: 'string' }, json: { type: 'boolean' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new CommandError(`${(error as Error).message}\n${replayUsage}`, 2);
    }
    if (values.config === undefined || values.snapshots === undefined) {
      throw new CommandError(`--config and --snapshots are required\n${replayUsage}`, 2);
    }
    configPath = values.config;
    snapshotsPath = values.snapshots;
    json = values.json === true;
  }
  const logger = createLogger(
    // Quieter than the service by default (the output is the point); LOG_LEVEL=debug still shows debug, on stderr.
    settings.LOG_LEVEL === 'info' ? 'warn' : settings.LOG_LEVEL,
    2,
    settings.LOG_FORMAT,
  );

  let trackings;
  try {
    trackings = loadTrackings([configPath]);
  } catch (error) {
    if (error instanceof TrackingConfigError) throw new CommandError(error.message, 2);
    throw error;
  }
  let text: string;
  try {
    text = readFileSync(snapshotsPath, 'utf8');
  } catch (error) {
    throw new CommandError(
      `${snapshotsPath}: cannot read the file (${(error as NodeJS.ErrnoException).code})`,
      2,
    );
  }
  const byId = new Map(trackings.map((t) => [t.artist.id, t]));
  const { snapshots, records, problems } = validateSnapshotLines(
    text,
    snapshotRules(byId, settings.CLOCK_SKEW_SECONDS),
  );
  if (problems.length > 0) {
    throw new CommandError(
      `${snapshotsPath}: ${problems.length} bad line(s), nothing was enqueued\n${problems.join('\n')}`,
      2,
    );
  }
  if (mode === 'demo') {
    process.stderr.write(
      `Replaying SAMPLE DATA (${snapshotsPath}): ${snapshots.length} daily snapshots of V's Layover, ` +
        'interpolated between published figures. Console only; nothing is posted anywhere.\n',
    );
  }

  let redis;
  try {
    redis = await redisForRun(settings.REDIS_URL, settings.redisUrlExplicit, settings.REDIS_CLUSTER);
  } catch (error) {
    if (error instanceof NoRedisError) throw new CommandError(error.message, 1);
    throw error;
  }
  if (redis.privatePort !== null) {
    process.stderr.write(
      `No Redis at ${redact(settings.REDIS_URL)}; started a private one on port ${redis.privatePort}.\n`,
    );
  }
  const progress = createProgress('snapshots applied', snapshots.length, isInteractive());
  try {
    const milestones = await runReplay({
      redisUrl: redis.url,
      redisCluster: settings.REDIS_CLUSTER,
      trackings,
      snapshots: records,
      render: renderPosts,
      logger,
      onProgress: (done) => progress.update(done),
    });
    progress.stop();
    if (json) {
      for (const m of milestones) process.stdout.write(`${JSON.stringify(m)}\n`);
    } else {
      printHuman(milestones);
      process.stderr.write(`${milestones.length} milestones announced from ${snapshots.length} snapshots.\n`);
    }
  } finally {
    progress.stop();
    await redis.stop();
  }
}
