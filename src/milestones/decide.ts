import type { SubjectOutcome, SubjectReading } from './types.js';

/**
 * CONTRACT §3.1–3.3 for one subject. The live pipeline decides with this very function
 * (`state/subject-states.ts`) and commits the result atomically in Redis (`state/artist-state.store.ts`).
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

/** {@link decideSubject} for every reading, against one state. */
export function decideAll(
  readings: readonly SubjectReading[],
  reached: ReadonlyMap<string, number>,
): SubjectOutcome[] {
  return readings.map((reading) => decideSubject(reading, reached.get(reading.key)));
}

/** CONTRACT §3.4: a snapshot at or before the newest applied one changes nothing. */
export function isStale(lastAppliedMs: number | null, capturedAtMs: number): boolean {
  return lastAppliedMs !== null && capturedAtMs <= lastAppliedMs;
}
