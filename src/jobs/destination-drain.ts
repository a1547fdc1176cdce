import { DelayedError, Job, UnrecoverableError, type Queue } from 'bullmq';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { DestinationKey } from '../platforms/publisher.js';
import { DestinationLockStore } from '../state/destination-lock.store.js';
import { ledgerKeyOf } from '../state/post-ledger.store.js';
import type { PublishOrderStore } from '../state/publish-order.store.js';
import { publishJobId } from './contracts.js';
import { DestinationWaiters } from './destination-waiters.js';
import { attemptOf, type PostSettler, type PublishOutcome, type Settlement } from './post-settler.js';

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

export interface DestinationDrainDeps {
  readonly settler: PostSettler;
  readonly order: PublishOrderStore;
  readonly locks: DestinationLockStore;
  /** The publish queue, to wake the job next in a destination's order. */
  readonly queue: Queue;
  readonly logger: Logger;
}

/**
 * Order for destinations whose platform does not order its own posts: posts to one destination go out oldest
 * first (the destination's pending set, PublishOrderStore). Every post to such a destination is made by the holder
 * of its lock (DestinationLockStore), and the holder drains the destination: it posts every pending milestone in
 * order, its own among them, for as long as their jobs are alive and nothing fails. A job that finds the lock held
 * waits for the holder to post its milestone too (it then reports `skipped`); one that cannot go yet parks (a
 * BullMQ delay that spends no attempt) until it is woken.
 *
 * A drainer posts another job's milestone only while that job is not in a retry backoff; a failure there stops
 * the drain, puts the destination on a short hold and leaves that milestone to its own job (its retries,
 * rate-limit waits and attempts stay its own).
 */
export function createDestinationDrain(deps: DestinationDrainDeps) {
  const { settler } = deps;
  const waiters = new DestinationWaiters();

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
        const own = await settler.settleOwn(job, token, milestoneId, destination);
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
        settlement = await settler.settleOne(next, destination, may.attempt);
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
        settler.report(next, destination, settlement.outcome, settlement.latencyMs);
      if (settlement.kind === 'failed') settler.report(next, destination, 'failed');
      waiters.wake(destination);
      await promote(next, destination);
    }
    return null;
  };

  /**
   * Settles the job's own (milestone, destination) in the destination's order: drains the destination when it
   * gets the lock, waits briefly for the holder otherwise, and parks when its turn has not come.
   */
  const publishInOrder = async (
    job: Job,
    token: string,
    milestoneId: string,
    destination: DestinationKey,
    isFinal: () => Promise<boolean>,
  ): Promise<PublishOutcome> => {
    const lockToken = DestinationLockStore.tokenFor(job.id ?? milestoneId);
    const deadline = Date.now() + IN_WORKER_WAIT_MS;
    for (;;) {
      if (await deps.locks.take(destination, lockToken)) break;
      // Another job is posting to this destination: it posts this milestone too when its turn comes.
      await waiters.wait(destination, LOOK_AGAIN_MS);
      if (await isFinal()) return settler.report(milestoneId, destination, 'skipped');
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
    if (await isFinal()) return settler.report(milestoneId, destination, 'skipped');
    // Not in the destination's pending set (an entry older than that index): nothing orders it.
    if (!(await deps.order.isPending(milestoneId, destination)))
      return settler.settleOwn(job, token, milestoneId, destination);
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

  return { publishInOrder };
}
