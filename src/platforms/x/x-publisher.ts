import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../redis.js';
import type { CardSource } from '../../cards/card-cache.js';
import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { Language, RenderOptions, RenderPosts } from '../../posts/types.js';
import type { PostLedgerStore } from '../../state/post-ledger.store.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { ApprovalGate } from '../approval-gate.js';
import type { ModeratorNotifier } from '../moderator-notifier.js';
import { PermanentPublishError, RateLimitedError } from '../publish-errors.js';
import type { BudgetUsage, DestinationKey, PublishReceipt, PublishRequest, Publisher } from '../publisher.js';
import { XCardMedia } from './x-card-media.js';
import { planXPosts, renderXText } from './x-plan.js';
import { receiptFor, settledReceipt } from './x-receipts.js';
import type { XAccount, XClient } from './x-client.js';
import { verifyXAccount } from './x-verify.js';
import { XOutboxStore, xKeys, type GroupView, type PostedPart } from './x-outbox.store.js';
import { XPartPoster } from './x-part-poster.js';
import { XPauseStore } from './x-pause.store.js';
import { defaultXPrices, toMicros, type XPrices } from './x-prices.js';
import { byXPriority, meetsXMinimum, xCombineKey, xPriority, type XMinThresholds } from './x-priority.js';
import { fitXText, isValidXText, type XPostPart } from './x-text.js';
import { errorMessage } from '../../error-message.js';

export const DAY_MS = 86_400_000;
/** How long one worker holds a group; extended before each post, so it covers one request and its timeout. */
const LOCK_TTL_MS = 60_000;

export interface XPublisherOptions {
  readonly client: XClient;
  readonly redis: RedisClient;
  /** The project key prefix (`QUEUE_PREFIX`). */
  readonly prefix: string;
  readonly ledger: PostLedgerStore;
  readonly render: RenderPosts;
  readonly notifier: ModeratorNotifier;
  readonly logger: Logger;
  /** `X_DAILY_POSTS`: posts per rolling budget window. */
  readonly dailyPosts: number;
  /** `X_DAILY_SPEND_USD`: dollars per rolling budget window; none (or 0) for no money cap. */
  readonly dailySpendUsd?: number | null;
  /** X's per-request prices (`X_PRICE_*`); X's published rates when not given. */
  readonly prices?: XPrices;
  /** `X_MIN_THRESHOLDS`. */
  readonly minThresholds: XMinThresholds;
  /** With `X_APPROVAL=discord`: every post waits for a moderator's decision. */
  readonly approval?: ApprovalGate;
  /** How often an undecided draft is looked at again. */
  readonly approvalRecheckMs?: number;
  /** `X_LANGUAGE`: the language of the X templates. */
  readonly language?: Language;
  /** `X_COMBINE_WINDOW_SECONDS` in ms: how long milestones of one album gather before posting; 0 turns it off. */
  readonly combineWindowMs: number;
  /**
   * `X_MAX_WAIT_HOURS` in ms: a group still waiting for budget this long after it entered is given up (recorded
   * as failed), so that nothing waits forever behind a stream of bigger milestones.
   */
  readonly maxWaitMs: number;
  /** The budget's rolling window; 24 hours (tests shorten it). */
  readonly budgetWindowMs?: number;
  /** How long a job waiting for budget sleeps at most before it looks again. */
  readonly recheckMs?: number;
  readonly now?: () => number;
  /**
   * Milestone cards (`cachedCards()`): the first post of each group carries the card of its highest-priority
   * milestone, uploaded once per group. Without it posts carry no image.
   */
  readonly cards?: CardSource;
}

/**
 * Posts milestones to one X account through its outbox (see docs/x.md): each milestone joins a group (its album's
 * milestones pending within the combine window, or itself), groups go out highest priority first within the
 * rolling budget, and a group too long for one post goes out as a thread that resumes where it stopped. Every
 * member's publish job ends with the id of the post that carries it, so the ledger holds one entry per milestone.
 * Each part goes out through {@link XPartPoster} (budget, pause, card, the request and X's answer).
 */
export class XPublisher implements Publisher {
  readonly platform = 'x';
  /** The outbox orders X's posts (priority within the budget, combined posts, threads). */
  readonly ordersItsOwnPosts = true;
  readonly destination: DestinationKey;
  private readonly outbox: XOutboxStore;
  private readonly pauses: XPauseStore;
  private readonly poster: XPartPoster;
  private readonly now: () => number;
  private readonly renderOptions: RenderOptions;
  private readonly approvalRecheckMs: number;
  private readonly prices: XPrices;
  private readonly budgetWindowMs: number;
  private readonly recheckMs: number;

