import type { HistoryPoint } from '../milestones/history-point.js';
import { advanceArtist, emptyArtistState } from '../milestones/advance-artist.js';
import { kindTable } from '../milestone-kinds.js';
import { readSubjects } from '../milestones/readings.js';
import type { ArtistState, Milestone } from '../milestones/types.js';
import { normalizeSnapshot } from '../snapshots/normalize-snapshot.js';
import type { Snapshot } from '../snapshots/schema.js';
import type { Tracking } from '../tracking/tracking.js';

export interface ReplayedHistory {
  /** One point per applied snapshot, as the stream history store would hold it. */
  readonly series: HistoryPoint[];
  /** What the bot would have announced, in announcement order. */
  readonly milestones: Milestone[];
}

/**
 * Runs `snapshots` (validated, in file order) through the pure rules engine for each artist, without Redis: the
 * history and the milestones a status chart would show after the same snapshots went through the live pipeline.
 * Stale snapshots are skipped, as the pipeline skips them.
 */
export function historyFromSnapshots(
  trackings: ReadonlyMap<string, Tracking>,
  snapshots: readonly Snapshot[],
): Map<string, ReplayedHistory> {
  const states = new Map<string, ArtistState>();
  const histories = new Map<string, ReplayedHistory>();
  for (const raw of snapshots) {
    const normalized = normalizeSnapshot(raw, trackings);
    if (!normalized.ok) continue;
    const { snapshot, tracking } = normalized;
    const result = advanceArtist(tracking, states.get(snapshot.artistId) ?? emptyArtistState, snapshot);
    if (result.status === 'stale') continue;
    states.set(snapshot.artistId, result.state);
    let history = histories.get(snapshot.artistId);
    if (history === undefined) {
      history = { series: [], milestones: [] };
      histories.set(snapshot.artistId, history);
    }
    const values: Record<string, number> = {};
    for (const reading of readSubjects(tracking, snapshot)) {
      if (kindTable[reading.kind].charted) values[reading.key] = reading.value;
    }
    history.series.push({ at: snapshot.capturedAt, values });
    history.milestones.push(...result.milestones);
  }
  return histories;
}
