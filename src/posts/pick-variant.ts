import type { Milestone } from '../milestones/types.js';
import type { Ladder } from '../tracking/schema.js';
import type { Tracking } from '../tracking/tracking.js';

/** 32-bit FNV-1a over the UTF-16 code units of `text`: small, stable across runs and machines. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** 1 for a ladder's first threshold, 2 for the next, …; null when `threshold` is not on the ladder. */
export function ladderPosition(ladder: Ladder | undefined, threshold: number): number | null {
  if (ladder === undefined) return null;
  let prev = 0;
  let before = 0;
  for (const segment of ladder) {
    if (segment.until === undefined || threshold <= segment.until) {
      const step = threshold - prev;
      return step > 0 && step % segment.every === 0 ? before + step / segment.every : null;
    }
    before += Math.floor((segment.until - prev) / segment.every);
    prev = segment.until;
  }
  return null;
}

/**
 * Which of `count` template variants a milestone uses. Deterministic in `milestone.id`, so a re-render gives the
 * same text. The subject part of the id (`<artistId>/<subjectKey>`) is hashed and the threshold's position on its
 * ladder is added, so a subject's consecutive milestones (Layover at 500M, then 550M) always rotate to a different
 * variant instead of repeating one by chance. A threshold off the ladder falls back to a hash of the whole id.
 */
export function variantIndex(milestone: Milestone, tracking: Tracking, count: number): number {
  if (count <= 1) return 0;
  const cut = milestone.id.lastIndexOf('/');
  const subject = cut === -1 ? milestone.id : milestone.id.slice(0, cut);
  const position = ladderPosition(tracking.ladders[milestone.kind], milestone.threshold);
  const base = position === null ? stableHash(milestone.id) : stableHash(subject) + position;
  return base % count;
}
