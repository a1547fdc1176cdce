import type { REST } from '@discordjs/rest';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import {
  crosspostMessage,
  type CrosspostRequest,
  type CrosspostResult,
} from '../platforms/discord/crosspost.js';
import type { CrosspostWindow } from '../platforms/discord/crosspost-window.js';
import type { ModeratorNotifier } from '../platforms/moderator-notifier.js';
import type { RedisClient } from '../redis.js';
import type { GuildSettingsStore } from '../state/guild-settings.store.js';
import type { StateKeys } from '../state/keys.js';
import { crosspostQueue } from './contracts.js';

const ANNOUNCEMENT_CHANNEL = 5;

/** How a crosspost job ended when it did not fail: `not wanted` when the guild no longer asks for crossposts there. */
export type CrosspostOutcome = 'crossposted' | 'already crossposted' | 'not wanted';

export interface CrosspostProcessorDeps {
  /** The bot's REST client (behind the shared global limiter). */
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  readonly window: CrosspostWindow;
  /** For the report-once marks. */
  readonly redis: RedisClient;
  readonly keys: StateKeys;
  readonly logger: Logger;
  /** The moderators' channel, told once about each permanent failure; without it the log line is the report. */
  readonly notifier?: ModeratorNotifier | null;
  /** How long a job waits while every slot of its channel is held by a request in flight; default 1 s. */
  readonly inFlightRecheckMs?: number;
}

/** How long a report mark lives: a channel still refusing after this is reported again (a reminder). */
const CHANNEL_REPORT_TTL_S = 30 * 86_400;
const MESSAGE_REPORT_TTL_S = 7 * 86_400;

/**
 * The `discord-crosspost` processor: one message in one Announcement channel. It checks that the guild still
 * wants crossposts in that channel, takes one of the channel's crossposts of the rolling window (or goes back to
 * the queue as a delayed job until one frees, spending no attempt), and asks Discord to publish the message.
 * A 429 delays the job until Discord's `retry_after`; a 5xx or a timeout is retried with backoff; a refusal that no
 * retry can fix (403 missing permission, 404 message or channel gone) fails the job for good and is reported
 * once: in the log at error level and, when there is one, in the moderators' channel. Failed jobs keep their
 * reason, which makes them the record of crossposts that did not happen.
 */
export function createCrosspostProcessor(deps: CrosspostProcessorDeps) {
  const recheckMs = deps.inFlightRecheckMs ?? 1000;
  const channelMark = (channelId: string) => deps.keys.discordCrosspostReported(`channel:${channelId}`);

  /** Reports a permanent failure unless this scope was reported already (a rerun, or the same channel again). */
  const reportOnce = async (
    scope: 'channel' | 'message',
    ids: CrosspostRequest,
    reason: string,
  ): Promise<void> => {
    const mark =
      scope === 'channel'
        ? channelMark(ids.channelId)
        : deps.keys.discordCrosspostReported(`message:${ids.messageId}`);
    const ttl = scope === 'channel' ? CHANNEL_REPORT_TTL_S : MESSAGE_REPORT_TTL_S;
    const first = (await deps.redis.set(mark, new Date().toISOString(), 'EX', ttl, 'NX')) === 'OK';
    if (!first) {
      deps.logger.info({ ...ids, reason }, 'crosspost failed for good (already reported)');
      return;
    }
    deps.logger.error({ ...ids, reason }, 'crosspost failed for good');
    const where = `<#${ids.channelId}> (server ${ids.guildId})`;
    const text =
      scope === 'channel'
        ? `Crossposting in ${where} failed: ${reason}. The announcements themselves are posted; each new one ` +
          'tries to crosspost again, and this is reported again only after a crosspost there has worked.'
        : `Message ${ids.messageId} in ${where} could not be crossposted: ${reason}.`;
    await deps.notifier?.notify(text);
  };

  return async (job: Job, token?: string): Promise<CrosspostOutcome> => {
    const parsed = crosspostQueue.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid crosspost job: ${parsed.error.message}`);
    const ids = parsed.data;
    const settings = await deps.guilds.get(ids.guildId);
    if (
      settings === null ||
      !settings.crosspost ||
      settings.channelId !== ids.channelId ||
      settings.channelType !== ANNOUNCEMENT_CHANNEL
    ) {
      deps.logger.info(ids, 'crosspost dropped: the server no longer crossposts in that channel');
      return 'not wanted';
    }
    const taken = await deps.window.take(ids.channelId);
    if (taken.slot === null) {
      if (token === undefined) throw new Error('no crosspost free in this channel now');
      const waitMs = taken.waitMs ?? recheckMs;
      deps.logger.debug({ ...ids, waitMs }, 'crosspost waits for a free slot in its channel');
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    let result: CrosspostResult;
    try {
      result = await crosspostMessage(deps.rest, ids);
    } finally {
      await deps.window.release(taken.slot);
    }
    if (result.kind === 'done') {
      // A crosspost worked here: a later refusal in this channel is news again.
      await deps.redis.del(channelMark(ids.channelId));
      deps.logger.info(ids, 'crossposted');
      return result.already ? 'already crossposted' : 'crossposted';
    }
    if (result.kind === 'wait' && token !== undefined) {
      deps.logger.warn({ ...ids, retryAt: new Date(result.retryAt).toISOString() }, 'crosspost rate limited');
      await job.moveToDelayed(Math.max(result.retryAt, Date.now() + 1), token);
      throw new DelayedError();
    }
    if (result.kind === 'permanent') {
      await reportOnce(result.scope, ids, result.reason);
      throw new UnrecoverableError(result.reason);
    }
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= attempts) {
      await reportOnce('message', ids, `gave up after ${attempts} attempts: ${result.reason}`);
    } else {
      deps.logger.warn(
        { ...ids, attempt: job.attemptsMade + 1, err: result.reason },
        'crosspost will be retried',
      );
    }
    throw new Error(result.reason);
  };
}
