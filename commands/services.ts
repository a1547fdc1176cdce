import type { APIMessage } from 'discord-api-types/v10';
import type { Logger } from '../src/logger.js';
import type { BoardService } from '../src/platforms/discord/board/board-service.js';
import type { RenderDiscordPosts } from '../src/platforms/discord/discord-post-format.js';
import type { BudgetUsage } from '../src/platforms/publisher.js';
import type { Milestone } from '../src/milestones/types.js';
import type { ArtistStateStore } from '../src/state/artist-state.store.js';
import type { GuildSettings, GuildSettingsStore } from '../src/state/guild-settings.store.js';
import type { MilestoneStore } from '../src/state/milestone.store.js';
import type { Tracking } from '../src/tracking/tracking.js';
import type { StatusChartSource } from './handlers/status-chart-source.js';

/** Sends a sample announcement without pinging (the Discord publisher implements it). */
export interface SampleSender {
  sendSample(settings: GuildSettings, milestone: Milestone, tracking: Tracking): Promise<APIMessage>;
}

/** What the `/layover` and `/layover-mod` handlers use. */
export interface LayoverServices {
  /** In config order; the first is the default artist. */
  readonly trackings: readonly Tracking[];
  readonly artistState: ArtistStateStore;
  readonly milestones: MilestoneStore;
  readonly guilds: GuildSettingsStore;
  /** Null when the bot runs without a bot token (interactions only): it cannot post in a channel. */
  readonly sampler: SampleSender | null;
  /** Live status boards (`/layover-mod board`); null or absent without a bot token (nothing can be posted). */
  readonly boards?: BoardService | null;
  /** The post renderer the publisher uses (template previews). */
  readonly render: RenderDiscordPosts;
  /** The `/layover status` chart, drawn once per data version (see `statusChartSource`). */
  readonly statusCharts: StatusChartSource;
  readonly logger: Logger;
  /**
   * What the publishers with a posting budget (X) used of their rolling windows, for `/layover-mod status`; empty
   * when none runs here (no X credentials: X posts go to the console).
   */
  readonly budgets: () => Promise<readonly BudgetUsage[]>;
  /** Epoch ms (tests pin it). */
  readonly now: () => number;
}
