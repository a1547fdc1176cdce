import type { NormalizedSnapshot } from '../snapshots/normalize-snapshot.js';
import type { Tracking } from '../tracking/tracking.js';
import { buildMilestone } from './build-milestone.js';
import { decideSubject } from './decide.js';
import { readSubjects } from './readings.js';
import type { ArtistState, Milestone, SubjectOutcome, SubjectReading, SubjectState } from './types.js';

/** A threshold a snapshot announced for one subject. */
export interface Announcement {
  readonly key: string;
  readonly threshold: number;
}

/**
 * What one snapshot does to an artist. `stale`: every reading it holds is at or before the newest value already
 * applied to its subject, so nothing changed (`state` is the very object given). `applied`: at least one subject
 * took its value.
 */
export interface ArtistStep {
  readonly status: 'applied' | 'stale';
  readonly state: ArtistState;
  /** One per reading that was not stale, in reading order. */
  readonly outcomes: readonly SubjectOutcome[];
  readonly announced: readonly Announcement[];
  /** The announced milestones, in announcement order. */
  readonly milestones: readonly Milestone[];
}

export const emptyArtistState: ArtistState = { lastAppliedMs: null, subjects: new Map() };

/** A reading is stale when its subject already holds a value captured at the same instant or later. */
export function isStaleFor(subject: SubjectState | undefined, capturedAtMs: number): boolean {
  return subject !== undefined && capturedAtMs <= subject[4];
}

/**
 * The rules engine's one step: the artist's state after `snapshot`, and the milestones it announces.
 *
 * - Staleness is per subject (each track, album total, all-tracks floor, artist total, followers): a reading
 *   captured at or before the newest value applied to its subject is skipped. So sources that report one artist
 *   at their own pace never make each other stale, and a repeat changes nothing.
 * - Every other reading is decided by {@link decideSubject}: baseline on first sight, the highest newly passed
 *   threshold announced, nothing on a dip.
 *
 * Pure: the live pipeline commits the result with a compare-and-set (see the artist state store), the replay and
 * the tests call it directly. `readings` defaults to {@link readSubjects}; callers that already have them pass them.
 */
export function advanceArtist(
  tracking: Tracking,
  state: ArtistState,
  snapshot: NormalizedSnapshot,
  readings: readonly SubjectReading[] = readSubjects(tracking, snapshot),
): ArtistStep {
  const at = snapshot.capturedAtMs;
  let subjects: Map<string, SubjectState> | null = null;
  const outcomes: SubjectOutcome[] = [];
  const announced: Announcement[] = [];
  const milestones: Milestone[] = [];
  for (const reading of readings) {
    const old = state.subjects.get(reading.key);
    if (isStaleFor(old, at)) continue;
    const outcome = decideSubject(reading, old?.[0]);
    outcomes.push(outcome);
    subjects ??= new Map(state.subjects);
    subjects.set(reading.key, [outcome.reached, reading.value, old?.[1] ?? null, outcome.decision, at]);
    if (outcome.announced !== null) {
      announced.push({ key: reading.key, threshold: outcome.announced });
      milestones.push(buildMilestone(tracking, snapshot, reading, outcome.announced));
    }
  }
  if (subjects === null && readings.length > 0) {
    return { status: 'stale', state, outcomes, announced, milestones };
  }
  const lastAppliedMs = state.lastAppliedMs === null ? at : Math.max(state.lastAppliedMs, at);
  return {
    status: 'applied',
    state: { lastAppliedMs, subjects: subjects ?? state.subjects },
    outcomes,
    announced,
    milestones,
  };
}

/**
 * The milestones of announcements made earlier for this snapshot (a job that runs again after a crash gets its
 * own milestones back): each rebuilt from the snapshot's reading of its subject.
 */
export function milestonesOf(
  tracking: Tracking,
  snapshot: NormalizedSnapshot,
  announced: readonly Announcement[],
  readings: readonly SubjectReading[] = readSubjects(tracking, snapshot),
): Milestone[] {
  const byKey = new Map(readings.map((r) => [r.key, r]));
  return announced.flatMap(({ key, threshold }) => {
    const reading = byKey.get(key);
    return reading === undefined ? [] : [buildMilestone(tracking, snapshot, reading, threshold)];
  });
}
