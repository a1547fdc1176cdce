import { advanceArtist } from '../../src/milestones/advance-artist.js';
import { readSubjects } from '../../src/milestones/readings.js';
import {
  fromSnapshotRecord,
  snapshotFingerprint,
  type SnapshotRecord,
} from '../../src/snapshots/snapshot-record.js';
import { toSnapshotRecord } from '../../src/snapshots/snapshot-record.js';
import type { NormalizedSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import {
  ArtistStateStore,
  type AppliedResult,
  type InboxEntry,
  type DrainNext,
  type InboxHead,
} from '../../src/state/artist-state.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';

/** One commit a drain made: the entry, and what its commit said. */
export interface Committed {
  readonly entry: InboxEntry;
  readonly status: 'applied' | 'repeat';
  readonly result: AppliedResult;
}

export function entryFor(snapshot: NormalizedSnapshot | SnapshotRecord, owner: string): InboxEntry {
  const record = 'at' in snapshot ? snapshot : toSnapshotRecord(snapshot);
  return { id: snapshotFingerprint(record), owner, snapshot: record, backfill: false };
}

/**
 * What a drain does, minus announcing (the store alone, as a snapshot job would drive it): enter with `entry`,
 * and, holding the lock, commit every waiting entry oldest first. Returns the entry's own kept result (null if
 * another drainer holds the lock) and every commit made.
 */
export async function enterAndDrain(
  store: ArtistStateStore,
  tracking: Tracking,
  entry: InboxEntry,
): Promise<{ result: AppliedResult | null; commits: Committed[] }> {
  const token = ArtistStateStore.lockToken();
  const entered = await store.enter(entry, token);
  const commits: Committed[] = [];
  if (entered.drain) {
    let head: InboxHead | null = entered.head;
    while (head !== null) {
      const current: InboxEntry | null = head.entry;
      if (current === null) throw new Error(`unreadable inbox entry ${head.id}`);
      const snapshot = fromSnapshotRecord(current.snapshot);
      const readings = readSubjects(tracking, snapshot);
      const outcome = await store.commit(tracking.artist.id, token, current, readings, (state) =>
        advanceArtist(tracking, state, snapshot, readings),
      );
      if (outcome.kind === 'lost') break;
      commits.push({ entry: current, status: outcome.status, result: outcome.result });
      const next: DrainNext =
        outcome.next.kind === 'held'
          ? await store.finish(tracking.artist.id, token, current.id)
          : outcome.next;
      head = next.kind === 'next' ? next.head : null;
    }
  }
  const result = entered.result ?? (await store.result(tracking.artist.id, entry.id));
  return { result, commits };
}
