import type { JobsOptions } from 'bullmq';
import type { Logger } from '../logger.js';
import type { Milestone } from '../milestones/types.js';
import type { Publisher } from '../platforms/publisher.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import { ledgerKeyOf } from '../state/post-ledger.store.js';
import { byPublishOrder } from '../state/publish-order.store.js';
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
 * destination, and one publish job per (milestone, destination) is added with a deterministic id, in publish
 * order. With `backfill`, every entry is recorded `skipped` (reason `backfill`) and no job is added. Every write is
 * idempotent, so running it again after a crash adds nothing twice. Returns the number of publish jobs.
 */
export async function announceMilestones(
  deps: AnnounceDeps,
  tracking: Tracking,
  milestones: readonly Milestone[],
  options: AnnounceOptions,
): Promise<number> {
  if (milestones.length === 0) return 0;
  // A backfill asks no publisher that orders its own posts (X enters each milestone it is asked about into its
  // outbox, where a later post could pick it up): those destinations get no entry.
  const asked = options.backfill
    ? deps.publishers.filter((p) => p.ordersItsOwnPosts !== true)
    : deps.publishers;
  const announced = await Promise.all(
    milestones.map(async (milestone) => {
      const destinations = (
        await Promise.all(asked.map((p) => p.destinationsFor(milestone, tracking)))
      ).flat();
      return { milestone, destinations, observedAtMs: options.observedAtMs };
    }),
  );
  // With backfill every entry is final at once (skipped, "backfill"), and no publish job is made.
  await deps.milestones.record(announced, { backfill: options.backfill });
  if (options.backfill) {
    for (const milestone of milestones) {
      deps.logger.info(
        {
          milestoneId: milestone.id,
          value: milestone.value,
          days: milestone.daysSinceRelease,
          backfill: true,
        },
        'milestone recorded (backfill: not posted)',
      );
    }
    return 0;
  }
  // Added in publish order, so that workers take them in the order they may go out.
  const inPublishOrder = [...announced].sort((a, b) =>
    byPublishOrder(
      { id: a.milestone.id, observedAtMs: a.observedAtMs },
      { id: b.milestone.id, observedAtMs: b.observedAtMs },
    ),
  );
  const jobs = inPublishOrder.flatMap(({ milestone, destinations }) =>
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
      { milestoneId: milestone.id, value: milestone.value, days: milestone.daysSinceRelease },
      'milestone announced',
    );
  }
  return jobs.length;
}
