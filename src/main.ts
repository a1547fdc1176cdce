import { loadSettings, SettingsError, type Settings } from './env.js';
import { CommandError } from './cli/replay-command.js';
import { createLogger, type Logger } from './logger.js';
import { RedisRequirementError } from './ops/redis-requirements.js';
import { ConsolePublisher } from './platforms/console/console-publisher.js';
import type { Publisher } from './platforms/publisher.js';
import { renderPosts } from './posts/render-posts.js';
import { startRoles, stopOnSignal, type RunningApp } from './roles.js';
import { loadTrackings, TrackingConfigError } from './tracking/load-tracking.js';
import type { Tracking } from './tracking/tracking.js';

/** Exit code when Redis is unfit (evicting policy, too old): distinct from bad settings (2). */
const EXIT_REDIS_UNFIT = 3;

/** One publisher per platform: the real adapter when its credentials are set, the console otherwise. */
function choosePublishers(settings: Settings, logger: Logger): Publisher[] {
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
    logger.warn('X credentials are set, but the X publisher is not wired yet: X posts go to the console');
  } else {
    logger.info('X credentials absent: X posts are printed to the console');
  }
  publishers.push(new ConsolePublisher('x', renderPosts));
  return publishers;
}

/**
 * `npm start`: runs the roles the settings ask for (ROLES) until SIGINT or SIGTERM, then drains for at most
 * SHUTDOWN_TIMEOUT_MS and returns. Refuses to start on a Redis that could evict keys or is older than 6.2.
 */
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
  logger.info({ roles: settings.ROLES, artists: trackings.map((t) => t.artist.id) }, 'starting');
  let app: RunningApp;
  try {
    app = await startRoles({
      settings,
      trackings,
      logger,
      publishers: choosePublishers(settings, logger),
      // bot: the discord branch supplies `starters.bot`; poller: the sources branch supplies `starters.poller`.
      // Ingest and interactions routes are added through `routes`.
    });
  } catch (error) {
    if (error instanceof RedisRequirementError) throw new CommandError(error.message, EXIT_REDIS_UNFIT);
    throw error;
  }
  // Signal handlers first: "ready" tells a supervisor it may signal us.
  const stopped = stopOnSignal(app, logger, settings.SHUTDOWN_TIMEOUT_MS);
  logger.info({ roles: [...app.roles], httpPort: app.httpPort }, 'ready');
  await stopped;
  // Everything is closed; should a library still hold a handle open, do not let it keep the process alive.
  setTimeout(() => process.exit(), 1000).unref();
}
