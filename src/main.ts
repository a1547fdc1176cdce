import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadSettings, SettingsError, type Settings } from './env.js';
import { CommandError } from './cli/replay-command.js';
import { ingestRoute } from './http/ingest-route.js';
import { createHttpServer, type RouteModule } from './http/server.js';
import { startPipeline, type Pipeline } from './jobs/pipeline.js';
import { createLogger, type Logger } from './logger.js';
import { ConsolePublisher } from './platforms/console/console-publisher.js';
import { createDiscordApp, type DiscordApp } from './platforms/discord/discord-app.js';
import { startGateway, type Gateway } from './platforms/discord/gateway.js';
import { loggingModeratorNotifier } from './platforms/moderator-notifier.js';
import type { Publisher } from './platforms/publisher.js';
import { connectX, XSetupError } from './platforms/x/connect-x.js';
import { XCredentialsError } from './platforms/x/x-verify.js';
import { renderPosts } from './posts/render-posts.js';
import { createRedis } from './redis.js';
import { RedisHostLock, type HostLock } from './sources/host-lock.js';
import { PoliteHttpClient, userAgentFor } from './sources/polite-http.js';
import { stateKeys } from './state/keys.js';
import { startPoller, type Poller } from './sources/poller.js';
import {
  buildSources,
  loadSourcesConfig,
  SourcesConfigError,
  type ScheduledSource,
} from './sources/sources-config.js';
import { loadTrackings, TrackingConfigError } from './tracking/load-tracking.js';
import type { Tracking } from './tracking/tracking.js';
import type { Redis } from 'ioredis';

