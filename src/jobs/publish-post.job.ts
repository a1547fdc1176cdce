import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import {
  AlreadyPublishedError,
  PermanentPublishError,
  RateLimitedError,
} from '../platforms/publish-errors.js';
import { platformOf, type DestinationKey, type Publisher } from '../platforms/publisher.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import { ledgerKeyOf, type PostLedgerStore } from '../state/post-ledger.store.js';
import type { Tracking } from '../tracking/tracking.js';
import { publishQueue } from './contracts.js';

export interface PublishOutcome {
  readonly destination: string;
  readonly milestoneId: string;
  readonly outcome: 'sent' | 'duplicate' | 'failed' | 'skipped';
  /** Milliseconds from the milestone's ledger entry to the platform's answer, when sent. */
  readonly latencyMs: number | null;
}

export interface PublishPostDeps {
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly milestones: MilestoneStore;
  readonly ledger: PostLedgerStore;
  readonly publishers: ReadonlyMap<string, Publisher>;
  readonly logger: Logger;
  readonly onPublished?: (outcome: PublishOutcome) => void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The `publish` processor: one (milestone, destination). The ledger is read first, so a job that runs again
 * after its post was recorded does nothing. Permanent failures go to the ledger and stop retries; rate limits
 * delay the job without spending an attempt; anything else is retried with backoff until attempts run out, and
 * then recorded as failed.
 */
export function createPublishPostProcessor(deps: PublishPostDeps) {
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
    if (entry !== null && entry.state !== 'pending') return report('skipped');
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
      throw new UnrecoverableError(reason);
    }
    const createdMs = entry === null ? Date.now() : Date.parse(entry.createdAt);
    try {
      const receipt = await publisher.publish({
        milestone,
        tracking,
        destination,
        ledgerKey: ledgerKeyOf(milestoneId, destination),
        attempt: job.attemptsMade + 1,
      });
      await deps.ledger.markSent(milestoneId, destination, receipt);
      return report('sent', Date.now() - createdMs);
    } catch (error) {
      if (error instanceof AlreadyPublishedError) {
        await deps.ledger.markSent(milestoneId, destination, {
          platformId: error.platformId,
          text: error.text,
          duplicate: true,
        });
        deps.logger.warn({ milestoneId, destination }, 'platform already had this post; recorded as sent');
        return report('duplicate');
      }
      if (error instanceof PermanentPublishError) {
        await deps.ledger.markFailed(milestoneId, destination, error.reason);
        deps.logger.error({ milestoneId, destination, reason: error.reason }, 'post failed permanently');
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
          `gave up after ${attempts} attempts: ${describe(error)}`,
        );
        report('failed');
      } else {
        deps.logger.warn(
          { milestoneId, destination, attempt: job.attemptsMade + 1, err: describe(error) },
          'retrying',
        );
      }
      throw error;
    }
  };
}
