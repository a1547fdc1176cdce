import type { REST } from '@discordjs/rest';
import { Routes, type APIChannel } from 'discord-api-types/v10';
import { cachedCards, type CardSource } from './cards/card-cache.js';
import { ChartCache } from './cards/chart-cache.js';
import { renderStatusChart, type StatusChartDrawer } from './cards/status-chart.js';
import { statusChartSource } from '../commands/handlers/status-chart-source.js';
import { loadComponentHandlers, loadCommands } from '../commands/index.js';
import type { LayoverServices } from '../commands/services.js';
import { interactionsRoute } from './http/interactions.route.js';
import type { RouteModule } from './http/server.js';
import type { Logger } from './logger.js';
import type { RenderDiscordPosts } from './platforms/discord/discord-post-format.js';
import { ArtistStateStore } from './state/artist-state.store.js';
import { BoardStore } from './state/board.store.js';
import { GuildSettingsStore } from './state/guild-settings.store.js';
import type { StateKeys } from './state/keys.js';
import { MilestoneStore } from './state/milestone.store.js';
import { StreamHistoryStore } from './state/stream-history.store.js';
import type { Tracking } from './tracking/tracking.js';
import type { ApprovalGate } from './platforms/approval-gate.js';
import type { ModeratorNotifier } from './platforms/moderator-notifier.js';
import type { BudgetUsage, Publisher } from './platforms/publisher.js';
import { approvalComponentHandler } from './platforms/discord/approval/approval-interactions.js';
import { discordBoardMessages, type BoardMessages } from './platforms/discord/board/board-messages.js';
import { BoardService } from './platforms/discord/board/board-service.js';
import { ApprovalStore } from './platforms/discord/approval/approval-store.js';
import { DiscordApprovalGate } from './platforms/discord/approval/discord-approval-gate.js';
import { moderatorChannelNotifier } from './platforms/discord/moderator-channel-notifier.js';
import { createDiscordRest } from './platforms/discord/discord-rest.js';
import { DiscordPublisher } from './platforms/discord/discord-publisher.js';
import { GlobalRateLimiter } from './platforms/discord/global-rate-limiter.js';
import {
  createDispatcher,
  type DispatchInteraction,
} from './platforms/discord/interactions/dispatch-interaction.js';
import type { RedisClient } from './redis.js';
import type { CrosspostScheduler, CrosspostSchedulerFactory } from './platforms/discord/crosspost.js';
import { boardMessage } from '../commands/handlers/board-view.js';

export interface DiscordAppOptions {
  /**
   * `DISCORD_TOKEN`. Without it the app still serves `POST /interactions` (answers go through the interaction
   * token), but it cannot post: no publisher use, no moderators' channel, no `/layover-mod test`.
   */
  readonly token?: string | undefined;
  /** `DISCORD_PUBLIC_KEY`; without it there is no `POST /interactions`. */
  readonly publicKey?: string | undefined;
  /** `DISCORD_API_URL`. */
  readonly apiUrl: string;
  readonly redis: RedisClient;
  readonly keys: StateKeys;
  readonly trackings: readonly Tracking[];
  readonly render: RenderDiscordPosts;
  readonly logger: Logger;
  readonly requestTimeoutMs?: number;
  /** Milestone cards for announcements; default one cached `renderMilestoneCard` per app. */
  readonly cards?: CardSource;
  /**
   * Draws `/layover status` charts: `main.ts` gives a chart pool's `draw` (worker threads); default
   * `renderStatusChart` on the main thread.
   */
  readonly drawChart?: StatusChartDrawer;
  /**
   * Whether status charts are kept by data version, so that concurrent requests for the same data draw once;
   * default true. False (every request draws its own) is the bench's baseline.
   */
  readonly cacheCharts?: boolean;
  /** `DISCORD_MOD_CHANNEL_ID`: the moderators' channel, for notices and X drafts; none without it. */
  readonly modChannelId?: string | undefined;
  /** `ANNOUNCE_PING_MAX_AGE_HOURS`: older milestones are announced without pinging (default 24). */
  readonly pingMaxAgeHours?: number;
  /** Epoch ms; default Date.now (tests pin it). */
  readonly now?: () => number;
  /** `BOARD_EDIT_INTERVAL_SECONDS` in ms, as `/layover-mod board on` tells it (the worker keeps it); default 60 s. */
  readonly boardEditIntervalMs?: number;
  /**
   * Builds the crosspost queue from the app's REST client and stores (`main.ts` passes `jobs/crosspost-queue.ts`'s
   * `CrosspostQueue`). Without it the publisher does not crosspost.
   */
  readonly crossposts?: CrosspostSchedulerFactory;
}

/** What the moderators' channel provides to other platforms (wired in `main.ts`). */
export interface ModeratorChannel {
  readonly channelId: string;
  readonly notifier: ModeratorNotifier;
  /** X drafts with Approve / Edit / Skip (`X_APPROVAL=discord`). */
  readonly approval: ApprovalGate;
}

