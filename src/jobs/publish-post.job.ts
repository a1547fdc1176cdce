import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
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
import { publishQueue } from './contracts.js';
import { errorMessage } from '../error-message.js';
import { DestinationTurns } from './destination-turns.js';
import { PublishRuleCheck, type HeldBackOutcome } from './publish-rule-check.js';
import { postEverything, type PublishRules } from './publish-rules.js';

/**
 * How long a job whose destination has an older milestone still pending waits before it looks again. The job
 * that settles the older milestone wakes the next one at once, so this is only the fallback for a wake-up lost
 * to a crash; it is long because every parked job looks again when it runs out (a short one floods Redis and the
 * workers when hundreds of posts wait for one destination).
 */
const ORDER_RECHECK_MS = 15_000;

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

export interface PublishPostDeps {
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly milestones: MilestoneStore;
  readonly ledger: PostLedgerStore;
  readonly order: PublishOrderStore;
  /** The publish queue, to wake the job next in a destination's order. */
  readonly queue: Queue;
  readonly publishers: ReadonlyMap<string, Publisher>;
  readonly logger: Logger;
  /** Freshness and supersession; default {@link postEverything}. */
  readonly rules?: PublishRules;
  /** Epoch ms, for the freshness rule (tests inject it). */
  readonly now?: () => number;
  readonly onPublished?: (outcome: PublishOutcome) => void;
}

/**
 * The `publish` processor: one (milestone, destination). The ledger is read first, so a job that runs again
 * after its post was recorded does nothing. Before posting, the publishing rules (docs/sources.md):
 *
 * 1. freshness: observed more than `rules.announceMaxAgeMs` ago → recorded `skipped` with its age, not posted;
 * 2. supersession: a higher milestone of the same subject is pending (or sent) for this destination → recorded
 *    `superseded` by it, not posted;
 * 3. order: an older milestone is still pending for this destination and its job is alive → this job waits
 *    for its turn (DestinationTurns: in the worker while the older post is in flight, else a BullMQ delay that
 *    spends no attempt) until the job that settles the older one wakes it.
 *
 * A publisher that posts several milestones together (X's combined posts and threads) asks the same rules about
 * the others just before it plans and posts them (`heldBack`), so a post never carries one they hold back.
 *
 * A milestone the platform already posted (X: its part of a combined post or thread, sent by another milestone's
 * job) is recorded sent before any rule is applied: the ledger says what went out.
 *
 * Permanent failures go to the ledger and stop retries; rate limits delay the job without spending an attempt;
 * anything else is retried with backoff until attempts run out, and then recorded as failed. Whatever settles an
 * entry wakes the job next in that destination's order.
 */
export function createPublishPostProcessor(deps: PublishPostDeps) {
  const rules = deps.rules ?? postEverything;
  const now = deps.now ?? Date.now;

  const turns = new DestinationTurns(deps.order, deps.queue);
  const check = new PublishRuleCheck({
    ledger: deps.ledger,
    milestones: deps.milestones,
    order: deps.order,
    logger: deps.logger,
    rules,
    now,
  });
  /** Once an entry is final: the next post to that destination may go (not for platforms that order their own). */
  const wakeNext = async (destination: string, settled: string): Promise<void> => {
    if (deps.publishers.get(platformOf(destination))?.ordersItsOwnPosts === true) return;
    await turns.settled(destination, settled);
  };

  return async (job: Job, token?: string): Promise<PublishOutcome> => {
    const parsed = publishQueue.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid publish job: ${parsed.error.message}`);
    const { milestoneId } = parsed.data;
    const destination = parsed.data.destination as DestinationKey;
    const report = (outcome: PublishOutcome['outcome'], latencyMs: number | null = null): PublishOutcome => {
      const result = { destination, milestoneId, outcome, latencyMs };
      deps.onPublished?.(result);
      return result;
    };
    const entry = await deps.ledger.get(milestoneId, destination);
    if (entry !== null && entry.state !== 'pending') {
      // Settled by an earlier run that may have stopped before waking the next job in line.
      await wakeNext(destination, milestoneId);
      return report('skipped');
    }
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
      await wakeNext(destination, milestoneId);
      throw new UnrecoverableError(reason);
    }
    /**
     * The rules, when the milestone is not out yet: `stale` or `superseded` (recorded so), null to post it now;
     * throws a DelayedError while an older milestone of the destination goes first.
     */
    const applyRules = async (): Promise<HeldBackOutcome | null> => {
      if ((await check.skipIfStale(milestone, destination)) !== null) return 'stale';
      const position = await deps.order.position(milestoneId, destination);
      if ((await check.supersedeIfHigher(milestoneId, destination, position.higher)) !== null) {
        return 'superseded';
      }
      if (publisher.ordersItsOwnPosts !== true && position.ahead.length > 0 && token !== undefined) {
        const turn = await turns.take(milestoneId, destination, position.ahead);
        if (!turn.go) {
          deps.logger.debug(
            { milestoneId, destination, waitingFor: turn.behind },
            'waiting for an older milestone',
          );
          await job.moveToDelayed(Date.now() + ORDER_RECHECK_MS, token);
          await turns.afterParking(job, milestoneId, destination);
          throw new DelayedError();
        }
      }
      return null;
    };
    const request: PublishRequest = {
      milestone,
      tracking,
      destination,
      ledgerKey: ledgerKeyOf(milestoneId, destination),
      attempt: job.attemptsMade + 1,
      heldBack: (others) =>
        check.heldBack(others, destination, async (other, outcome) => {
          deps.onPublished?.({ destination, milestoneId: other, outcome, latencyMs: null });
          await wakeNext(destination, other);
        }),
    };
    const createdMs = entry === null ? Date.now() : Date.parse(entry.createdAt);
    try {
      // Out already (X: its part of a combined post or thread went out with another milestone's job)? Then it is
      // recorded as it went, whatever the rules would say by now.
      let receipt = (await publisher.postedAlready?.(request)) ?? null;
      if (receipt === null) {
        const held = await applyRules();
        if (held !== null) {
          await wakeNext(destination, milestoneId);
          return report(held);
        }
        receipt = await publisher.publish(request);
      }
      await deps.ledger.markSent(milestoneId, destination, receipt);
      await wakeNext(destination, milestoneId);
      return report('sent', Date.now() - createdMs);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (error instanceof AlreadyPublishedError) {
        await deps.ledger.markSent(milestoneId, destination, {
          platformId: error.platformId,
          text: error.text,
          duplicate: true,
        });
        deps.logger.warn({ milestoneId, destination }, 'platform already had this post; recorded as sent');
        await wakeNext(destination, milestoneId);
        return report('duplicate');
      }
      if (error instanceof PermanentPublishError) {
        await deps.ledger.markFailed(milestoneId, destination, error.reason);
        deps.logger.error({ milestoneId, destination, reason: error.reason }, 'post failed permanently');
        await wakeNext(destination, milestoneId);
        report('failed');
        throw new UnrecoverableError(error.message);
      }
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
        await wakeNext(destination, milestoneId);
        report('failed');
      } else {
        deps.logger.warn(
          { milestoneId, destination, attempt: job.attemptsMade + 1, err: errorMessage(error) },
          'retrying',
        );
      }
      throw error;
    }
  };
}
