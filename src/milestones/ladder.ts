import type { Ladder } from '../tracking/schema.js';

/**
 * The highest threshold of `ladder` at or below `value`, or 0 when there is none.
 * Segment i yields `prev + n*every <= until`, `prev` being the previous segment's `until` (0 first).
 * O(segments), whatever the value.
 */
export function thresholdAtOrBelow(ladder: Ladder, value: number): number {
  let prev = 0;
  let best = 0;
  for (const { every, until } of ladder) {
    const top = until === undefined ? value : Math.min(value, until);
    if (top < prev + every) {
      if (until === undefined || value < until) return best;
    } else {
      best = prev + Math.floor((top - prev) / every) * every;
    }
    if (until === undefined) return best;
    prev = until;
  }
  return best;
}

/** The lowest threshold of `ladder` strictly above `value`, or null when the ladder ends below it. */
export function nextThresholdAbove(ladder: Ladder, value: number): number | null {
  let prev = 0;
  for (const { every, until } of ladder) {
    const candidate = value < prev ? prev + every : prev + (Math.floor((value - prev) / every) + 1) * every;
    if (until === undefined || candidate <= until) return candidate;
    prev = until;
  }
  return null;
}
