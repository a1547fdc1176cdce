import type { SubjectOutcome, SubjectReading } from './types.js';

/**
 * The milestone rules for one subject: the first sighting is a baseline (every threshold at or below it counts as
 * reached, nothing is announced); later, only the highest newly passed threshold is announced; a dip and a
 * recovery announce nothing. The engine step (`advanceArtist`) calls it for every reading that is not stale.
 *
 * @param reached the subject's highest reached threshold, or undefined if it was never seen.
 */
export function decideSubject(reading: SubjectReading, reached: number | undefined): SubjectOutcome {
  if (reached === undefined) {
    return { key: reading.key, decision: 'baseline', announced: null, reached: reading.floor };
  }
  if (reading.floor > reached) {
    return { key: reading.key, decision: 'announced', announced: reading.floor, reached: reading.floor };
  }
  return { key: reading.key, decision: 'below-next', announced: null, reached };
}
