import { UnrecoverableError } from 'bullmq';
import { isSnapshotRecord } from '../snapshots/snapshot-record.js';
import { ArtistStateStore, type InboxEntry } from '../state/artist-state.store.js';
import type { SnapshotJob, SnapshotJobResult } from './contracts.js';
import { drainArtist, milestoneIdsOf, type DrainDeps } from './drain-artist.js';

/**
 * The `snapshots` processor. Its snapshot goes into the artist's inbox (the entrance usually put it there
 * already, with the rest of its batch); then, if no other worker is draining that artist, this job drains it:
 * every waiting snapshot, oldest first (see {@link drainArtist}). Otherwise the worker that is draining applies
 * it, and this job returns `queued`.
 *
 * The result reports this job's own milestones: those of the entry it owns, when applied. A job that runs again
 * after a crash finds its entry's kept result and reports the same milestones; a second job for the same snapshot
 * (a repeat) reports none. Nothing is lost when a worker dies mid-drain: entries leave the inbox only once their
 * milestones are recorded, and the dead worker's job (or the next job of the artist) drains again.
 */
export function createSnapshotProcessor(deps: DrainDeps) {
  return async (job: SnapshotJob): Promise<SnapshotJobResult> => {
    const { data } = job;
    if (typeof data?.entry !== 'string' || !isSnapshotRecord(data.snapshot)) {
      throw new UnrecoverableError(
        'not a snapshot job of this version: its data must be { entry, snapshot } as enqueued by an entrance',
      );
    }
    if (!deps.trackings.has(data.snapshot.artistId)) {
      throw new UnrecoverableError(
        `invalid snapshot: artist: unknown artist "${data.snapshot.artistId}" (no longer in the tracking configs)`,
      );
    }
    const owner = job.id ?? data.entry;
    const entry: InboxEntry = {
      id: data.entry,
      owner,
      snapshot: data.snapshot,
      backfill: data.backfill === true,
    };
    const artistId = data.snapshot.artistId;
    const token = ArtistStateStore.lockToken(owner);
    const entered = await deps.artistState.enter(entry, token);
    let drained = 0;
    if (entered.drain) {
      try {
        drained = await drainArtist(deps, artistId, token, entered.head);
      } catch (error) {
        await deps.artistState.release(artistId, token).catch(() => undefined);
        throw error;
      }
    }
    const result = entered.result ?? (await deps.artistState.result(artistId, entry.id));
    if (result === null) return { status: 'queued', artistId, milestoneIds: [], drained };
    if (result.owner !== owner) return { status: 'repeat', artistId, milestoneIds: [], drained };
    return { status: result.status, artistId, milestoneIds: milestoneIdsOf(artistId, result), drained };
  };
}
