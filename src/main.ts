import { loadSettings, SettingsError, type Settings } from './env.js';
import { CommandError } from './command-error.js';
import { boardMessage } from '../commands/handlers/board-view.js';
import { ingestRoute } from './http/ingest-route.js';
import { CrosspostQueue } from './jobs/crosspost-queue.js';
import type { RouteModule } from './http/server.js';
import { createLogger, type Logger } from './logger.js';
import { RedisDownError, reportRedisConnectionErrors, requireReachableRedis } from './ops/redis-down.js';
import { RedisRequirementError } from './ops/redis-requirements.js';
import { ConsolePublisher } from './platforms/console/console-publisher.js';
import { cachedCards, type CardSource } from './cards/card-cache.js';
import { ChartPool } from './cards/chart-pool.js';
import { registerCardFonts } from './cards/fonts.js';
import { createDiscordApp, type DiscordApp } from './discord-app.js';
import { startGateway, type Gateway } from './platforms/discord/gateway.js';
import { redisInteractionClaims } from './platforms/discord/interactions/interaction-claims.js';
import { loggingModeratorNotifier } from './platforms/moderator-notifier.js';
import type { Publisher } from './platforms/publisher.js';
import { connectX, XSetupError } from './platforms/x/connect-x.js';
import { XCredentialsError } from './platforms/x/x-verify.js';
import { renderPosts } from './platform-posts/default-renderer.js';
import { postPlatforms, postText } from './platform-posts/post-formats.js';
import { createRedis, type RedisClient } from './redis.js';
import { HttpListenError, startRoles, stopOnSignal, type RoleStarter, type RunningApp } from './roles.js';
import { RedisHostLock, type HostLock } from './sources/host-lock.js';
import { stateKeys } from './state/keys.js';
import { snapshotRules } from './snapshots/validate-snapshots.js';
import { startPoller, type Poller } from './sources/poller.js';
import { SourcesConfigError, type ScheduledSource } from './sources/sources-config.js';
import { logSourceNotes, sourcesFromSettings } from './sources/sources-from-settings.js';
import { loadTrackings, TrackingConfigError } from './tracking/load-tracking.js';
import { loadTemplates, TemplateLoadError } from './posts/template-store.js';
import type { Tracking } from './tracking/tracking.js';

/** Exit code when Redis is unfit (evicting policy, too old): distinct from bad settings (2). */
const EXIT_REDIS_UNFIT = 3;
/** Exit code when Redis does not answer at start-up. */
const EXIT_REDIS_DOWN = 4;
/** Exit code when the HTTP server cannot listen (HTTP_PORT in use, HTTP_HOST not local). */
const EXIT_HTTP_LISTEN = 5;

/** One publisher per platform: the real adapter when its credentials are set, the console otherwise. */
async function choosePublishers(
  settings: Settings,
  logger: Logger,
  discord: DiscordApp | null,
  redis: RedisClient,
  cards: CardSource,
): Promise<Publisher[]> {
  const publishers: Publisher[] = [];
  if (discord?.canPost === true) {
    logger.info('Discord: posting to every configured server');
    publishers.push(discord.publisher);
  } else {
    logger.info('Discord credentials absent: Discord posts are printed to the console');
    publishers.push(new ConsolePublisher('discord', (m, t) => postText('discord', renderPosts(m, t))));
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
          cards,
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
    publishers.push(new ConsolePublisher('x', (m, t) => postText('x', renderPosts(m, t))));
  }
  return publishers;
}

/** The sources the `poller` role polls (empty without SOURCES_CONFIG); config problems are start-up errors. */
function loadPollSources(
  settings: Settings,
  trackings: readonly Tracking[],
  logger: Logger,
  hostLock: HostLock,
): ScheduledSource[] {
  // Without SOURCES_CONFIG the poller role is reported by startRoles, with the reason.
  if (settings.SOURCES_CONFIG === undefined) return [];
  if (settings.POLLER_CONTACT_URL === undefined) {
    logger.warn(
      'POLLER_CONTACT_URL is not set: polls identify the project but give sites no way to reach you',
    );
  }
  const sources = sourcesFromSettings(settings, trackings, logger, hostLock);
  logSourceNotes(sources, trackings, logger);
  return sources;
}

