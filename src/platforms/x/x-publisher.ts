import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../redis.js';
import type { CardSource } from '../../cards/card-cache.js';
import type { Logger } from '../../logger.js';
import type { Milestone } from '../../milestones/types.js';
import type { Language, RenderOptions } from '../../posts/types.js';
import type { PostLedgerStore } from '../../state/post-ledger.store.js';
import type { Tracking } from '../../tracking/tracking.js';
import type { ApprovalGate } from '../approval-gate.js';
import type { ModeratorNotifier } from '../moderator-notifier.js';
import { PermanentPublishError, RateLimitedError } from '../publish-errors.js';
import type { BudgetUsage, DestinationKey, PublishReceipt, PublishRequest, Publisher } from '../publisher.js';
import { XCardMedia } from './x-card-media.js';
import { planXPosts, renderXText } from './x-plan.js';
import type { RenderXPosts } from './x-post-format.js';
import { postedReceipt, settledReceipt } from './x-receipts.js';
import type { XAccount, XClient } from './x-client.js';
import { verifyXAccount } from './x-verify.js';
import { XBudgetStore } from './x-budget.store.js';
import { XDrafts, type SettledMilestone } from './x-drafts.js';
import { XGroupLock } from './x-group-lock.js';
import { XGroupMediaStore } from './x-group-media.store.js';
import { XGroupStore, type GroupView } from './x-groups.store.js';
import { xKeys } from './x-keys.js';
import { XPartPoster } from './x-part-poster.js';
import { XPauseStore } from './x-pause.store.js';
import { XSendingMarks } from './x-sending-marks.store.js';
import { XThreadPoster } from './x-thread-poster.js';
import { defaultXPrices, toMicros, type XPrices } from './x-prices.js';
import { meetsXMinimum, xCombineKey, xPriority, type XMinThresholds } from './x-priority.js';
import { isValidXText, type XPostPart } from './x-text.js';

export const DAY_MS = 86_400_000;
/** How long one worker holds a group; extended before each post, so it covers one request and its timeout. */
const LOCK_TTL_MS = 60_000;

