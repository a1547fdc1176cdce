import { loadSettings, SettingsError, type Settings } from './env.js';
import { CommandError } from './cli/replay-command.js';
import { startPipeline, type Pipeline } from './jobs/pipeline.js';
import { createLogger, type Logger } from './logger.js';
import { ConsolePublisher } from './platforms/console/console-publisher.js';
import { loggingModeratorNotifier } from './platforms/moderator-notifier.js';
import type { Publisher } from './platforms/publisher.js';
import { connectX, XSetupError } from './platforms/x/connect-x.js';
import { XCredentialsError } from './platforms/x/x-verify.js';
import { createRedis } from './redis.js';
import { renderPosts } from './posts/render-posts.js';
import { loadTrackings, TrackingConfigError } from './tracking/load-tracking.js';
import type { Tracking } from './tracking/tracking.js';
import type { Redis } from 'ioredis';

/** How long SIGTERM/SIGINT waits for active jobs before closing workers hard. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/** One publisher per platform: the real adapter when its credentials are set, the console otherwise. */
async function choosePublishers(settings: Settings, logger: Logger, redis: Redis): Promise<Publisher[]> {
  const publishers: Publisher[] = [];
  if (settings.discordEnabled) {
    logger.warn(
      'DISCORD_TOKEN is set, but the Discord publisher is not wired yet: Discord posts go to the console',
    );
  } else {
    logger.info('Discord credentials absent: Discord posts are printed to the console');
  }
  publishers.push(new ConsolePublisher('discord', renderPosts));
  if (settings.xEnabled) {
    // The moderators' Discord channel implements ModeratorNotifier (and ApprovalGate for X_APPROVAL=discord)
    // once it is wired; until then, notices go to the log and approval is unavailable.
    const notifier = loggingModeratorNotifier(logger);
    try {
      publishers.push(await connectX(settings, { redis, render: renderPosts, notifier, logger }));
    } catch (error) {
      if (error instanceof XCredentialsError || error instanceof XSetupError) {
        throw new CommandError(error.message, 2);
      }
      throw error;
    }
  } else {
    logger.info('X credentials absent: X posts are printed to the console');
    publishers.push(new ConsolePublisher('x', renderPosts));
  }
  return publishers;
}

/** `npm start`: runs the roles the settings ask for until SIGINT or SIGTERM, then drains and exits. */
export async function startCommand(env: Record<string, string | undefined>): Promise<void> {
  let settings: Settings;
  let trackings: Tracking[];
  try {
    settings = loadSettings(env);
    trackings = loadTrackings(settings.trackingConfigPaths);
  } catch (error) {
    if (error instanceof SettingsError || error instanceof TrackingConfigError) {
      throw new CommandError(error.message, 2);
    }
    throw error;
  }
  const logger = createLogger(settings.LOG_LEVEL);
  const roles = new Set(settings.ROLES);
  logger.info({ roles: [...roles], artists: trackings.map((t) => t.artist.id) }, 'starting');
  const publisherRedis = createRedis(settings.REDIS_URL);
  let publishers: Publisher[];
  try {
    publishers = await choosePublishers(settings, logger, publisherRedis);
  } catch (error) {
    publisherRedis.disconnect();
    throw error;
  }
  const pipeline: Pipeline = await startPipeline({
    redisUrl: settings.REDIS_URL,
    prefix: settings.QUEUE_PREFIX,
    trackings,
    publishers,
    logger,
    runSnapshotWorker: roles.has('worker'),
    runPublishWorker: roles.has('publisher'),
    snapshotConcurrency: settings.WORKER_CONCURRENCY,
    publishConcurrency: settings.PUBLISH_CONCURRENCY,
  });
  logger.info('ready: waiting for snapshots');

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: draining active jobs');
      pipeline
        .close(SHUTDOWN_TIMEOUT_MS)
        .then(() => publisherRedis.quit())
        .then(() => logger.info('stopped'))
        .catch((error: unknown) => logger.error({ err: String(error) }, 'error while stopping'))
        .finally(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
