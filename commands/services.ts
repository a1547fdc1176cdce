import type { APIMessage } from 'discord-api-types/v10';
import type { Logger } from '../src/logger.js';
import type { Milestone } from '../src/milestones/types.js';
import type { RenderPosts } from '../src/posts/types.js';
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
  /** The post renderer the publisher uses (template previews). */
  readonly render: RenderPosts;
  /** The `/layover status` chart, drawn once per data version (see `statusChartSource`). */
  readonly statusCharts: StatusChartSource;
  readonly logger: Logger;
  /** Epoch ms (tests pin it). */
  readonly now: () => number;
}