  constructor(
    private readonly options: XPublisherOptions,
    readonly account: XAccount,
  ) {
    const keys = xKeys(options.prefix, account.id);
    this.destination = `x:${account.id}`;
    this.outbox = new XOutboxStore(options.redis, keys);
    this.pauses = new XPauseStore(options.redis, keys.pause);
    this.now = options.now ?? Date.now;
    this.approvalRecheckMs = options.approvalRecheckMs ?? 30_000;
    this.renderOptions = options.language === undefined ? {} : { language: options.language };
    this.prices = options.prices ?? defaultXPrices;
    this.budgetWindowMs = options.budgetWindowMs ?? DAY_MS;
    this.recheckMs = options.recheckMs ?? 15 * 60_000;
    this.poster = new XPartPoster({
      client: options.client,
      outbox: this.outbox,
      pauses: this.pauses,
      ledger: options.ledger,
      notifier: options.notifier,
      logger: options.logger,
      username: account.username,
      accountId: account.id,
      prices: this.prices,
      spendCapMicros: toMicros(options.dailySpendUsd ?? 0),
      destination: this.destination,
      dailyPosts: options.dailyPosts,
      maxWaitMs: options.maxWaitMs,
      budgetWindowMs: this.budgetWindowMs,
      recheckMs: this.recheckMs,
      lockTtlMs: LOCK_TTL_MS,
      cardMedia:
        options.cards === undefined
          ? null
          : new XCardMedia({
              client: options.client,
              outbox: this.outbox,
              cards: options.cards,
              language: options.language ?? 'en',
              logger: options.logger,
              onMetadata: () =>
                this.outbox.charge(
                  `metadata#${randomUUID()}`,
                  this.now(),
                  toMicros(this.prices.mediaMetadataUsd),
                  false,
                ),
            }),
      now: this.now,
    });
  }

  /**
   * Verifies the credentials once (`GET /2/users/me`) and returns a publisher for that account. A successful check
   * lifts an earlier pause (the account answers again). Throws {@link import('./x-verify.js').XCredentialsError} with what to fix.
   */
  static async connect(options: XPublisherOptions): Promise<XPublisher> {
    const account = await verifyXAccount(options.client);
    const publisher = new XPublisher(options, account);
    const pause = await publisher.pauses.get();
    if (pause !== null) {
      await publisher.pauses.resume();
      options.logger.warn(
        { reason: pause.reason, since: pause.at },
        'X credentials verified: lifting the X pause',
      );
    }
    options.logger.info({ account: account.username, id: account.id }, 'X credentials verified');
    return publisher;
  }

  /**
   * `x:<account id>` when the milestone clears its kind's minimum, else nothing. Also enters the milestone into the
   * outbox now, before any publish job runs, so that priority and combining see every milestone of a snapshot
   * (idempotent: a retried snapshot job enters nothing twice).
   */
  async destinationsFor(milestone: Milestone, tracking: Tracking): Promise<DestinationKey[]> {
    if (!meetsXMinimum(milestone, this.options.minThresholds)) return [];
    const text = renderXText(this.options, this.renderOptions, milestone, tracking);
    if (text !== null && !isValidXText(text)) {
      this.options.logger.warn(
        { milestoneId: milestone.id },
        'X text is invalid under twitter-text; it will be shortened',
      );
    }
    await this.enter(milestone);
    return [this.destination];
  }

  private enter(milestone: Milestone): Promise<string> {
    return this.outbox.enter(
      milestone,
      xCombineKey(milestone),
      xPriority(milestone),
      this.now(),
      this.options.combineWindowMs,
    );
  }

  async pause(): Promise<{ reason: string; at: string } | null> {
    return this.pauses.get();
  }

  /**
   * What the account used in the rolling budget window: posts sent (a post sent twice counts twice) and dollars
   * spent, beside the caps (`X_DAILY_POSTS`, `X_DAILY_SPEND_USD`, null when there is none).
   */
  async usage(): Promise<BudgetUsage> {
    const used = await this.outbox.usage(this.now(), this.budgetWindowMs);
    const cap = this.options.dailySpendUsd ?? null;
    return {
      destination: this.destination,
      account: this.account.username,
      posts: used.posts,
      postsCap: this.options.dailyPosts,
      spendUsd: used.spendMicros / 1_000_000,
      spendCapUsd: cap === null || cap <= 0 ? null : cap,
      windowHours: this.budgetWindowMs / 3_600_000,
    };
  }

