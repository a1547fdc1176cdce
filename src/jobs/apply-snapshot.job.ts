import { UnrecoverableError, type Job, type JobsOptions, type Queue } from 'bullmq';
import { buildMilestone } from '../milestones/build-milestone.js';
import { readSubjects } from '../milestones/readings.js';
import type { Milestone } from '../milestones/types.js';
import type { Publisher } from '../platforms/publisher.js';
import { normalizeSnapshot } from '../snapshots/normalize-snapshot.js';
import type { ArtistStateStore } from '../state/artist-state.store.js';
import type { MilestoneStore } from '../state/milestone.store.js';
import { ledgerKeyOf } from '../state/post-ledger.store.js';
import { formatIssues } from '../tracking/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import type { Logger } from '../logger.js';
import {
  publishJobId,
  publishJobOptions,
  publishQueue,
  snapshotsQueue,
  type PublishJobData,
  type SnapshotJobResult,
} from './contracts.js';

export interface ApplySnapshotDeps {
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly artistState: ArtistStateStore;
  readonly milestones: MilestoneStore;
  readonly publishers: readonly Publisher[];
  readonly publishQueue: Queue<PublishJobData>;
  readonly logger: Logger;
  /** Retry policy of the publish jobs it creates; defaults to `publishJobOptions`. */
  readonly publishJobOptions?: JobsOptions;
  /** Observers for metrics; called after the outcome is stored. */
  readonly onApplied?: (result: SnapshotJobResult) => void;
}

/**
 * The `snapshots` processor: validate, run the rules engine, apply atomically, then record each milestone with a
 * pending ledger entry per destination and enqueue one publish job per (milestone, destination) with a
 * deterministic job id. A retry after a crash at any point repeats the same answer (see ArtistStateStore) and
 * so cannot create a second publish job.
 */
export function createApplySnapshotProcessor(deps: ApplySnapshotDeps) {
  return async (job: Job): Promise<SnapshotJobResult> => {
    const parsed = snapshotsQueue.schema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid snapshot: ${formatIssues(parsed.error).join('; ')}`);
    }
    const normalized = normalizeSnapshot(parsed.data, deps.trackings);
    if (!normalized.ok) {
      throw new UnrecoverableError(
        `invalid snapshot: ${normalized.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
    }
    const { snapshot, tracking } = normalized;
    if (snapshot.ignoredTrackKeys > 0) {
      deps.logger.debug(
        { jobId: job.id, ignored: snapshot.ignoredTrackKeys },
        'ignored untracked track keys',
      );
    }
    const readings = readSubjects(tracking, snapshot);
    const outcome = await deps.artistState.applySnapshot(snapshot, readings);
    if (outcome.status === 'stale') {
      deps.logger.info(
        { jobId: job.id, artistId: snapshot.artistId, capturedAt: snapshot.capturedAt },
        'stale snapshot ignored',
      );
      const result: SnapshotJobResult = {
        status: 'stale',
        artistId: snapshot.artistId,
        milestoneIds: [],
        publishJobs: 0,
      };
      deps.onApplied?.(result);
      return result;
    }
    const byKey = new Map(readings.map((r) => [r.key, r]));
    const milestones: Milestone[] = outcome.announced.flatMap(({ key, threshold }) => {
      const reading = byKey.get(key);
      return reading === undefined ? [] : [buildMilestone(tracking, snapshot, reading, threshold)];
    });
    const announced = await Promise.all(
      milestones.map(async (milestone) => {
        const lists = await Promise.all(deps.publishers.map((p) => p.destinationsFor(milestone, tracking)));
        return { milestone, destinations: lists.flat(), observedAtMs: snapshot.capturedAtMs };
      }),
    );
    await deps.milestones.record(announced);
    const jobs = announced.flatMap(({ milestone, destinations }) =>
      destinations.map((destination) => ({
        name: publishQueue.jobName,
        data: publishQueue.schema.parse({ milestoneId: milestone.id, destination }),
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
    const result: SnapshotJobResult = {
      status: outcome.status,
      artistId: snapshot.artistId,
      milestoneIds: milestones.map((m) => m.id),
      publishJobs: jobs.length,
    };
    deps.onApplied?.(result);
    return result;
  };
}
