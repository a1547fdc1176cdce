import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import {
  AlreadyPublishedError,
  PermanentPublishError,
  RateLimitedError,
} from '../platforms/publish-errors.js';
import {
  platformOf,
  type DestinationKey,
  type PublishRequest,
  type Publisher,
} from '../platforms/publisher.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import { ledgerKeyOf, type PostLedgerStore } from '../state/post-ledger.store.js';
import type { PublishOrderStore } from '../state/publish-order.store.js';
import type { Tracking } from '../tracking/tracking.js';
import { PublishRuleCheck } from './publish-rule-check.js';
import type { PublishRules } from './publish-rules.js';

export interface PublishOutcome {
  readonly destination: string;
  readonly milestoneId: string;
  /**
   * `skipped`: the ledger entry was already final, nothing was done; `stale` and `superseded`: recorded so now
   * (ledger states `skipped` and `superseded`), nothing posted.
   */
  readonly outcome: 'sent' | 'duplicate' | 'failed' | 'skipped' | 'stale' | 'superseded';
  /** Milliseconds from the milestone's ledger entry to the platform's answer, when sent. */
  readonly latencyMs: number | null;
}

/**
 * The attempt number a publisher is told by the job's own count (1 on the first attempt). Just before the request
 * goes out it is raised to the number of tries the ledger counted (PostLedgerStore.startTry), which also covers a
 * try by a destination's drainer and one cut off by a crash (a stall, which BullMQ does not count as an attempt).
 * Parking a job for its turn is no try: it does not raise the number.
 */
export function attemptOf(job: Job): number {
  return job.attemptsMade + 1;
}

/** One (milestone, destination) after the publishing rules ran; `already`: it was final before this look. */
export type Settlement =
  | { readonly kind: 'already' }
  | {
      readonly kind: 'settled';
      readonly outcome: PublishOutcome['outcome'];
      readonly latencyMs: number | null;
    }
  | { readonly kind: 'failed'; readonly reason: string };

export interface PostSettlerDeps {
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly milestones: MilestoneStore;
  readonly ledger: PostLedgerStore;
  readonly order: PublishOrderStore;
  readonly publishers: ReadonlyMap<string, Publisher>;
  readonly logger: Logger;
  readonly rules: PublishRules;
  /** Epoch ms, for the freshness rule. */
  readonly now: () => number;
  readonly onPublished?: (outcome: PublishOutcome) => void;
}

/** What settles one (milestone, destination): the publishing rules, the post, and what the ledger records. */
export interface PostSettler {
  /** Reports an outcome (to `onPublished`) and hands it back. */
  report(
    milestoneId: string,
    destination: string,
    outcome: PublishOutcome['outcome'],
    latencyMs?: number | null,
  ): PublishOutcome;
  /**
   * Applies the rules to one pending (milestone, destination) and posts it if they allow. Settles everything
   * that is final (sent, duplicate, skipped, superseded, permanently failed); throws what is not (a rate limit,
   * a transient error) and `UnrecoverableError` for a milestone that is not stored.
   */
  settleOne(milestoneId: string, destination: DestinationKey, attempt: number): Promise<Settlement>;
  /** The job's own milestone: rules, post, and the job's own retry, rate-limit and attempt handling. */
  settleOwn(
    job: Job,
    token: string | undefined,
    milestoneId: string,
    destination: DestinationKey,
  ): Promise<PublishOutcome>;
}

/**
 * Settles posts for the publish processor (publish-post.job.ts) and for a destination's drainer
 * (destination-drain.ts), which posts other jobs' milestones with the same rules.
 */
