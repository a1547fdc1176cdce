import { DiscordAPIError, RateLimitError, type REST } from '@discordjs/rest';
import type { Queue } from 'bullmq';
import { Routes } from 'discord-api-types/v10';
import { errorMessage } from '../../error-message.js';
import type { GuildSettingsStore } from '../../state/guild-settings.store.js';
import type { ModeratorNotifier } from '../moderator-notifier.js';
import type { PlatformWorker } from '../publisher.js';

/** One of our messages to publish from an Announcement channel to the servers that follow it. */
export interface CrosspostRequest {
  readonly guildId: string;
  readonly channelId: string;
  readonly messageId: string;
}

/**
 * Where the Discord publisher hands crossposts: a durable queue that keeps to Discord's per-channel limit
 * (`jobs/crosspost-queue.ts`), built by whoever wires the app (`main.ts`) from the app's REST client and stores.
 */
export interface CrosspostScheduler {
  /** Queues the crosspost of one message; asking again for the same message adds nothing. */
  enqueue(request: CrosspostRequest): Promise<void>;
  /** Starts this process's crosspost worker (run next to the publish worker). */
  startWorker(): Promise<PlatformWorker>;
  /** The queue, for the admin board and the queue metrics. */
  readonly queue: Queue;
}

/** What the app hands the crosspost scheduler's factory: the REST client and stores it shares. */
export type CrosspostSchedulerFactory = (parts: {
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  /** The moderators' channel, when there is one. */
  readonly notifier: ModeratorNotifier | null;
  /** The REST timeout, ms: how long a crosspost slot may be held by a request in flight. */
  readonly maxRequestMs: number;
}) => CrosspostScheduler;

/** "This message has already been crossposted": an earlier attempt did it and its answer was lost. */
const ALREADY_CROSSPOSTED = 40033;
const FORBIDDEN_CODES = new Set([50001, 50013]);
const UNKNOWN_CHANNEL = 10003;

/**
 * What a crosspost request came to: `done`; `wait` until `retryAt` (a rate limit: try again then, no attempt
 * spent); `permanent` (no retry can fix it; `scope` says whether the channel or only this message is the problem);
 * `retry` with backoff (5xx, timeouts, network).
 */
export type CrosspostResult =
  | { readonly kind: 'done'; readonly already: boolean }
  | { readonly kind: 'wait'; readonly retryAt: number; readonly reason: string }
  | { readonly kind: 'permanent'; readonly scope: 'channel' | 'message'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string };

/** Sorts a crosspost request's error (from `@discordjs/rest`) into what to do next. */
export function classifyCrosspostError(error: unknown, now: number): CrosspostResult {
  if (error instanceof RateLimitError) {
    return {
      kind: 'wait',
      retryAt: now + error.retryAfter,
      reason: `Discord asks to wait ${error.retryAfter} ms (${error.scope} limit on ${error.route})`,
    };
  }
  if (error instanceof DiscordAPIError) {
    const detail = `${error.message} (${String(error.code)})`;
    if (error.code === ALREADY_CROSSPOSTED) return { kind: 'done', already: true };
    if (typeof error.code === 'number' && FORBIDDEN_CODES.has(error.code)) {
      return { kind: 'permanent', scope: 'channel', reason: `missing permission: ${detail}` };
    }
    if (error.code === UNKNOWN_CHANNEL) {
      return { kind: 'permanent', scope: 'channel', reason: `channel gone: ${detail}` };
    }
    if (error.status === 404)
      return { kind: 'permanent', scope: 'message', reason: `message gone: ${detail}` };
    if (error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429) {
      return { kind: 'permanent', scope: 'message', reason: `refused: ${detail}` };
    }
  }
  return { kind: 'retry', reason: errorMessage(error) };
}

/** `POST /channels/{channel}/messages/{message}/crosspost`, with its outcome sorted (never throws for Discord's answers). */
export async function crosspostMessage(rest: REST, request: CrosspostRequest): Promise<CrosspostResult> {
  try {
    await rest.post(Routes.channelMessageCrosspost(request.channelId, request.messageId));
    return { kind: 'done', already: false };
  } catch (error) {
    return classifyCrosspostError(error, Date.now());
  }
}
