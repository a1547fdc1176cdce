import type { NormalizedSnapshot } from '../snapshots/normalize-snapshot.js';
import type { Tracking } from '../tracking/tracking.js';
import { buildMilestone } from './build-milestone.js';
import { decideAll, isStale } from './decide.js';
import { readSubjects } from './readings.js';
import type { ArtistState, Milestone, SubjectOutcome } from './types.js';

export type ApplyResult =
  | { readonly stale: true; readonly state: ArtistState }
  | {
      readonly stale: false;
      readonly state: ArtistState;
      readonly outcomes: readonly SubjectOutcome[];
      readonly milestones: readonly Milestone[];
    };

/**
 * Every rule of CONTRACT §3 as one pure step: the state after `snapshot`, and the milestones it announces
 * in announcement order. The live pipeline does the same through Redis (see `state/artist-state.store.ts`).
 */
export function applySnapshot(
  tracking: Tracking,
  state: ArtistState,
  snapshot: NormalizedSnapshot,
): ApplyResult {
  if (isStale(state.lastAppliedMs, snapshot.capturedAtMs)) return { stale: true, state };
  const readings = readSubjects(tracking, snapshot);
  const outcomes = decideAll(readings, state.reached);
  const reached = new Map(state.reached);
  const milestones: Milestone[] = [];
  outcomes.forEach((outcome, i) => {
    reached.set(outcome.key, outcome.reached);
    const reading = readings[i];
    if (outcome.announced !== null && reading !== undefined) {
      milestones.push(buildMilestone(tracking, snapshot, reading, outcome.announced));
    }
  });
  return { stale: false, state: { lastAppliedMs: snapshot.capturedAtMs, reached }, outcomes, milestones };
}

export const emptyArtistState: ArtistState = { lastAppliedMs: null, reached: new Map() };
