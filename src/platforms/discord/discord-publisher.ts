import { DiscordAPIError, RateLimitError, type REST } from '@discordjs/rest';
import { MessageFlags, Routes, type APIMessage } from 'discord-api-types/v10';
import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { RenderPosts } from '../../posts/types.js';
import type { GuildSettings, GuildSettingsStore } from '../../state/guild-settings.store.js';
import type { Tracking } from '../../tracking/tracking.js';
import { PermanentPublishError, RateLimitedError } from '../publish-errors.js';
import {
  targetOf,
  type DestinationKey,
  type PublishReceipt,
  type PublishRequest,
  type Publisher,
} from '../publisher.js';
import { announcementMessage, nonceFor } from './announcement-message.js';

/** Discord error codes that mean the channel is gone or the bot may not post there. */
const GONE_CODES = new Set([10003, 10004]);
const FORBIDDEN_CODES = new Set([50001, 50013]);
const ANNOUNCEMENT_CHANNEL = 5;

export interface DiscordPublisherDeps {
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  readonly render: RenderPosts;
  readonly logger: Logger;
}

/** Whether a guild should receive announcements of this kind now. */
export function wantsAnnouncement(settings: GuildSettings, kind: Milestone['kind']): boolean {
  return !settings.paused && settings.health === null && settings.kinds.includes(kind);
}

/**
 * Posts announcements to every configured guild's channel (`discord:<guildId>`) through `@discordjs/rest`.
 * A deleted channel or lost permission is recorded in the guild's settings, fails that delivery permanently and
 * keeps the guild out of later fan-outs until a moderator runs setup again.
 */
export class DiscordPublisher implements Publisher {
  readonly platform = 'discord';

  constructor(private readonly deps: DiscordPublisherDeps) {}

  async destinationsFor(milestone: Milestone, _tracking: Tracking): Promise<DestinationKey[]> {
    const guilds = await this.deps.guilds.all();
    return guilds
      .filter((g) => wantsAnnouncement(g, milestone.kind))
      .map((g): DestinationKey => `discord:${g.guildId}`);
  }

  async publish(request: PublishRequest): Promise<PublishReceipt> {
    const guildId = targetOf(request.destination);
    const settings = await this.deps.guilds.get(guildId);
    if (settings === null)
      throw new PermanentPublishError(`guild ${guildId} is not set up`, 'guild not set up');
    if (settings.health !== null) {
      throw new PermanentPublishError(
        `channel ${settings.channelId} of guild ${guildId} is ${settings.health.problem}`,
        `channel ${settings.health.problem}: ${settings.health.detail}`,
      );
    }
    if (settings.paused)
      throw new PermanentPublishError(`guild ${guildId} paused announcements`, 'guild paused');
    const posts = this.deps.render(request.milestone, request.tracking, { language: settings.language });
    const body = announcementMessage(posts, { roleId: settings.roleId, nonce: nonceFor(request.ledgerKey) });
    const message = await this.post(settings, body);
    await this.crosspostIfAsked(settings, message);
    return { platformId: message.id, text: body.content };
  }

  /**
   * Sends a sample announcement to the guild's channel without pinging anyone (`/layover-mod test`).
   * Failures are recorded on the guild like a real post's, and rethrown.
   */
  async sendSample(settings: GuildSettings, milestone: Milestone, tracking: Tracking): Promise<APIMessage> {
    const posts = this.deps.render(milestone, tracking, { language: settings.language });
    const body = announcementMessage(posts, { roleId: null, nonce: null });
    return this.post(settings, body);
  }

  private async post(settings: GuildSettings, body: object): Promise<APIMessage> {
    try {
      return (await this.deps.rest.post(Routes.channelMessages(settings.channelId), { body })) as APIMessage;
    } catch (error) {
      if (error instanceof RateLimitError) {
        throw new RateLimitedError(
          `Discord asks to wait ${error.retryAfter} ms (${error.scope} limit on ${error.route})`,
          Date.now() + error.retryAfter,
        );
      }
      if (error instanceof DiscordAPIError && typeof error.code === 'number') {
        const detail = `${error.message} (${error.code})`;
        const problem = GONE_CODES.has(error.code)
          ? 'gone'
          : FORBIDDEN_CODES.has(error.code)
            ? 'missing-permission'
            : null;
        if (problem !== null) {
          await this.deps.guilds.markChannelUnhealthy(settings.guildId, settings.channelId, problem, detail);
          this.deps.logger.warn(
            { guildId: settings.guildId, channelId: settings.channelId, problem, code: error.code },
            'Discord channel unusable; the guild is skipped until setup runs again',
          );
          throw new PermanentPublishError(
            `channel ${settings.channelId}: ${detail}`,
            `channel ${problem}: ${detail}`,
          );
        }
        if (error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429) {
          throw new PermanentPublishError(`Discord refused the message: ${detail}`, `refused: ${detail}`);
        }
      }
      throw error;
    }
  }

  private async crosspostIfAsked(settings: GuildSettings, message: APIMessage): Promise<void> {
    if (!settings.crosspost || settings.channelType !== ANNOUNCEMENT_CHANNEL) return;
    if (((message.flags ?? 0) & MessageFlags.Crossposted) !== 0) return;
    try {
      await this.deps.rest.post(Routes.channelMessageCrosspost(settings.channelId, message.id));
    } catch (error) {
      // The announcement itself is out; a failed crosspost must not make the job post it again.
      this.deps.logger.warn(
        {
          guildId: settings.guildId,
          messageId: message.id,
          err: error instanceof Error ? error.message : String(error),
        },
        'crosspost failed',
      );
    }
  }
}