/** `npm start`: runs the roles the settings ask for until SIGINT or SIGTERM, then drains and exits. */
export async function startCommand(env: Record<string, string | undefined>): Promise<void> {
  let settings: Settings;
  let trackings: Tracking[];
  try {
    settings = loadSettings(env);
    trackings = loadTrackings(settings.trackingConfigPaths);
    // Every post template, read and checked now: a broken or missing one stops the start, not the first post.
    loadTemplates(postPlatforms);
  } catch (error) {
    if (
      error instanceof SettingsError ||
      error instanceof TrackingConfigError ||
      error instanceof TemplateLoadError
    ) {
      throw new CommandError(error.message, 2);
    }
    throw error;
  }
  const logger = createLogger(settings.LOG_LEVEL, 2, settings.LOG_FORMAT);
  // Redis down at start-up: say so within 10 s and exit. Once running, a lost Redis is retried with backoff,
  // reported once per 30 s, and /healthz answers 503 meanwhile.
  try {
    await requireReachableRedis(settings.REDIS_URL, { cluster: settings.REDIS_CLUSTER });
  } catch (error) {
    if (error instanceof RedisDownError) throw new CommandError(error.message, EXIT_REDIS_DOWN);
    throw error;
  }
  const stopReportingRedisErrors = reportRedisConnectionErrors(logger);
  const roles = new Set(settings.ROLES);
  let pollSources: ScheduledSource[] = [];
  const hostLockRedis = roles.has('poller')
    ? createRedis(settings.REDIS_URL, { cluster: settings.REDIS_CLUSTER, lazyConnect: true })
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
  // Cards go out with Discord and X posts: fonts named in CARD_FONTS (e.g. a Hangul font) must be known before the first.
  if (settings.cardFontPaths.length > 0 && registerCardFonts(settings.cardFontPaths) === 0) {
    logger.warn({ paths: settings.cardFontPaths }, 'CARD_FONTS: no usable font file found');
  }
  // One card cache for both platforms: each milestone's card is drawn once per language.
  const cards = cachedCards();
  const cluster = { cluster: settings.REDIS_CLUSTER };
  // A public key alone is enough to answer commands over HTTP (replies use the interaction token).
  const discordWanted = settings.DISCORD_TOKEN !== undefined || settings.DISCORD_PUBLIC_KEY !== undefined;
  const discordRedis = discordWanted ? createRedis(settings.REDIS_URL, cluster) : null;
  // `/layover status` charts are drawn in worker threads (CHART_WORKERS), so that drawing never holds up the first
  // answer to an interaction; started now, so that the first command does not wait for a worker to load.
  const answersCommands =
    (roles.has('http') && settings.DISCORD_PUBLIC_KEY !== undefined) ||
    (roles.has('bot') && settings.DISCORD_TOKEN !== undefined);
  const chartPool =
    answersCommands && settings.CHART_WORKERS > 0
      ? new ChartPool({ size: settings.CHART_WORKERS, fontPaths: settings.cardFontPaths })
      : null;
  if (chartPool !== null) {
    chartPool.start();
    logger.info({ chartWorkers: settings.CHART_WORKERS }, 'status charts are drawn in worker threads');
  }
  const discord =
    discordRedis === null
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
          pingMaxAgeHours: settings.ANNOUNCE_PING_MAX_AGE_HOURS,
          boardEditIntervalMs: settings.BOARD_EDIT_INTERVAL_SECONDS * 1000,
          cards,
          crossposts: (parts) =>
            new CrosspostQueue({
              ...parts,
              redis: discordRedis,
              connect: () => createRedis(settings.REDIS_URL, cluster),
              prefix: settings.QUEUE_PREFIX,
              keys: stateKeys(settings.QUEUE_PREFIX),
              logger,
              perWindow: settings.DISCORD_CROSSPOSTS_PER_HOUR,
            }),
          ...(chartPool === null ? {} : { drawChart: chartPool.draw }),
        });
  if (discord !== null && !discord.canPost) {
    logger.warn(
      'DISCORD_PUBLIC_KEY is set without DISCORD_TOKEN: POST /interactions answers commands (replies use the interaction token), but announcements are printed to the console, the gateway (role bot) is off and /layover-mod test cannot post',
    );
  }
  if (settings.DISCORD_MOD_CHANNEL_ID !== undefined && settings.DISCORD_TOKEN === undefined) {
    logger.warn('DISCORD_MOD_CHANNEL_ID is set but DISCORD_TOKEN is not: moderator notices go to the log');
  }
  const publisherRedis = createRedis(settings.REDIS_URL, cluster);
  let publishers: Publisher[];
  try {
    publishers = await choosePublishers(settings, logger, discord, publisherRedis, cards);
    discord?.showBudgets(publishers);
  } catch (error) {
    publisherRedis.disconnect();
    discordRedis?.disconnect();
    await chartPool?.close();
    throw error;
  }
  let app: RunningApp;
  try {
    app = await startRoles({
      settings,
      trackings,
      logger,
      publishers,
      boards: {
        intervalMs: settings.BOARD_EDIT_INTERVAL_SECONDS * 1000,
        editor:
          discord?.boardMessages == null
            ? null
            : {
                messages: discord.boardMessages,
                view: boardMessage,
                notifier: discord.moderators?.notifier ?? loggingModeratorNotifier(logger),
              },
      },
      starters: {
        ...(discord !== null && settings.DISCORD_TOKEN !== undefined
          ? { bot: startBot(discord, settings.DISCORD_TOKEN, settings) }
          : {}),
        ...(pollSources.length > 0 ? { poller: startPollerRole(pollSources) } : {}),
      },
      routes: ({ pipeline }) => {
        const routes: RouteModule[] = [];
        if (settings.INGEST_TOKEN === undefined) {
          logger.info('INGEST_TOKEN is not set: POST /snapshots is off');
        } else {
          routes.push(
            ingestRoute({
              token: settings.INGEST_TOKEN,
              trackings: pipeline.trackings,
              entrance: pipeline.entrance,
              clockSkewSeconds: settings.CLOCK_SKEW_SECONDS,
              logger,
            }),
          );
        }
        if (discord?.interactionsRoute != null) routes.push(discord.interactionsRoute);
        else if (discord !== null) {
          logger.warn(
            'DISCORD_PUBLIC_KEY is not set: POST /interactions is off (commands work only through the gateway, role bot)',
          );
        }
        return routes;
      },
    });
  } catch (error) {
    hostLockRedis?.disconnect();
    discordRedis?.disconnect();
    publisherRedis.disconnect();
    await chartPool?.close();
    if (error instanceof RedisRequirementError) throw new CommandError(error.message, EXIT_REDIS_UNFIT);
    if (error instanceof HttpListenError) throw new CommandError(error.message, EXIT_HTTP_LISTEN);
    throw error;
  }
  // Signal handlers first: "ready" tells a supervisor it may signal us.
  const stopped = stopOnSignal(app, logger, settings.SHUTDOWN_TIMEOUT_MS);
  logger.info({ roles: [...app.roles], httpPort: app.httpPort }, 'ready: waiting for snapshots');
  await stopped;
  // HTTP and the gateway are closed: no command can ask for a chart any more.
  await chartPool?.close();
  hostLockRedis?.disconnect();
  discordRedis?.disconnect();
  await publisherRedis.quit().catch(() => publisherRedis.disconnect());
  stopReportingRedisErrors();
  // Everything is closed; should a library still hold a handle open, do not let it keep the process alive.
  setTimeout(() => process.exit(), 1000).unref();
}

