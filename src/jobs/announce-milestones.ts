import type { JobsOptions } from 'bullmq';
import type { Logger } from '../logger.js';
import type { Milestone } from '../milestones/types.js';
import type { Publisher } from '../platforms/publisher.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import { ledgerKeyOf } from '../state/post-ledger.store.js';
import type { Tracking } from '../tracking/tracking.js';
import { publishJobId, publishJobOptions, publishQueue, type PublishQueue } from './contracts.js';

export interface AnnounceDeps {
  readonly milestones: MilestoneStore;
  readonly publishers: readonly Publisher[];
  readonly publishQueue: PublishQueue;
  readonly logger: Logger;
  /** Retry policy of the publish jobs it creates; defaults to `publishJobOptions`. */
  readonly publishJobOptions?: JobsOptions;
}

export interface AnnounceOptions {
  /** `capturedAt` (ms) of the snapshot that announced them. */
  readonly observedAtMs: number;
  /** Seeding from a history: the milestones are recorded, and nothing is posted. */
  readonly backfill: boolean;
}

/**
 * What follows a commit that announced milestones: each milestone is recorded with a pending ledger entry per
 * destination, and one publish job per (milestone, destination) is added with a deterministic id. Every write is
 * idempotent, so running it again after a crash adds nothing twice. Returns the number of publish jobs.
 */
export async function announceMilestones(
  deps: AnnounceDeps,
  tracking: Tracking,
  milestones: readonly Milestone[],
  options: AnnounceOptions,
): Promise<number> {
  if (milestones.length === 0) return 0;
  const announced = await Promise.all(
    milestones.map(async (milestone) => {
      const destinations = options.backfill
        ? []
        : (await Promise.all(deps.publishers.map((p) => p.destinationsFor(milestone, tracking)))).flat();
      return { milestone, destinations, observedAtMs: options.observedAtMs };
    }),
  );
  await deps.milestones.record(announced);
  const jobs = announced.flatMap(({ milestone, destinations }) =>
    destinations.map((destination) => ({
      name: publishQueue.jobName,
      data: { milestoneId: milestone.id, destination },
      opts: {
        ...(deps.publishJobOptions ?? publishJobOptions),
        jobId: publishJobId(ledgerKeyOf(milestone.id, destination)),
      },
    })),
  );
  if (jobs.length > 0) await deps.publishQueue.addBulk(jobs);
  for (const milestone of milestones) {
    deps.logger.info(
      {
        milestoneId: milestone.id,
        value: milestone.value,
        days: milestone.daysSinceRelease,
        ...(options.backfill ? { backfill: true } : {}),
      },
      options.backfill ? 'milestone recorded (backfill: not posted)' : 'milestone announced',
    );
  }
  return jobs.length;
}
