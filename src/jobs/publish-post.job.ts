import { DelayedError, Job, UnrecoverableError, type Queue } from 'bullmq';
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
import { DestinationLockStore } from '../state/destination-lock.store.js';
import type { Tracking } from '../tracking/tracking.js';
import { publishJobId, publishQueue } from './contracts.js';
import { errorMessage } from '../error-message.js';
import { DestinationWaiters } from './destination-waiters.js';
import { PublishRuleCheck } from './publish-rule-check.js';
import { postEverything, type PublishRules } from './publish-rules.js';

/**
 * A job whose destination is being posted to by another job waits this long in the worker (woken in-process, or
 * looking again every {@link LOOK_AGAIN_MS}) for that job to post its milestone too, before it parks. Short,
 * because a waiting job holds a worker slot and delays a graceful shutdown by as much.
 */
const IN_WORKER_WAIT_MS = 500;
const LOOK_AGAIN_MS = 50;
/**
 * A parked job looks again after this long. Whoever posts its milestone, or finishes a drain before it, wakes it
 * at once, so this is only the fallback for a wake-up lost to a crash.
 */
const ORDER_RECHECK_MS = 15_000;
/** After a post fails for a job that is not its own, drainers leave the destination alone this long. */
const HOLD_AFTER_FAILURE_MS = 5_000;
/** At most this many posts of other jobs per drain; then the next job in line carries on (a graceful stop stays short). */
const DRAIN_LIMIT = 200;
const liveJobStates = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

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
  /** One poster per destination at a time (for platforms that do not order their own posts). */
  readonly locks: DestinationLockStore;
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
 * The attempt number a publisher is told by the job's own count (1 on the first attempt). Just before the request
 * goes out it is raised to the number of tries the ledger counted (PostLedgerStore.startTry), which also covers a
 * try by a destination's drainer and one cut off by a crash (a stall, which BullMQ does not count as an attempt).
 * Parking a job for its turn is no try: it does not raise the number.
 */
function attemptOf(job: Job): number {
  return job.attemptsMade + 1;
}

