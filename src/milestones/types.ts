import type { MilestoneKind } from '../milestone-kinds.js';

export type { MilestoneKind };

/** A record a milestone broke (a `records` entry of the tracking config). */
export interface BrokenRecord {
  readonly title: string;
  readonly holder: string;
  readonly previousDays: number;
}

/** An announced milestone: one line of `replay --json` without `posts`. */
export interface Milestone {
  /** Deterministic and unique: `<artistId>/<subjectKey>/<threshold>`. */
  readonly id: string;
  readonly artistId: string;
  readonly kind: MilestoneKind;
  readonly albumId: string | null;
  readonly trackId: string | null;
  /** Kind `views`: the configured video; null for every other kind. */
  readonly videoId: string | null;
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
 * {@link import('../milestone-kinds.js').subjectKey}): `track:<trackId>`, `album:<albumId>`, `allTracks:<albumId>`, `artist`, `followers`, `views:<videoId>`.
 */
export interface SubjectReading {
  readonly key: string;
  readonly kind: MilestoneKind;
  readonly albumId: string | null;
  readonly trackId: string | null;
  /** Kind `views`: the video read; null otherwise. */
  readonly videoId: string | null;
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

/**
 * One subject's state: the highest reached threshold (0: seen, none reached), the value last applied, the value
 * before it (null for none), the decision that value led to, and the `capturedAt` (epoch ms) of the snapshot it
 * came from. Staleness is per subject: a reading captured at or before `appliedAtMs` changes nothing. A tuple
 * because an artist state holds hundreds of these and is rebuilt for every snapshot.
 */
export type SubjectState = readonly [
  reached: number,
  value: number,
  previous: number | null,
  decision: SubjectDecision,
  appliedAtMs: number,
];

/** The engine's view of an artist's stored state. */
export interface ArtistState {
  /** `capturedAt` of the newest snapshot that changed anything, epoch ms; null before the first. */
  readonly lastAppliedMs: number | null;
  /** Subject key -> its state. Absent: never seen. */
  readonly subjects: ReadonlyMap<string, SubjectState>;
}
