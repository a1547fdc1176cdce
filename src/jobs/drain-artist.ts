import { advanceArtist, milestonesOf } from '../milestones/advance-artist.js';
import { readSubjects } from '../milestones/readings.js';
import type { Logger } from '../logger.js';
import { fromSnapshotRecord } from '../snapshots/snapshot-record.js';
import type { AppliedResult, ArtistStateStore, DrainNext, InboxHead } from '../state/artist-state.store.js';
import type { Tracking } from '../tracking/tracking.js';
import { announceMilestones, type AnnounceDeps } from './announce-milestones.js';

/** One inbox entry as a drain applied it (for metrics and the bench). */
export interface DrainedEntry {
  readonly artistId: string;
  readonly entryId: string;
  /** The job that owns the entry (the one whose result reports its milestones). */
  readonly owner: string | null;
  /** `repeat`: it had been committed before, by a drainer that died before finishing it. */
  readonly status: 'applied' | 'stale' | 'repeat' | 'dropped';
  readonly milestoneIds: readonly string[];
  readonly publishJobs: number;
}

export interface DrainDeps extends AnnounceDeps {
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly artistState: ArtistStateStore;
  readonly logger: Logger;
  readonly onDrained?: (entry: DrainedEntry) => void;
}

/** The ids of the milestones an entry's application announced. */
export const milestoneIdsOf = (artistId: string, result: AppliedResult): string[] =>
  result.announced.map(({ key, threshold }) => `${artistId}/${key}/${threshold}`);

/**
 * Applies an artist's waiting snapshots, oldest first, while holding the artist's drain lock (`token`), until the
 * inbox is empty (the lock is then released in the same step) or the lock was lost to another drainer. Each entry:
 * the engine's step, committed by compare-and-set; if it announced milestones, they are recorded and their publish
 * jobs added before the entry leaves the inbox. Returns the number of entries applied.
 *
 * An entry that cannot be read, or names an artist no longer tracked, is dropped with an error in the log (it
 * would otherwise block its artist for good).
 */
export async function drainArtist(
  deps: DrainDeps,
  artistId: string,
  token: string,
  first: InboxHead,
): Promise<number> {
  const store = deps.artistState;
  let head: InboxHead | null = first;
  let drained = 0;
  while (head !== null) {
    const { id, entry } = head;
    const tracking = deps.trackings.get(artistId);
    let next: DrainNext;
    if (entry === null || tracking === undefined || entry.snapshot.artistId !== artistId) {
      deps.logger.error(
        { artistId, entryId: id },
        entry === null ? 'unreadable inbox entry dropped' : 'inbox entry of an untracked artist dropped',
      );
      next = await store.finish(artistId, token, id);
      deps.onDrained?.({
        artistId,
        entryId: id,
        owner: entry?.owner ?? null,
        status: 'dropped',
        milestoneIds: [],
        publishJobs: 0,
      });
    } else {
      const snapshot = fromSnapshotRecord(entry.snapshot);
      const readings = readSubjects(tracking, snapshot);
      const outcome = await store.commit(artistId, token, entry, readings, (state) =>
        advanceArtist(tracking, state, snapshot, readings),
      );
      if (outcome.kind === 'lost') break;
      let publishJobs = 0;
      if (outcome.next.kind === 'held') {
        const milestones =
          outcome.milestones ?? milestonesOf(tracking, snapshot, outcome.result.announced, readings);
        publishJobs = await announceMilestones(deps, tracking, milestones, {
          observedAtMs: snapshot.capturedAtMs,
          backfill: entry.backfill,
        });
        next = await store.finish(artistId, token, id);
      } else {
        next = outcome.next;
      }
      drained += 1;
      deps.onDrained?.({
        artistId,
        entryId: id,
        owner: entry.owner,
        status: outcome.status === 'repeat' ? 'repeat' : outcome.result.status,
        milestoneIds: milestoneIdsOf(artistId, outcome.result),
        publishJobs,
      });
    }
    head = next.kind === 'next' ? next.head : null;
  }
  return drained;
}