/** The Discord side of the bot, built once: REST client, publisher, command handlers and their dispatcher. */
export interface DiscordApp {
  /** For posts and other bot calls: behind the shared global limiter. */
  readonly rest: REST;
  /**
   * For interaction callbacks and edits: Discord does not count these against the global limit, and a command's
   * answer must not queue behind a fan-out (3-second deadline), so this client skips the shared limiter.
   */
  readonly interactionRest: REST;
  readonly guilds: GuildSettingsStore;
  /** Whether a bot token was given: without one, the publisher must not be used (every post would be a 401). */
  readonly canPost: boolean;
  readonly publisher: DiscordPublisher;
  /** Posts, edits and deletes live status boards; null without a bot token. */
  readonly boardMessages: BoardMessages | null;
  readonly dispatch: DispatchInteraction;
  /** `POST /interactions` for the HTTP server, or null without a public key. */
  readonly interactionsRoute: RouteModule | null;
  /** Null without `DISCORD_MOD_CHANNEL_ID`. */
  readonly moderators: ModeratorChannel | null;
  /** The crosspost queue, or null when the app was built without one (or without a token). */
  readonly crossposts: CrosspostScheduler | null;
  /**
   * Makes `/layover-mod status` show the budgets of those of `publishers` that have one (X). Called once the
   * publishers exist (`main.ts`), which is after this app: X's publisher tells the moderators' channel of pauses.
   */
  showBudgets(publishers: readonly Publisher[]): void;
}

/** The guild a channel belongs to, asked of Discord once (a failed lookup is asked again next time). */
function channelGuild(rest: REST, channelId: string): () => Promise<string | null> {
  let known: Promise<string | null> | null = null;
  return () => {
    known ??= (rest.get(Routes.channel(channelId)) as Promise<APIChannel>).then(
      (channel) => ('guild_id' in channel ? (channel.guild_id ?? null) : null),
      (error: unknown) => {
        known = null;
        throw error;
      },
    );
    return known;
  };
}

/** Wires the Discord side from settings; `main.ts` adds the publisher, the route and (role `bot`) the gateway. */
export function createDiscordApp(options: DiscordAppOptions): DiscordApp {
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const rest = createDiscordRest({
    api: options.apiUrl,
    token: options.token,
    timeoutMs,
    limiter: new GlobalRateLimiter(options.redis, options.keys.discordGlobalWindow(), {
      maxRequestMs: timeoutMs,
    }),
  });
  const interactionRest = createDiscordRest({ api: options.apiUrl, token: options.token, timeoutMs });
  const guilds = new GuildSettingsStore(options.redis, options.keys);
  const approvals = new ApprovalStore(options.redis, options.keys);
  const channelId = options.token === undefined ? undefined : options.modChannelId;
  const moderators: ModeratorChannel | null =
    channelId === undefined
      ? null
      : {
          channelId,
          notifier: moderatorChannelNotifier({ rest, channelId, logger: options.logger }),
          approval: new DiscordApprovalGate({ rest, store: approvals, channelId, logger: options.logger }),
        };
  const crossposts =
    options.crossposts === undefined || options.token === undefined
      ? null
      : options.crossposts({ rest, guilds, notifier: moderators?.notifier ?? null, maxRequestMs: timeoutMs });
  const publisher = new DiscordPublisher({
    rest,
    guilds,
    render: options.render,
    logger: options.logger,
    cards: options.cards ?? cachedCards(),
    pingMaxAgeMs: (options.pingMaxAgeHours ?? 24) * 3600_000,
    now: options.now ?? Date.now,
    ...(crossposts === null ? {} : { crossposts }),
  });
  const artistState = new ArtistStateStore(options.redis, options.keys);
  const milestones = new MilestoneStore(options.redis, options.keys);
  const history = new StreamHistoryStore(options.redis, options.keys);
  const boardMessages = options.token === undefined ? null : discordBoardMessages(rest);
  const budgeted: Publisher[] = [];
  const services: LayoverServices = {
    trackings: options.trackings,
    artistState,
    milestones,
    guilds,
    sampler: options.token === undefined ? null : publisher,
    boards:
      boardMessages === null
        ? null
        : new BoardService({
            view: boardMessage,
            store: new BoardStore(options.redis, options.keys),
            messages: boardMessages,
            artistState,
            history,
            trackings: options.trackings,
            logger: options.logger,
            now: options.now ?? Date.now,
            ...(options.boardEditIntervalMs === undefined
              ? {}
              : { editIntervalMs: options.boardEditIntervalMs }),
          }),
    render: options.render,
    statusCharts: statusChartSource({
      history,
      milestones,
      draw: options.drawChart ?? renderStatusChart,
      cache: options.cacheCharts === false ? null : new ChartCache(),
    }),
    logger: options.logger,
    budgets: () => Promise.all(budgeted.map((p) => (p.usage as () => Promise<BudgetUsage>).call(p))),
    now: options.now ?? Date.now,
  };
  const dispatch = createDispatcher({
    modules: loadCommands(),
    services,
    logger: options.logger,
    componentHandlers: [
      approvalComponentHandler({
        store: approvals,
        logger: options.logger,
        moderators:
          options.modChannelId === undefined || options.token === undefined
            ? null
            : { channelId: options.modChannelId, guildId: channelGuild(rest, options.modChannelId) },
      }),
      ...loadComponentHandlers(services),
    ],
  });
  return {
    rest,
    interactionRest,
    guilds,
    canPost: options.token !== undefined,
    publisher,
    boardMessages,
    dispatch,
    moderators,
    crossposts,
    showBudgets(publishers) {
      budgeted.push(...publishers.filter((p) => p.usage !== undefined));
    },
    interactionsRoute:
      options.publicKey === undefined
        ? null
        : interactionsRoute({
            publicKey: options.publicKey,
            dispatch,
            rest: interactionRest,
            logger: options.logger,
          }),
  };
}
