import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState, Milestone } from '../../src/milestones/types.js';
import { normalizeSnapshot, type NormalizedSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { trackingConfigSchema, type TrackingConfigInput } from '../../src/tracking/schema.js';
import { buildTracking, type Tracking } from '../../src/tracking/tracking.js';

/**
 * A small config with round numbers: album "first" (tracks "pre" released early, "b", "c"),
 * ladders in units that are easy to read in a test.
 */
export function smallConfig(): TrackingConfigInput {
  return {
    artist: { id: 'v', name: 'V', callName: 'Taehyung' },
    timezone: 'Asia/Seoul',
    albums: [
      {
        id: 'first',
        title: 'First',
        releasedAt: '2023-09-08T13:00:00+09:00',
        tracks: [
          { id: 'pre', title: 'Pre', spotifyId: 'SpotPre', releasedAt: '2023-08-11T13:00:00+09:00' },
          { id: 'b', title: 'B' },
          { id: 'c', title: 'C', spotifyId: 'SpotC' },
        ],
      },
    ],
    milestones: {
      track: [{ every: 10, until: 100 }, { every: 50 }],
      album: [{ every: 100, until: 500 }, { every: 50 }],
      allTracks: [{ every: 10 }],
      artist: [{ every: 100, until: 1000 }, { every: 500 }],
      followers: [{ every: 1000 }],
    },
    records: [],
  };
}

/** Validates a config the way start-up does and builds the look-ups; throws on an invalid config. */
export function trackingFrom(input: TrackingConfigInput): Tracking {
  return buildTracking(trackingConfigSchema.parse(input));
}

/** Parses and normalises one snapshot as the pipeline would; throws when it would be rejected. */
export function snapshotFor(tracking: Tracking, raw: unknown): NormalizedSnapshot {
  const result = normalizeSnapshot(snapshotSchema.parse(raw), new Map([[tracking.artist.id, tracking]]));
  if (!result.ok) throw new Error(`snapshot rejected: ${JSON.stringify(result.problems)}`);
  return result.snapshot;
}

export interface Replayed {
  readonly state: ArtistState;
  /** Milestones per snapshot, in input order (empty for stale ones). */
  readonly perSnapshot: readonly (readonly Milestone[])[];
  readonly milestones: readonly Milestone[];
  readonly staleCount: number;
}

/** Applies raw snapshots one at a time from an empty state. */
export function replay(
  tracking: Tracking,
  raws: readonly unknown[],
  from: ArtistState = emptyArtistState,
): Replayed {
  let state = from;
  const perSnapshot: Milestone[][] = [];
  let staleCount = 0;
  for (const raw of raws) {
    const result = advanceArtist(tracking, state, snapshotFor(tracking, raw));
    state = result.state;
    if (result.status === 'stale') {
      staleCount += 1;
      perSnapshot.push([]);
    } else {
      perSnapshot.push([...result.milestones]);
    }
  }
  return { state, perSnapshot, milestones: perSnapshot.flat(), staleCount };
}

/** `kind subject threshold @days` — compact enough to compare whole histories in one assertion. */
export function describeMilestone(m: Milestone): string {
  const subject = m.trackId ?? m.albumId ?? m.artistId;
  return `${m.kind} ${subject} ${m.threshold} @${m.daysSinceRelease ?? 'null'}`;
}