export function createPostSettler(deps: PostSettlerDeps): PostSettler {
  const { rules } = deps;
  const check = new PublishRuleCheck({
    ledger: deps.ledger,
    milestones: deps.milestones,
    order: deps.order,
    logger: deps.logger,
    rules,
    now: deps.now,
  });

  const outcomeOf = (
    milestoneId: string,
    destination: string,
    outcome: PublishOutcome['outcome'],
    latencyMs: number | null = null,
  ): PublishOutcome => {
    const result = { destination, milestoneId, outcome, latencyMs };
    deps.onPublished?.(result);
    return result;
  };

  const settleOne = async (
    milestoneId: string,
    destination: DestinationKey,
    attempt: number,
  ): Promise<Settlement> => {
    const entry = await deps.ledger.get(milestoneId, destination);
    if (entry !== null && entry.state !== 'pending') return { kind: 'already' };
    const milestone = await deps.milestones.get(milestoneId);
    if (milestone === null) throw new UnrecoverableError(`milestone ${milestoneId} is not stored`);
    const tracking = deps.trackings.get(milestone.artistId);
    const publisher = deps.publishers.get(platformOf(destination));
    if (tracking === undefined || publisher === undefined) {
      const reason =
        tracking === undefined
          ? `artist ${milestone.artistId} is no longer tracked`
          : `no publisher for ${destination}`;
      await deps.ledger.markFailed(milestoneId, destination, reason);
      await publisher?.settledUnposted?.(milestoneId, destination);
      return { kind: 'failed', reason };
    }
    const request: PublishRequest = {
      milestone,
      tracking,
      destination,
      ledgerKey: ledgerKeyOf(milestoneId, destination),
      attempt,
      heldBack: (others) =>
        check.heldBack(others, destination, (other, outcome) => {
          outcomeOf(other, destination, outcome);
          return Promise.resolve();
        }),
    };
    const createdMs = entry === null ? Date.now() : Date.parse(entry.createdAt);
    try {
      // Out already (X: its part of a combined post or thread went out with another milestone's job)? Then it is
      // recorded as it went, whatever the rules would say by now.
      let receipt = (await publisher.postedAlready?.(request)) ?? null;
      if (receipt === null) {
        if ((await check.skipIfStale(milestone, destination)) !== null) {
          await publisher.settledUnposted?.(milestoneId, destination);
          return { kind: 'settled', outcome: 'stale', latencyMs: null };
        }
        const higher = rules.supersede ? await deps.order.higher(milestoneId) : [];
        if ((await check.supersedeIfHigher(milestoneId, destination, higher)) !== null) {
          await publisher.settledUnposted?.(milestoneId, destination);
          return { kind: 'settled', outcome: 'superseded', latencyMs: null };
        }
        // Counted before the request goes out, whoever makes it (the job, a drainer, a run after a crash): a try
        // that may follow an earlier one tells the publisher, which then looks for its post first.
        const tries = await deps.ledger.startTry(milestoneId, destination);
        receipt = await publisher.publish({ ...request, attempt: Math.max(attempt, tries) });
      }
      await deps.ledger.markSent(milestoneId, destination, receipt);
      return { kind: 'settled', outcome: 'sent', latencyMs: Date.now() - createdMs };
    } catch (error) {
      if (error instanceof AlreadyPublishedError) {
        await deps.ledger.markSent(milestoneId, destination, {
          platformId: error.platformId,
          text: error.text,
          duplicate: true,
        });
        deps.logger.warn({ milestoneId, destination }, 'platform already had this post; recorded as sent');
        return { kind: 'settled', outcome: 'duplicate', latencyMs: null };
      }
      if (error instanceof PermanentPublishError) {
        await deps.ledger.markFailed(milestoneId, destination, error.reason);
        deps.logger.error({ milestoneId, destination, reason: error.reason }, 'post failed permanently');
        await publisher.settledUnposted?.(milestoneId, destination);
        return { kind: 'failed', reason: error.reason };
      }
      throw error;
    }
  };

  const settleOwn = async (
    job: Job,
    token: string | undefined,
    milestoneId: string,
    destination: DestinationKey,
  ): Promise<PublishOutcome> => {
    let settlement: Settlement;
    try {
      settlement = await settleOne(milestoneId, destination, attemptOf(job));
    } catch (error) {
      if (error instanceof UnrecoverableError) throw error;
      if (error instanceof RateLimitedError && token !== undefined) {
        deps.logger.warn(
          { milestoneId, destination, retryAt: new Date(error.retryAt).toISOString() },
          'rate limited',
        );
        await job.moveToDelayed(Math.max(error.retryAt, Date.now() + 1), token);
        throw new DelayedError();
      }
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        await deps.ledger.markFailed(
          milestoneId,
          destination,
          `gave up after ${attempts} attempts: ${errorMessage(error)}`,
        );
        await deps.publishers.get(platformOf(destination))?.settledUnposted?.(milestoneId, destination);
        outcomeOf(milestoneId, destination, 'failed');
      } else {
        deps.logger.warn(
          { milestoneId, destination, attempt: job.attemptsMade + 1, err: errorMessage(error) },
          'retrying',
        );
      }
      throw error;
    }
    if (settlement.kind === 'already') return outcomeOf(milestoneId, destination, 'skipped');
    if (settlement.kind === 'failed') {
      outcomeOf(milestoneId, destination, 'failed');
      throw new UnrecoverableError(settlement.reason);
    }
    return outcomeOf(milestoneId, destination, settlement.outcome, settlement.latencyMs);
  };

  return { report: outcomeOf, settleOne, settleOwn };
}