/** How long SIGTERM/SIGINT waits for active jobs before closing workers hard. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/** One publisher per platform: the real adapter when its credentials are set, the console otherwise. */
async function choosePublishers(
  settings: Settings,
  logger: Logger,
  discord: DiscordApp | null,
  redis: Redis,
): Promise<Publisher[]> {
  const publishers: Publisher[] = [];
  if (discord !== null) {
    logger.info('Discord: posting to every configured server');
    publishers.push(discord.publisher);
  } else {
    logger.info('Discord credentials absent: Discord posts are printed to the console');
    publishers.push(new ConsolePublisher('discord', renderPosts));
  }
  if (settings.xEnabled) {
    // The moderators' Discord channel (DISCORD_MOD_CHANNEL_ID) hears about pauses and approves drafts;
    // without it, notices go to the log and X_APPROVAL=discord is refused.
    const moderators = discord?.moderators ?? null;
    if (settings.X_APPROVAL === 'discord' && moderators === null) {
      const missing = [
        ...(settings.DISCORD_TOKEN === undefined ? ['DISCORD_TOKEN'] : []),
        ...(settings.DISCORD_MOD_CHANNEL_ID === undefined ? ['DISCORD_MOD_CHANNEL_ID'] : []),
      ];
      throw new CommandError(
        `X_APPROVAL=discord puts X drafts in the moderators' Discord channel, which needs ${missing.join(' and ')}; ` +
          'set them, or set X_APPROVAL=off to post without approval',
        2,
      );
    }
    const notifier = moderators?.notifier ?? loggingModeratorNotifier(logger);
    try {
      publishers.push(
        await connectX(settings, {
          redis,
          render: renderPosts,
          notifier,
          logger,
          ...(moderators === null ? {} : { approval: moderators.approval }),
        }),
      );
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

function projectVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0';
}

/** The sources the `poller` role polls (empty without SOURCES_CONFIG); config problems are start-up errors. */
function loadPollSources(
  settings: Settings,
  trackings: readonly Tracking[],
  logger: Logger,
  hostLock: HostLock,
): ScheduledSource[] {
  if (settings.SOURCES_CONFIG === undefined) {
    logger.info('SOURCES_CONFIG is not set: the poller has nothing to poll');
    return [];
  }
  if (settings.POLLER_CONTACT_URL === undefined) {
    logger.warn(
      'POLLER_CONTACT_URL is not set: polls identify the project but give sites no way to reach you',
    );
  }
  const config = loadSourcesConfig(settings.SOURCES_CONFIG);
  const http = new PoliteHttpClient({
    userAgent: userAgentFor(projectVersion(), settings.POLLER_CONTACT_URL),
    timeoutMs: config.timeoutSeconds * 1000,
    minGapMs: config.minGapSeconds * 1000,
    hostLock,
  });
  const sources = buildSources(
    config,
    new Map(trackings.map((t) => [t.artist.id, t])),
    http,
    settings.SOURCES_CONFIG,
  );
  for (const { source } of sources) {
    if (source.kind !== 'kworb') continue;
    const unmapped = trackings.flatMap((t) =>
      [...t.tracksById.values()].filter((track) => track.spotifyId === undefined).map((track) => track.id),
    );
    if (unmapped.length > 0) {
      logger.warn(
        { source: source.id, tracks: unmapped },
        'kworb maps tracks by Spotify id: these tracks have no spotifyId and get no counts from it',
      );
    }
  }
  return sources;
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
  let pollSources: ScheduledSource[] = [];
  const hostLockRedis = roles.has('poller')
    ? createRedis(settings.REDIS_URL, { lazyConnect: true })
    : undefined;
  if (hostLockRedis !== undefined) {
    const keys = stateKeys(settings.QUEUE_PREFIX);
    try {
      pollSources = loadPollSources(
        settings,
        trackings,
        logger,
        new RedisHostLock(hostLockRedis, keys.pollHost),
      );
    } catch (error) {
      if (error instanceof SourcesConfigError) throw new CommandError(error.message, 2);
      throw error;
    }
  }
  logger.info({ roles: [...roles], artists: trackings.map((t) => t.artist.id) }, 'starting');
  const discordRedis = settings.DISCORD_TOKEN === undefined ? null : createRedis(settings.REDIS_URL);
  const discord =
    settings.DISCORD_TOKEN === undefined || discordRedis === null
      ? null
      : createDiscordApp({
          token: settings.DISCORD_TOKEN,
          publicKey: settings.DISCORD_PUBLIC_KEY,
          apiUrl: settings.DISCORD_API_URL,
          redis: discordRedis,
          keys: stateKeys(settings.QUEUE_PREFIX),
          trackings,
          render: renderPosts,
          logger,
          modChannelId: settings.DISCORD_MOD_CHANNEL_ID,
        });
  if (settings.DISCORD_MOD_CHANNEL_ID !== undefined && discord === null) {
    logger.warn('DISCORD_MOD_CHANNEL_ID is set but DISCORD_TOKEN is not: moderator notices go to the log');
  }
  const publisherRedis = createRedis(settings.REDIS_URL);
  let publishers: Publisher[];
  try {
    publishers = await choosePublishers(settings, logger, discord, publisherRedis);
  } catch (error) {
    publisherRedis.disconnect();
    discordRedis?.disconnect();
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
  let gateway: Gateway | null = null;
  if (discord !== null && settings.DISCORD_TOKEN !== undefined && roles.has('bot')) {
    gateway = await startGateway({
      token: settings.DISCORD_TOKEN,
      apiUrl: settings.DISCORD_API_URL,
      dispatch: discord.dispatch,
      rest: discord.interactionRest,
      guilds: discord.guilds,
      logger,
    });
  }

  let poller: Poller | undefined;
  if (roles.has('poller') && pollSources.length > 0) {
    poller = await startPoller({
      redisUrl: settings.REDIS_URL,
      prefix: settings.QUEUE_PREFIX,
      sources: pollSources,
      snapshotQueue: pipeline.snapshotQueue,
      logger,
    });
  }

  let http: FastifyInstance | undefined;
  if (roles.has('http')) {
    const routes: RouteModule[] = [];
    if (settings.INGEST_TOKEN === undefined) {
      logger.info('INGEST_TOKEN is not set: POST /snapshots is off');
    } else {
      routes.push(
        ingestRoute({
          token: settings.INGEST_TOKEN,
          trackings: pipeline.trackings,
          snapshotQueue: pipeline.snapshotQueue,
          logger,
        }),
      );
    }
    if (discord?.interactionsRoute != null) routes.push(discord.interactionsRoute);
    else if (discord !== null) logger.info('DISCORD_PUBLIC_KEY is not set: POST /interactions is off');
    http = await createHttpServer({ logger, routes });
    await http.listen({ port: settings.HTTP_PORT, host: '0.0.0.0' });
    logger.info({ port: settings.HTTP_PORT }, 'HTTP listening');
  }
  logger.info('ready: waiting for snapshots');

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: draining active jobs');
      Promise.all([http?.close(), poller?.close(), gateway?.close()])
        .then(() => hostLockRedis?.disconnect())
        .then(() => pipeline.close(SHUTDOWN_TIMEOUT_MS))
        .then(() => discordRedis?.disconnect())
        .then(() => publisherRedis.quit())
        .then(() => logger.info('stopped'))
        .catch((error: unknown) => logger.error({ err: String(error) }, 'error while stopping'))
        .finally(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
