import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { PostLedgerStore } from '../../state/post-ledger.store.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { ModeratorNotifier } from '../moderator-notifier.js';
import { PermanentPublishError, RateLimitedError } from '../publish-errors.js';
import type { DestinationKey } from '../publisher.js';
import type { XCardMedia } from './x-card-media.js';
import { classifyXError, sameXText, type XClient } from './x-client.js';
import type { XBudgetStore } from './x-budget.store.js';
import type { XDrafts } from './x-drafts.js';
import type { XGroupLock } from './x-group-lock.js';
import type { GroupView, PostedPart, XGroupStore } from './x-groups.store.js';
import type { XPauseStore } from './x-pause.store.js';
import { postCostMicros, toMicros, type XPrices } from './x-prices.js';
import type { XSendingMarks } from './x-sending-marks.store.js';

const ORPHAN_AFTER_MS = 10 * 60_000;
/** How many of the account's latest posts a look-up reads: more than any thread in flight. */
const LOOKUP_POSTS = 20;

export interface XPartPosterOptions {
  readonly client: XClient;
  readonly groups: XGroupStore;
  /** Gives a group up for good (its drafts then say so). */
  readonly drafts: XDrafts;
  readonly budget: XBudgetStore;
  readonly locks: XGroupLock;
  readonly sending: XSendingMarks;
  readonly pauses: XPauseStore;
  readonly ledger: PostLedgerStore;
  readonly notifier: ModeratorNotifier;
  readonly logger: Logger;
  /** The account's username, named to moderators when X publishing pauses. */
  readonly username: string;
  /** The account's id: its own recent posts are looked up after an answer was lost. */
  readonly accountId: string;
  /** Per-request prices, for the spend. */
  readonly prices: XPrices;
  /** `X_DAILY_SPEND_USD` in micro-dollars per rolling window; 0 for no money cap. */
  readonly spendCapMicros: number;
  /** `x:<account id>`: the ledger destination whose entries tell which outbox groups are settled. */
  readonly destination: DestinationKey;
  /** `X_DAILY_POSTS`: posts per rolling budget window. */
  readonly dailyPosts: number;
  /** `X_MAX_WAIT_HOURS` in ms: a group still waiting for budget this long after it entered is given up. */
  readonly maxWaitMs: number;
  /** The budget's rolling window. */
  readonly budgetWindowMs: number;
  /** How long a job waiting for budget sleeps at most before it looks again. */
  readonly recheckMs: number;
  /** How far the group lock is extended after a card upload, before the post itself. */
  readonly lockTtlMs: number;
  /** Uploads the first part's card; null when posts carry no image. */
  readonly cardMedia: XCardMedia | null;
  readonly now: () => number;
}

/**
 * Puts one part of a group's thread on X: a budget slot (or the time to come back), a last look at the pause, the
 * card (first part only), then `POST /2/tweets`. X's answer becomes the part's record or the error that steers the
 * job: a duplicate counts as posted (with the id of the post X has), a 429 blocks the budget, an account problem
 * pauses X publishing and tells the moderators (the milestones wait), a refused post with a card is sent again
 * without it, a refused reply is sent again on its own. When an answer may have been lost (a timeout, a reset, a
 * 5xx, a crash mid-request), the retry first looks for the post among the account's recent posts and adopts it.
 */
export class XPartPoster {
  private readonly now: () => number;

  constructor(private readonly options: XPartPosterOptions) {
    this.now = options.now;
  }

  /** Part `index` of `group`, as a reply to `replyTo`; the group lock (`card.token`) is held by the caller. */
  async post(
    group: GroupView,
    index: number,
    text: string,
    replyTo: string | null,
    card: { milestone: Milestone | undefined; tracking: Tracking; token: string },
  ): Promise<PostedPart> {
    const { drafts, budget, pauses, cardMedia } = this.options;
    const groupId = group.id;
    const now = this.now();
    const wait = await budget.reserve(groupId, `${groupId}#${index}#${randomUUID()}`, now, {
      windowMs: this.options.budgetWindowMs,
      dailyPosts: this.options.dailyPosts,
      recheckMs: this.options.recheckMs,
      spendCapMicros: this.options.spendCapMicros,
      costMicros: postCostMicros(text, this.options.prices),
    });
    if (wait > 0) {
      if (wait - group.createdAt > this.options.maxWaitMs) {
        const hours = Math.round(this.options.maxWaitMs / 3_600_000);
        const reason = `no X budget (X_DAILY_POSTS, X_DAILY_SPEND_USD) within ${hours} h (X_MAX_WAIT_HOURS); given up`;
        await drafts.giveUp(groupId, reason);
        throw new PermanentPublishError(reason, reason);
      }
      await this.pruneSettled();
      throw new RateLimitedError('X posting budget is spent for now', wait);
    }
    try {
      const pause = await pauses.get();
      if (pause !== null) {
        throw new RateLimitedError(
          `X publishing is paused: ${pause.reason}`,
          this.now() + this.options.recheckMs,
        );
      }
      const media =
        cardMedia === null
          ? []
          : await cardMedia.mediaFor(groupId, index, card.milestone, card.tracking, this.now());
      // An upload can take a few requests' time: hold the group for the post itself.
      if (
        media.length > 0 &&
        !(await this.options.locks.extend(groupId, card.token, this.options.lockTtlMs))
      ) {
        throw new RateLimitedError('lost the group lock; another worker continues', this.now() + 500);
      }
      return await this.send(groupId, index, text, replyTo, media);
    } catch (error) {
      await budget.releaseNeed(groupId);
      throw error;
    }
  }

