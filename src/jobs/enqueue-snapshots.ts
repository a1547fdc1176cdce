import type { ArtistStateStore, InboxEntry } from '../state/artist-state.store.js';
import { snapshotFingerprint, type SnapshotRecord } from '../snapshots/snapshot-record.js';
import {
  snapshotContentJobId,
  snapshotJobOptions,
  snapshotsQueue,
  type SnapshotJobData,
  type SnapshotQueue,
} from './contracts.js';

/** Where admitted snapshots go: the artists' inboxes and the snapshot queue. */
export interface SnapshotEntrance {
  readonly artistState: ArtistStateStore;
  readonly queue: SnapshotQueue;
}

export interface EnqueueOptions {
  /** Seed the state only: milestones are recorded and nothing is posted (`ingest --backfill`). */
  readonly backfill?: boolean;
  /** The job id of each snapshot, in the order given; default `in~<fingerprint>`, so the same content is enqueued once. */
  readonly jobIds?: readonly string[];
  /**
   * `batch` (default): the snapshots are put in their artists' inboxes, in capturedAt order, before any job is
   * added, so the batch is applied oldest first whatever its order. `arrival`: only the jobs are added, and each
   * job puts its own snapshot in when it runs: applied in queue order, one at a time (the replay's "one at a
   * time in file order").
   */
  readonly order?: 'batch' | 'arrival';
  /** Attempts per job; default that of `snapshotJobOptions`. */
  readonly attempts?: number;
  /** Called after each chunk with the number of snapshots enqueued so far. */
  readonly onProgress?: (done: number) => void;
}

/** Inbox writes and job adds go in chunks of this many snapshots. */
const CHUNK = 500;

/**
 * The one way snapshots enter the pipeline (HTTP, file import, pollers, replay): admitted snapshots, already
 * validated. Returns the job ids, in the order given. Idempotent: the same snapshots enqueued again (a client
 * retrying after a lost answer, an import run twice) add no job and no entry twice.
 */
export async function enqueueSnapshots(
  entrance: SnapshotEntrance,
  records: readonly SnapshotRecord[],
  options: EnqueueOptions = {},
): Promise<string[]> {
  const backfill = options.backfill === true;
  if (options.jobIds !== undefined && options.jobIds.length !== records.length) {
    throw new Error(`enqueueSnapshots: ${options.jobIds.length} job ids for ${records.length} snapshots`);
  }
  const items = records.map((snapshot, i) => {
    const entry = snapshotFingerprint(snapshot);
    const jobId = options.jobIds?.[i] ?? snapshotContentJobId(entry);
    const data: SnapshotJobData = backfill ? { entry, snapshot, backfill: true } : { entry, snapshot };
    return { data, jobId };
  });
  const batch = (options.order ?? 'batch') === 'batch';
  // A batch's jobs go in time order too, so that its oldest snapshot's job is usually the one that drains.
  const ordered = batch ? [...items].sort((a, b) => a.data.snapshot.at - b.data.snapshot.at) : items;
  if (batch) {
    const byArtist = new Map<string, InboxEntry[]>();
    for (const { data, jobId } of ordered) {
      const artistId = data.snapshot.artistId;
      let entries = byArtist.get(artistId);
      if (entries === undefined) byArtist.set(artistId, (entries = []));
      entries.push({ id: data.entry, owner: jobId, snapshot: data.snapshot, backfill });
    }
    // Oldest first, in chunks: a drain that is already running meanwhile still meets them in time order.
    for (const [artistId, entries] of byArtist) {
      for (let start = 0; start < entries.length; start += CHUNK) {
        await entrance.artistState.addToInbox(artistId, entries.slice(start, start + CHUNK));
      }
    }
  }
  for (let start = 0; start < ordered.length; start += CHUNK) {
    await entrance.queue.addBulk(
      ordered.slice(start, start + CHUNK).map(({ data, jobId }) => ({
        name: snapshotsQueue.jobName,
        data,
        opts: {
          ...snapshotJobOptions,
          ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
          jobId,
        },
      })),
    );
    options.onProgress?.(Math.min(start + CHUNK, items.length));
  }
  return items.map((i) => i.jobId);
}