export interface XPublisherOptions {
  readonly client: XClient;
  readonly redis: RedisClient;
  /** The project key prefix (`QUEUE_PREFIX`). */
  readonly prefix: string;
  readonly ledger: PostLedgerStore;
  readonly render: RenderXPosts;
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
  /**
   * The clock of the outbox and the budget (epoch ms); default Date.now. Tests inject one they move by hand: the
   * waits it measures reach the queue as the same durations from the real clock.
   */
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
 * A group's parts go out through {@link XThreadPoster} (order, replies, approval, milestones the publishing rules
 * hold back), each part through {@link XPartPoster} (budget, pause, card, the request and X's answer).
 */
export class XPublisher implements Publisher {
  readonly platform = 'x';
  /** The outbox orders X's posts (priority within the budget, combined posts, threads). */
  readonly ordersItsOwnPosts = true;
  readonly destination: DestinationKey;
  private readonly groups: XGroupStore;
  private readonly budget: XBudgetStore;
  private readonly locks: XGroupLock;
  private readonly pauses: XPauseStore;
  private readonly thread: XThreadPoster;
  private readonly drafts: XDrafts;
  private readonly now: () => number;
  private readonly renderOptions: RenderOptions;
  private readonly prices: XPrices;
  private readonly budgetWindowMs: number;
  private readonly recheckMs: number;

  constructor(
    private readonly options: XPublisherOptions,
    readonly account: XAccount,
  ) {
    const keys = xKeys(options.prefix, account.id);
    this.destination = `x:${account.id}`;
    this.groups = new XGroupStore(options.redis, keys);
    this.budget = new XBudgetStore(options.redis, keys);
    this.locks = new XGroupLock(options.redis, keys);
    const sending = new XSendingMarks(options.redis, keys);
    this.drafts = new XDrafts({
      groups: this.groups,
      sending,
      logger: options.logger,
      ...(options.approval === undefined ? {} : { approval: options.approval }),
    });
    this.pauses = new XPauseStore(options.redis, keys.pause);
    this.now = options.now ?? Date.now;
    this.renderOptions = options.language === undefined ? {} : { language: options.language };
    this.prices = options.prices ?? defaultXPrices;
    this.budgetWindowMs = options.budgetWindowMs ?? DAY_MS;
    this.recheckMs = options.recheckMs ?? 15 * 60_000;
    const poster = new XPartPoster({
      client: options.client,
      groups: this.groups,
      drafts: this.drafts,
      budget: this.budget,
      locks: this.locks,
      sending,
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
              media: new XGroupMediaStore(options.redis, keys),
              cards: options.cards,
              language: options.language ?? 'en',
              logger: options.logger,
              onMetadata: () =>
                this.budget.charge(
                  `metadata#${randomUUID()}`,
                  this.now(),
                  toMicros(this.prices.mediaMetadataUsd),
                  false,
                ),
            }),
      now: this.now,
    });
    this.thread = new XThreadPoster({
      groups: this.groups,
      locks: this.locks,
      sending,
      poster,
      logger: options.logger,
      destination: this.destination,
      plan: (milestones, tracking) => this.planPosts(milestones, tracking),
      lockTtlMs: LOCK_TTL_MS,
      maxWaitMs: options.maxWaitMs,
      ...(options.approval === undefined ? {} : { approval: options.approval }),
      drafts: this.drafts,
      approvalRecheckMs: options.approvalRecheckMs ?? 30_000,
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
    return this.groups.enter(
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
   * spent, beside the caps (`X_DAILY_POSTS`, `X_DAILY_SPEND_USD`, null when there is none); and the X pause, if
   * publishing is paused (lifted only by a start-up whose credentials X accepts: {@link XPublisher.connect}).
   */
  async usage(): Promise<BudgetUsage> {
    const [used, pause] = await Promise.all([
      this.budget.usage(this.now(), this.budgetWindowMs),
      this.pauses.get(),
    ]);
    const cap = this.options.dailySpendUsd ?? null;
    return {
      destination: this.destination,
      account: this.account.username,
      posts: used.posts,
      postsCap: this.options.dailyPosts,
      spendUsd: used.spendMicros / 1_000_000,
      spendCapUsd: cap === null || cap <= 0 ? null : cap,
      windowHours: this.budgetWindowMs / 3_600_000,
      paused: pause === null ? null : { reason: pause.reason, since: pause.at === '' ? null : pause.at },
    };
  }

  /** The receipt when the milestone's part went out with another milestone's job; null when it did not (yet). */
  async postedAlready(request: PublishRequest): Promise<PublishReceipt | null> {
    const groupId = await this.groups.groupOf(request.milestone.id);
    return groupId === null ? null : postedReceipt(await this.groups.group(groupId), request.milestone.id);
  }

  /**
   * The milestone is settled without a post: held back by the publishing rules (the ledger records it `skipped` or
   * `superseded`), or failed (its job failed for good, or ran out of attempts). When that leaves its group with
   * nothing to post (every member settled in the ledger, or carried by a part already posted), no job will plan
   * or post the group again, so the drafts of its parts not posted are settled here (with approval only):
   * withdrawn when the rules held their milestones back, failed when one of them failed. A group given up has
   * settled its drafts already; a part that may be on X (its answer lost) keeps its draft. Never throws.
   */
  async settledUnposted(milestoneId: string): Promise<void> {
    if (this.options.approval === undefined) return;
    try {
      const groupId = await this.groups.groupOf(milestoneId);
      if (groupId === null) return;
      const group = await this.groups.group(groupId);
      if (group.plan === null || group.state === 'done' || group.state === 'failed') return;
      const plan = group.plan;
      const unposted: SettledMilestone[] = [];
      for (const m of group.milestones) {
        const part = plan.findIndex((p) => p.milestoneIds.includes(m.id));
        if (part !== -1 && group.posted.has(part)) continue;
        const entry = await this.options.ledger.get(m.id, this.destination);
        // A member still pending (or not yet recorded) is posted, or planned again without the others, by its job.
        if (entry === null || entry.state === 'pending') return;
        if (entry.state !== 'sent') {
          unposted.push({ id: m.id, reason: entry.reason, failed: entry.state === 'failed' });
        }
      }
      await this.drafts.nothingLeft(group, unposted);
    } catch (error) {
      this.options.logger.warn(
        { milestoneId, err: String(error) },
        'could not settle the X drafts of a group left with nothing to post',
      );
    }
  }

  /**
   * Posts the milestone's group, or finds its post already made. Waits (gathering, budget, pause, approval, the
   * group lock) are measured on this publisher's clock and handed to the queue as times on the real one.
   */
  async publish(request: PublishRequest): Promise<PublishReceipt> {
    try {
      return await this.publishGroup(request);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      // The same time with the default clock; with an injected one (tests), the same wait from now.
      throw new RateLimitedError(error.message, Date.now() + (error.retryAt - this.now()));
    }
  }

  private async publishGroup(request: PublishRequest): Promise<PublishReceipt> {
    const { milestone } = request;
    const now = this.now();
    const groupId = await this.enter(milestone);
    const group = await this.groups.group(groupId);
    const settled = settledReceipt(group, milestone.id);
    if (settled !== null) return settled;
    const pause = await this.pauses.get();
    if (pause !== null) {
      if (now - group.createdAt > this.options.maxWaitMs) {
        const reason = `X publishing stayed paused past X_MAX_WAIT_HOURS: ${pause.reason}`;
        await this.drafts.giveUp(groupId, reason);
        throw new PermanentPublishError(reason, reason);
      }
      throw new RateLimitedError(`X publishing is paused: ${pause.reason}`, now + this.recheckMs);
    }
    if (group.state === 'open') {
      if (now < group.closesAt) {
        throw new RateLimitedError('gathering milestones of the same album', group.closesAt);
      }
      await this.groups.close(groupId, now);
    }
    const token = await this.locks.lock(groupId, LOCK_TTL_MS);
    if (token === null) throw new RateLimitedError('another worker is posting this group', now + 500);
    try {
      const fresh = await this.groups.group(groupId);
      const again = settledReceipt(fresh, milestone.id);
      if (again !== null) return again;
      const plan = fresh.plan ?? (await this.groups.savePlan(groupId, await this.firstPlan(fresh, request)));
      return await this.thread.post({ ...fresh, plan }, milestone.id, token, request);
    } finally {
      await this.locks.unlock(groupId, token);
    }
  }

  /**
   * The group's first plan: its milestones' texts packed into posts, leaving out those the publishing rules hold
   * back (already recorded `skipped` or `superseded`, or held back now).
   */
  private async firstPlan(group: GroupView, request: PublishRequest): Promise<XPostPart[]> {
    const others = group.milestones.map((m) => m.id).filter((id) => id !== request.milestone.id);
    const held =
      request.heldBack === undefined || others.length === 0
        ? new Set<string>()
        : await request.heldBack(others);
    return this.planPosts(
      group.milestones.filter((m) => !held.has(m.id)),
      request.tracking,
    );
  }

  private planPosts(milestones: readonly Milestone[], tracking: Tracking): XPostPart[] {
    return planXPosts(this.options, this.renderOptions, milestones, tracking);
  }
}