  private async send(
    groupId: string,
    index: number,
    text: string,
    replyTo: string | null,
    media: readonly string[],
  ): Promise<PostedPart> {
    const { budget, sending, cardMedia, logger } = this.options;
    if (await sending.isMarked(groupId, index)) {
      // An earlier try got no definite answer: X may have the post already.
      const found = await this.findOwnPost(text);
      if (found !== null) {
        logger.warn(
          { groupId, part: index, id: found },
          'X had the post whose answer was lost; adopting its id',
        );
        await sending.clear(groupId, index);
        return { id: found, duplicate: false };
      }
    }
    await sending.mark(groupId, index);
    try {
      const created = await this.options.client.createPost(text, replyTo, media);
      if (created.dailyLimit !== null) await budget.noteDailyLimit(created.dailyLimit);
      return { id: created.id, duplicate: false };
    } catch (error) {
      const failure = classifyXError(error, this.now());
      if (failure.type !== 'transient') await sending.clear(groupId, index);
      switch (failure.type) {
        case 'duplicate': {
          const found = await this.findOwnPost(text).catch(() => null);
          logger.warn(
            { groupId, part: index, id: found },
            found === null
              ? 'X says this text was already posted and the post was not found; recording it as posted'
              : 'X says this text was already posted; adopting the id of the post it has',
          );
          return { id: found, duplicate: true };
        }
        case 'rateLimited':
          if (failure.dailyLimit !== null) await budget.noteDailyLimit(failure.dailyLimit);
          await budget.blockUntil(failure.retryAt);
          throw new RateLimitedError('X answered 429', failure.retryAt);
        case 'account':
          await this.pauseFor(failure.reason);
          throw new RateLimitedError(
            `X publishing paused: ${failure.reason}`,
            this.now() + this.options.recheckMs,
          );
        case 'replyRefused':
          if (replyTo !== null) {
            logger.warn(
              { groupId, part: index, replyTo, reason: failure.reason },
              'X refused the reply; posting this part on its own',
            );
            await this.chargeResend(groupId, index, text);
            return this.send(groupId, index, text, null, media);
          }
          return this.refused(groupId, failure.reason);
        case 'rejected':
          if (media.length > 0 && cardMedia !== null) {
            // Perhaps the media (expired, refused): the text alone must still go out.
            logger.warn(
              { groupId, reason: failure.reason },
              'X refused the post with its card; posting the text alone',
            );
            await cardMedia.forget(groupId, index);
            await this.chargeResend(groupId, index, text);
            return this.send(groupId, index, text, replyTo, []);
          }
          return this.refused(groupId, failure.reason);
        case 'transient':
          throw new Error(`X request failed: ${failure.reason}`, { cause: error });
      }
    }
  }

  private async refused(groupId: string, reason: string): Promise<never> {
    this.options.logger.error({ groupId, reason }, 'X refused the post');
    await this.options.drafts.giveUp(groupId, reason);
    throw new PermanentPublishError(reason, reason);
  }

  /** A second request on one slot (after a refusal) is a second post for the budget and is paid again. */
  private async chargeResend(groupId: string, index: number, text: string): Promise<void> {
    await this.options.budget.charge(
      `${groupId}#${index}#resend#${randomUUID()}`,
      this.now(),
      postCostMicros(text, this.options.prices),
      true,
    );
  }

  /**
   * The id of the account's recent post with this text (`GET /2/users/:id/tweets`), or null. The posts read are
   * paid for. Throws when X cannot be asked: the caller must not send blindly then.
   */
  private async findOwnPost(text: string): Promise<string | null> {
    const posts = await this.options.client.recentPosts(this.options.accountId, LOOKUP_POSTS);
    await this.options.budget.charge(
      `lookup#${randomUUID()}`,
      this.now(),
      toMicros(this.options.prices.ownedReadUsd) * posts.length,
      false,
    );
    return posts.find((p) => sameXText(p.text, text))?.id ?? null;
  }

  private async pauseFor(reason: string): Promise<void> {
    const { logger } = this.options;
    if (!(await this.options.pauses.pause(reason))) return;
    logger.error({ reason }, 'X publishing paused');
    try {
      await this.options.notifier.notify(
        `X publishing is paused for @${this.options.username}: ${reason}. Nothing more goes to X until the account ` +
          'is fixed and the bot restarted (start-up verifies the credentials and lifts the pause); the milestones ' +
          'wait meanwhile (up to X_MAX_WAIT_HOURS).',
      );
    } catch (error) {
      logger.error({ err: String(error) }, 'could not notify moderators of the X pause');
    }
  }

  private async pruneSettled(): Promise<void> {
    const now = this.now();
    const dropped = await this.options.groups.pruneSettled(async (milestoneId, closesAt) => {
      const entry = await this.options.ledger.get(milestoneId, this.options.destination);
      // No ledger entry long after the group closed: its snapshot job never recorded it, so no job will come.
      if (entry === null) return closesAt < now - ORPHAN_AFTER_MS;
      return entry.state !== 'pending';
    });
    if (dropped.length > 0)
      this.options.logger.info({ groups: dropped }, 'dropped settled groups from the X outbox');
  }
}