/** One (milestone, destination) after the publishing rules ran; `already`: it was final before this look. */
type Settlement =
  | { readonly kind: 'already' }
  | {
      readonly kind: 'settled';
      readonly outcome: PublishOutcome['outcome'];
      readonly latencyMs: number | null;
    }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * The `publish` processor: one (milestone, destination). The ledger is read first, so a job that runs again
 * after its post was recorded does nothing. Before posting, the publishing rules (docs/sources.md):
 *
 * 1. freshness: observed more than `rules.announceMaxAgeMs` ago → recorded `skipped` with its age, not posted;
 * 2. supersession: a higher milestone of the same subject is pending (or sent) for this destination → recorded
 *    `superseded` by it, not posted;
 * 3. order: posts to one destination go out oldest first (the destination's pending set, PublishOrderStore).
 *    Every post to such a destination is made by the holder of its lock (DestinationLockStore), and the holder
 *    drains the destination: it posts every pending milestone in order, its own among them, for as long as their
 *    jobs are alive and nothing fails. A job that finds the lock held waits for the holder to post its milestone
 *    too (it then reports `skipped`); one that cannot go yet parks (a BullMQ delay that spends no attempt) until
 *    it is woken. Platforms that order their own posts (X's outbox) skip this.
 *
 * A drainer posts another job's milestone only while that job is not in a retry backoff; a failure there stops
 * the drain and leaves that milestone to its own job (its retries, rate-limit waits and attempts stay its own).
 * A publisher that posts several milestones together (X's combined posts and threads) asks the same rules about
 * the others just before it plans and posts them (`heldBack`), so a post never carries one they hold back. A
 * milestone the platform already posted (X: its part of a combined post or thread, sent by another milestone's
 * job) is recorded sent before any rule is applied: the ledger says what went out.
 *
 * Permanent failures go to the ledger and stop retries; rate limits delay the job without spending an attempt;
 * anything else is retried with backoff until attempts run out, and then recorded as failed.
 */
export function createPublishPostProcessor(deps: PublishPostDeps) {
  const rules = deps.rules ?? postEverything;
  const now = deps.now ?? Date.now;
  const waiters = new DestinationWaiters();
  const check = new PublishRuleCheck({
    ledger: deps.ledger,
    milestones: deps.milestones,
    order: deps.order,
    logger: deps.logger,
    rules,
    now,
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

  /**
   * Applies the rules to one pending (milestone, destination) and posts it if they allow. Settles everything
   * that is final (sent, duplicate, skipped, superseded, permanently failed); throws what is not (a rate limit,
   * a transient error) and `UnrecoverableError` for a milestone that is not stored.
   */
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
          return { kind: 'settled', outcome: 'stale', latencyMs: null };
        }
        const higher = rules.supersede ? await deps.order.higher(milestoneId) : [];
        if ((await check.supersedeIfHigher(milestoneId, destination, higher)) !== null) {
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
        return { kind: 'failed', reason: error.reason };
      }
      throw error;
    }
  };

  /** The job's own milestone: rules, post, and the job's own retry, rate-limit and attempt handling. */
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

  const jobIdOf = (milestoneId: string, destination: string) =>
    publishJobId(ledgerKeyOf(milestoneId, destination));

  /** Wakes a parked job (a no-op for one that is waiting or running). */
  const promote = async (milestoneId: string, destination: string): Promise<void> => {
    const job = await Job.fromId(deps.queue, jobIdOf(milestoneId, destination));
    if ((await job?.isDelayed()) === true && job?.attemptsMade === 0)
      await job.promote().catch(() => undefined);
  };

  /**
   * Whether a drainer may post another job's milestone now: its job is alive and not in a retry backoff, and no
   * recent failure put the destination on hold. `gone`: its job no longer exists (an operator removed it), so it
   * does not hold the destination up.
   */
  const mayPostFor = async (
    milestoneId: string,
    destination: string,
  ): Promise<
    { readonly go: 'yes'; readonly attempt: number } | { readonly go: 'no' } | { readonly go: 'gone' }
  > => {
    const id = jobIdOf(milestoneId, destination);
    const state = await deps.queue.getJobState(id);
    if (!liveJobStates.has(state)) return { go: 'gone' };
    if (await deps.locks.onHold(destination)) return { go: 'no' };
    const job = await Job.fromId(deps.queue, id);
    if (job === undefined) return { go: 'gone' };
    if (state === 'delayed' && job.attemptsMade > 0) return { go: 'no' };
    return { go: 'yes', attempt: attemptOf(job) };
  };

  /**
   * Holding the destination's lock: posts its pending milestones oldest first, the job's own among them. Returns
   * the job's own outcome, or null when the drain stopped before reaching it.
   */
  const drain = async (
    job: Job,
    token: string,
    lockToken: string,
    milestoneId: string,
    destination: DestinationKey,
  ): Promise<PublishOutcome | null> => {
    let skip = 0;
    let others = 0;
    for (;;) {
      const next = await deps.order.at(destination, skip);
      if (next === null) break;
      if (next === milestoneId) {
        if (!(await deps.locks.refresh(destination, lockToken))) break;
        const own = await settleOwn(job, token, milestoneId, destination);
        waiters.wake(destination);
        return own;
      }
      if (others >= DRAIN_LIMIT) {
        await promote(next, destination);
        break;
      }
      const may = await mayPostFor(next, destination);
      if (may.go === 'gone') {
        skip += 1;
        continue;
      }
      if (may.go === 'no') break;
      others += 1;
      if (!(await deps.locks.refresh(destination, lockToken))) break;
      let settlement: Settlement;
      try {
        settlement = await settleOne(next, destination, may.attempt);
      } catch (error) {
        // Left to its own job (retries, rate-limit waits, attempts); the destination rests meanwhile.
        deps.logger.warn(
          { milestoneId: next, destination, drainedBy: milestoneId, err: errorMessage(error) },
          'post for an older job failed; it is left to that job',
        );
        if (!(error instanceof UnrecoverableError)) await deps.locks.hold(destination, HOLD_AFTER_FAILURE_MS);
        else skip += 1;
        if (error instanceof UnrecoverableError) continue;
        break;
      }
      if (settlement.kind === 'settled')
        outcomeOf(next, destination, settlement.outcome, settlement.latencyMs);
      if (settlement.kind === 'failed') outcomeOf(next, destination, 'failed');
      waiters.wake(destination);
      await promote(next, destination);
    }
    return null;
  };

  return async (job: Job, token?: string): Promise<PublishOutcome> => {
    const parsed = publishQueue.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid publish job: ${parsed.error.message}`);
    const { milestoneId } = parsed.data;
    const destination = parsed.data.destination as DestinationKey;
    const isFinal = async () => {
      const entry = await deps.ledger.get(milestoneId, destination);
      return entry !== null && entry.state !== 'pending';
    };
    if (await isFinal()) return outcomeOf(milestoneId, destination, 'skipped');
    const ordered = deps.publishers.get(platformOf(destination))?.ordersItsOwnPosts !== true;
    if (!ordered || token === undefined) return settleOwn(job, token, milestoneId, destination);

    const lockToken = DestinationLockStore.tokenFor(job.id ?? milestoneId);
    const deadline = Date.now() + IN_WORKER_WAIT_MS;
    for (;;) {
      if (await deps.locks.take(destination, lockToken)) break;
      // Another job is posting to this destination: it posts this milestone too when its turn comes.
      await waiters.wait(destination, LOOK_AGAIN_MS);
      if (await isFinal()) return outcomeOf(milestoneId, destination, 'skipped');
      if (Date.now() >= deadline) return park(job, token, milestoneId, destination);
    }
    let own: PublishOutcome | null;
    try {
      own = await drain(job, token, lockToken, milestoneId, destination);
    } finally {
      await deps.locks.release(destination, lockToken);
      waiters.wake(destination);
    }
    if (own !== null) {
      await wakeNextInLine(destination);
      return own;
    }
    if (await isFinal()) return outcomeOf(milestoneId, destination, 'skipped');
    // Not in the destination's pending set (an entry older than that index): nothing orders it.
    if (!(await deps.order.isPending(milestoneId, destination)))
      return settleOwn(job, token, milestoneId, destination);
    return park(job, token, milestoneId, destination);
  };

  /** After a drain: a job that parked while the lock was held would otherwise wait out its delay. */
  async function wakeNextInLine(destination: string): Promise<void> {
    const next = await deps.order.next(destination);
    if (next !== null) await promote(next, destination);
  }

  async function park(job: Job, token: string, milestoneId: string, destination: string): Promise<never> {
    deps.logger.debug({ milestoneId, destination }, 'waiting for an older milestone');
    await job.moveToDelayed(Date.now() + ORDER_RECHECK_MS, token);
    // If the lock was let go meanwhile, nobody would wake this job: it wakes itself.
    if ((await deps.order.next(destination)) === milestoneId) await job.promote().catch(() => undefined);
    throw new DelayedError();
  }
}
