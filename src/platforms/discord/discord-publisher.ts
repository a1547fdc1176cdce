import { DiscordAPIError, RateLimitError, type RawFile, type REST } from '@discordjs/rest';
import type { Queue } from 'bullmq';
import { MessageFlags, Routes, type APIMessage } from 'discord-api-types/v10';
import type { CardSource } from '../../cards/card-cache.js';
import type { RenderedCard } from '../../cards/milestone-card.js';
import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { GuildSettings, GuildSettingsStore } from '../../state/guild-settings.store.js';
import type { Tracking } from '../../tracking/tracking.js';
import { PermanentPublishError, RateLimitedError } from '../publish-errors.js';
import {
  targetOf,
  type DestinationKey,
  type PlatformWorker,
  type PublishReceipt,
  type PublishRequest,
  type Publisher,
} from '../publisher.js';
import { announcementMessage, markerFor, nonceFor, type AttachedImage } from './announcement-message.js';
import type { CrosspostScheduler } from './crosspost.js';
import type { RenderDiscordPosts } from './discord-post-format.js';
import { errorMessage } from '../../error-message.js';

/** Discord error codes that mean the channel is gone or the bot may not post there. */
const GONE_CODES = new Set([10003, 10004]);
const MISSING_PERMISSIONS = 50013;
const FORBIDDEN_CODES = new Set([50001, MISSING_PERMISSIONS]);
const ANNOUNCEMENT_CHANNEL = 5;

export interface DiscordPublisherDeps {
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  readonly render: RenderDiscordPosts;
  readonly logger: Logger;
  /**
   * The milestone card attached to each announcement (in the guild's language); share one cached source across
   * deliveries (`cachedCards`) so a fan-out renders each card once. Without it posts carry no image.
   */
  readonly cards?: CardSource;
  /**
   * `ANNOUNCE_PING_MAX_AGE_HOURS` in ms: a milestone observed longer ago than this when it is posted is a
   * catch-up post (no role mention, SuppressNotifications). Default 24 h.
   */
  readonly pingMaxAgeMs?: number;
  /** Epoch ms (tests pin it). */
  readonly now?: () => number;
  /**
   * Where crossposts go (guilds with `crosspost:true` in an Announcement channel): a durable queue that keeps to
   * Discord's per-channel limit. Without it this publisher does not crosspost (it says so once).
   */
  readonly crossposts?: CrosspostScheduler;
}

const DEFAULT_PING_MAX_AGE_MS = 24 * 3600_000;

const CARD_FILENAME = 'card.png';

/** A card to upload with a message: the `files[0]` part and how the embed and attachment metadata name it. */
interface CardUpload {
  readonly image: AttachedImage;
  readonly file: RawFile;
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
  private warnedNoCrossposts = false;

  constructor(private readonly deps: DiscordPublisherDeps) {}

  /** The crosspost worker, run next to the publish worker (none without a crosspost queue). */
  startWorker(): Promise<PlatformWorker | null> {
    return this.deps.crossposts?.startWorker() ?? Promise.resolve(null);
  }

