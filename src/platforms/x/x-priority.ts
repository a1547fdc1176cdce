import { isMilestoneKind, kindTable } from '../../milestone-kinds.js';
import type { Milestone, MilestoneKind } from '../../milestones/types.js';

/** Per-kind minimum threshold for X: milestones below it get no X destination. */
export type XMinThresholds = Readonly<Partial<Record<MilestoneKind, number>>>;

/**
 * A kind's place in the X budget (its `xRank` in the kinds table: album, all tracks, artist, track, followers).
 * A kind the table does not know (say, one in a ledger written by a newer version) ranks below every known one.
 */
export function xKindRank(kind: string): number {
  return isMilestoneKind(kind) ? kindTable[kind].xRank : 0;
}

/** Thresholds are capped here inside the priority score so that the score stays an exact double. */
const THRESHOLD_SPAN = 1e15;

/**
 * A number that orders milestones for X: a higher kind always beats a lower one, and within a kind the larger
 * threshold wins. Exact for thresholds below 10^15 (a quadrillion streams).
 */
export function xPriority(milestone: Pick<Milestone, 'kind' | 'threshold'>): number {
  return xKindRank(milestone.kind) * THRESHOLD_SPAN + Math.min(milestone.threshold, THRESHOLD_SPAN - 1);
}

/** Highest priority first; ties keep milestone id order so the order is deterministic. */
export function byXPriority(a: Milestone, b: Milestone): number {
  return xPriority(b) - xPriority(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether `milestone` clears the configured minimum for its kind. */
export function meetsXMinimum(
  milestone: Pick<Milestone, 'kind' | 'threshold'>,
  minimums: XMinThresholds,
): boolean {
  const min = minimums[milestone.kind];
  return min === undefined || milestone.threshold >= min;
}

/**
 * Milestones of one album pending together are combined; the combine key says which album (or, for artist and
 * follower milestones, which have none, the milestone alone).
 */
export function xCombineKey(milestone: Milestone): string | null {
  return milestone.albumId === null ? null : `${milestone.artistId}/${milestone.albumId}`;
}
