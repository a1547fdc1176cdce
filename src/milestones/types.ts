import type { MilestoneKind } from './kinds.js';

export type { MilestoneKind };

/** A record a milestone broke (CONTRACT §3.7). */
export interface BrokenRecord {
  readonly title: string;
  readonly holder: string;
  readonly previousDays: number;
}

/** An announced milestone: the replay output of CONTRACT §4 without `posts`. */
export interface Milestone {
  /** Deterministic and unique: `<artistId>/<subjectKey>/<threshold>`. */
  readonly id: string;
  readonly artistId: string;
  readonly kind: MilestoneKind;
  readonly albumId: string | null;
  readonly trackId: string | null;
  readonly threshold: number;
  readonly value: number;
  /** The snapshot's `capturedAt`, as given. */
  readonly observedAt: string;
  readonly daysSinceRelease: number | null;
  readonly lastTrackId: string | null;
  readonly record: BrokenRecord | null;
}

/**
 * What one snapshot says about one subject. `key` names the subject inside an artist (see
 * {@link import('./kinds.js').subjectKey}): `track:<trackId>`, `album:<albumId>`, `allTracks:<albumId>`, `artist`, `followers`.
 */
export interface SubjectReading {
  readonly key: string;
  readonly kind: MilestoneKind;
  readonly albumId: string | null;
  readonly trackId: string | null;
  readonly value: number;
  /** The highest ladder threshold at or below `value`; 0 when there is none (thresholds are always > 0). */
  readonly floor: number;
  /** allTracks only: the lowest track in the snapshot (ties: the smaller id). */
  readonly lastTrackId: string | null;
}

/**
 * Why a subject did or did not announce, for `/layover why`:
 * - `baseline`: first sighting, thresholds at or below the value were marked reached silently;
 * - `announced`: `threshold` was announced (lower newly passed ones were marked reached silently);
 * - `below-next`: every threshold at or below the value is already reached (includes dips and recoveries).
 */
export type SubjectDecision = 'baseline' | 'announced' | 'below-next';

export interface SubjectOutcome {
  readonly key: string;
  readonly decision: SubjectDecision;
  /** The threshold announced, when `decision` is `announced`. */
  readonly announced: number | null;
  /** The highest reached threshold after this snapshot (0: none yet). */
  readonly reached: number;
}

/** The engine's view of an artist's stored state. */
export interface ArtistState {
  /** `capturedAt` of the newest applied snapshot, epoch ms; null before the first. */
  readonly lastAppliedMs: number | null;
  /** Subject key -> highest reached threshold (0: seen, none reached). Absent: never seen. */
  readonly reached: ReadonlyMap<string, number>;
}
