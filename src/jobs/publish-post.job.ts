import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { platformOf, type DestinationKey, type Publisher } from '../platforms/publisher.js';
import type { DestinationLockStore } from '../state/destination-lock.store.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import type { PostLedgerStore } from '../state/post-ledger.store.js';
import type { PublishOrderStore } from '../state/publish-order.store.js';
import type { Tracking } from '../tracking/tracking.js';
import { publishQueue } from './contracts.js';
import { createDestinationDrain } from './destination-drain.js';
import { createPostSettler, type PublishOutcome } from './post-settler.js';
import { postEverything, type PublishRules } from './publish-rules.js';

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
 * The `publish` processor: one (milestone, destination). The ledger is read first, so a job that runs again
 * after its post was recorded does nothing. Before posting, the publishing rules (docs/sources.md):
 *
 * 1. freshness: observed more than `rules.announceMaxAgeMs` ago → recorded `skipped` with its age, not posted;
 * 2. supersession: a higher milestone of the same subject is pending (or sent) for this destination → recorded
 *    `superseded` by it, not posted;
 * 3. order: posts to one destination go out oldest first, made by the one job that holds the destination and
 *    drains it (destination-drain.ts). Platforms that order their own posts (X's outbox) skip this.
 *
 * The rules and the post itself are the settler's (post-settler.ts), shared with the drainer. A publisher that posts several milestones together (X's combined posts and threads) asks the same rules about
 * the others just before it plans and posts them (`heldBack`), so a post never carries one they hold back. A
 * milestone the platform already posted (X: its part of a combined post or thread, sent by another milestone's
 * job) is recorded sent before any rule is applied: the ledger says what went out.
 *
 * Permanent failures go to the ledger and stop retries; rate limits delay the job without spending an attempt;
 * anything else is retried with backoff until attempts run out, and then recorded as failed.
 */
export function createPublishPostProcessor(deps: PublishPostDeps) {
  const settler = createPostSettler({
    trackings: deps.trackings,
    milestones: deps.milestones,
    ledger: deps.ledger,
    order: deps.order,
    publishers: deps.publishers,
    logger: deps.logger,
    rules: deps.rules ?? postEverything,
    now: deps.now ?? Date.now,
    ...(deps.onPublished === undefined ? {} : { onPublished: deps.onPublished }),
  });
  const drain = createDestinationDrain({
    settler,
    order: deps.order,
    locks: deps.locks,
    queue: deps.queue,
    logger: deps.logger,
  });

  return async (job: Job, token?: string): Promise<PublishOutcome> => {
    const parsed = publishQueue.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid publish job: ${parsed.error.message}`);
    const { milestoneId } = parsed.data;
    const destination = parsed.data.destination as DestinationKey;
    const isFinal = async () => {
      const entry = await deps.ledger.get(milestoneId, destination);
      return entry !== null && entry.state !== 'pending';
    };
    if (await isFinal()) return settler.report(milestoneId, destination, 'skipped');
    const ordered = deps.publishers.get(platformOf(destination))?.ordersItsOwnPosts !== true;
    if (!ordered || token === undefined) return settler.settleOwn(job, token, milestoneId, destination);
    return drain.publishInOrder(job, token, milestoneId, destination, isFinal);
  };
}