  /** The crosspost queue, for the admin board and the queue metrics. */
  queues(): readonly Queue[] {
    return this.deps.crossposts === undefined ? [] : [this.deps.crossposts.queue];
  }

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
    const posts = this.deps.render(request.milestone, request.tracking, {
      language: settings.language,
      overrides: settings.templates,
    });
    const card = await this.cardFor(request.milestone, request.tracking, settings);
    const age = (this.deps.now ?? Date.now)() - Date.parse(request.milestone.observedAt);
    const catchUp = age > (this.deps.pingMaxAgeMs ?? DEFAULT_PING_MAX_AGE_MS);
    const marker = markerFor(request.ledgerKey);
    const options = { roleId: settings.roleId, nonce: nonceFor(request.ledgerKey), catchUp, marker };
    const body = (image: AttachedImage | null) => announcementMessage(posts, { ...options, image });
    // Discord honours a nonce only for a few minutes; a retry may come later, so it looks for its post first.
    const earlier = request.attempt > 1 ? await this.findOwnPost(settings, marker) : null;
    const message = earlier ?? (await this.post(settings, body, card));
    await this.crosspostIfAsked(settings, message);
    return { platformId: message.id, text: body(null).content };
  }

  /** How many recent messages a retry reads to find its own earlier post. */
  private static readonly RECENT_MESSAGES = 50;

  /**
   * The post of an earlier attempt, found among the channel's recent messages by its marker, or null (also when
   * the channel cannot be read: posting then decides, with its own error handling).
   */
  private async findOwnPost(settings: GuildSettings, marker: string): Promise<APIMessage | null> {
    try {
      const recent = (await this.deps.rest.get(Routes.channelMessages(settings.channelId), {
        query: new URLSearchParams({ limit: String(DiscordPublisher.RECENT_MESSAGES) }),
      })) as APIMessage[];
      return (
        recent.find((m) =>
          m.embeds.some((e) => e.footer?.text.endsWith(` · ${marker}`) === true || e.footer?.text === marker),
        ) ?? null
      );
    } catch (error) {
      this.deps.logger.warn(
        { guildId: settings.guildId, err: error instanceof Error ? error.message : String(error) },
        'could not read recent messages to find an earlier post; posting',
      );
      return null;
    }
  }

  /**
   * Sends a sample announcement to the guild's channel without pinging anyone (`/layover-mod test`).
   * Failures are recorded on the guild like a real post's, and rethrown.
   */
  async sendSample(settings: GuildSettings, milestone: Milestone, tracking: Tracking): Promise<APIMessage> {
    const posts = this.deps.render(milestone, tracking, {
      language: settings.language,
      overrides: settings.templates,
    });
    const card = await this.cardFor(milestone, tracking, settings);
    return this.post(
      settings,
      (image) => announcementMessage(posts, { roleId: null, nonce: null, image }),
      card,
    );
  }

  /** The card to attach, or null (no card source, or rendering failed: the post goes out without it). */
  private async cardFor(
    milestone: Milestone,
    tracking: Tracking,
    settings: GuildSettings,
  ): Promise<CardUpload | null> {
    if (this.deps.cards === undefined) return null;
    let card: RenderedCard;
    try {
      card = await this.deps.cards(milestone, tracking, settings.language);
    } catch (error) {
      this.deps.logger.warn(
        {
          milestoneId: milestone.id,
          language: settings.language,
          err: errorMessage(error),
        },
        'milestone card could not be rendered; posting without it',
      );
      return null;
    }
    return {
      image: { filename: CARD_FILENAME, description: card.altText },
      file: { name: CARD_FILENAME, data: card.png, contentType: 'image/png' },
    };
  }

  /**
   * Posts the message, with the card when there is one. A card refused with Missing Permissions (the bot may send
   * but not Attach Files) is logged and the message is sent again without it, with the same nonce: the refused
   * request created nothing.
   */
  private async post(
    settings: GuildSettings,
    message: (image: AttachedImage | null) => object,
    card: CardUpload | null,
  ): Promise<APIMessage> {
    const send = async (body: object, files: readonly RawFile[]) =>
      (await this.deps.rest.post(Routes.channelMessages(settings.channelId), {
        body,
        ...(files.length === 0 ? {} : { files: [...files] }),
      })) as APIMessage;
    try {
      if (card !== null) {
        try {
          return await send(message(card.image), [card.file]);
        } catch (error) {
          if (!(error instanceof DiscordAPIError && error.code === MISSING_PERMISSIONS)) throw error;
          this.deps.logger.warn(
            { guildId: settings.guildId, channelId: settings.channelId },
            'card refused (Missing Permissions: Attach Files?); posting without it',
          );
        }
      }
      return await send(message(null), []);
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

  /**
   * Queues the crosspost when the guild asked for one in its Announcement channel. The crosspost itself happens
   * later, within Discord's per-channel limit (jobs/crosspost-queue.ts). Queuing is part of publishing: should
   * it fail, the job is retried, finds its post by the marker and queues the crosspost then (once per message).
   */
  private async crosspostIfAsked(settings: GuildSettings, message: APIMessage): Promise<void> {
    if (!settings.crosspost || settings.channelType !== ANNOUNCEMENT_CHANNEL) return;
    if (((message.flags ?? 0) & MessageFlags.Crossposted) !== 0) return;
    if (this.deps.crossposts === undefined) {
      if (!this.warnedNoCrossposts) {
        this.warnedNoCrossposts = true;
        this.deps.logger.warn(
          { guildId: settings.guildId },
          'a server asks for crossposts, but this publisher has no crosspost queue: not crossposting',
        );
      }
      return;
    }
    await this.deps.crossposts.enqueue({
      guildId: settings.guildId,
      channelId: settings.channelId,
      messageId: message.id,
    });
  }
}