  async publish(request: PublishRequest): Promise<PublishReceipt> {
    const { milestone } = request;
    const now = this.now();
    const groupId = await this.enter(milestone);
    const group = await this.outbox.group(groupId);
    const settled = settledReceipt(group, milestone.id);
    if (settled !== null) return settled;
    const pause = await this.pauses.get();
    if (pause !== null) {
      if (now - group.createdAt > this.options.maxWaitMs) {
        const reason = `X publishing stayed paused past X_MAX_WAIT_HOURS: ${pause.reason}`;
        await this.outbox.finish(groupId, 'failed', reason);
        throw new PermanentPublishError(reason, reason);
      }
      throw new RateLimitedError(`X publishing is paused: ${pause.reason}`, now + this.recheckMs);
    }
    if (group.state === 'open') {
      if (now < group.closesAt) {
        throw new RateLimitedError('gathering milestones of the same album', group.closesAt);
      }
      await this.outbox.close(groupId, now);
    }
    const token = await this.outbox.lock(groupId, LOCK_TTL_MS);
    if (token === null) throw new RateLimitedError('another worker is posting this group', now + 500);
    try {
      const fresh = await this.outbox.group(groupId);
      const again = settledReceipt(fresh, milestone.id);
      if (again !== null) return again;
      const plan =
        fresh.plan ??
        (await this.outbox.savePlan(
          groupId,
          planXPosts(this.options, this.renderOptions, fresh.milestones, request.tracking),
        ));
      return await this.postThrough(fresh, plan, milestone.id, token, request.tracking);
    } finally {
      await this.outbox.unlock(groupId, token);
    }
  }

  /**
   * Posts the plan's parts in order, each a reply to the last one posted, taking a budget slot for each. Parts
   * already posted are skipped, so a thread resumes where it stopped. A failure before this milestone's part is
   * this job's failure; after it, the job has what it came for and leaves the rest to the group's other jobs.
   */
  private async postThrough(
    group: GroupView,
    plan: readonly XPostPart[],
    milestoneId: string,
    token: string,
    tracking: Tracking,
  ): Promise<PublishReceipt> {
    const target = plan.findIndex((p) => p.milestoneIds.includes(milestoneId));
    if (target === -1) {
      throw new PermanentPublishError('no X text could be rendered for this milestone', 'no X text rendered');
    }
    const posted = new Map(group.posted);
    let replyTo: string | null = null;
    for (let i = 0; i < plan.length; i += 1) {
      const done = posted.get(i);
      if (done !== undefined) {
        replyTo = done.id ?? replyTo;
        continue;
      }
      if (!(await this.outbox.extendLock(group.id, token, LOCK_TTL_MS))) {
        if (i <= target)
          throw new RateLimitedError('lost the group lock; another worker continues', this.now() + 500);
        break;
      }
      try {
        const part = plan[i] as XPostPart;
        const approved = await this.approve(group, i, part);
        const outcome =
          approved === null
            ? { id: null, duplicate: false, skipped: true }
            : await this.poster.post(group, i, approved, replyTo, {
                milestone: this.cardMilestone(group, part),
                tracking,
                token,
              });
        const record: PostedPart =
          approved === null || approved === part.text ? outcome : { ...outcome, text: approved };
        posted.set(i, record);
        const stored = await this.outbox.recordPosted(group.id, i, record, plan.length - posted.size);
        posted.set(i, stored);
        replyTo = stored.id ?? replyTo;
      } catch (error) {
        if (i <= target) throw error;
        this.options.logger.info(
          { groupId: group.id, part: i, err: errorMessage(error) },
          'X thread paused part way; the group’s other jobs resume it',
        );
        break;
      }
    }
    if (posted.size === plan.length) await this.outbox.finish(group.id, 'done');
    const mine = posted.get(target);
    if (mine === undefined) throw new Error(`part ${target} of group ${group.id} was not settled`);
    return receiptFor(plan[target] as XPostPart, mine);
  }

  /**
   * With an approval gate: the text a moderator approved (edited texts are checked and, if need be, shortened),
   * null when skipped; throws a wait while undecided, and gives up after `maxWaitMs`. Without a gate: the text.
   */
  private async approve(group: GroupView, index: number, part: XPostPart): Promise<string | null> {
    const gate = this.options.approval;
    if (gate === undefined) return part.text;
    const decision = await gate.review({
      key: `${group.id}#${index}`,
      text: part.text,
      milestoneIds: part.milestoneIds,
      destination: this.destination,
    });
    if (decision.state === 'skipped') return null;
    if (decision.state === 'approved')
      return decision.text === undefined ? part.text : fitXText(decision.text);
    const now = this.now();
    if (now - group.createdAt > this.options.maxWaitMs) {
      const reason = `not approved within ${Math.round(this.options.maxWaitMs / 3_600_000)} h (X_MAX_WAIT_HOURS)`;
      await this.outbox.finish(group.id, 'failed', reason);
      throw new PermanentPublishError(reason, reason);
    }
    throw new RateLimitedError('waiting for a moderator to approve the X post', now + this.approvalRecheckMs);
  }

  /** The milestone whose card a part carries: its highest-priority one. */
  private cardMilestone(group: GroupView, part: XPostPart): Milestone | undefined {
    return group.milestones.filter((m) => part.milestoneIds.includes(m.id)).sort(byXPriority)[0];
  }
}