/** The `bot` role: the Discord gateway, with the shards DISCORD_SHARDS and DISCORD_SHARD_COUNT give this process. */
function startBot(discord: DiscordApp, token: string, settings: Settings): RoleStarter {
  return async ({ logger, pipeline }) => {
    const gateway: Gateway = await startGateway({
      token,
      apiUrl: settings.DISCORD_API_URL,
      dispatch: discord.dispatch,
      rest: discord.interactionRest,
      guilds: discord.guilds,
      logger,
      shards: settings.discordShardPlan,
      claim: redisInteractionClaims(pipeline.redis, pipeline.keys),
    });
    return { stop: () => gateway.close() };
  };
}

/** The `poller` role: polls the configured sources onto the snapshots queue. */
function startPollerRole(sources: ScheduledSource[]): RoleStarter {
  return async ({ settings, pipeline, logger }) => {
    const poller: Poller = await startPoller({
      redisUrl: settings.REDIS_URL,
      redisCluster: settings.REDIS_CLUSTER,
      prefix: settings.QUEUE_PREFIX,
      sources,
      entrance: pipeline.entrance,
      trackings: pipeline.trackings,
      logger,
      rules: snapshotRules(pipeline.trackings, settings.CLOCK_SKEW_SECONDS),
    });
    return { stop: () => poller.close() };
  };
}
