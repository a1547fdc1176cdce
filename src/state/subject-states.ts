import { decideSubject } from '../milestones/decide.js';
import type { SubjectDecision, SubjectReading } from '../milestones/types.js';
import { jsonKey } from './json-key.js';

/**
 * One subject as the artist state stores it: the highest reached threshold, the latest value, the value before
 * it (null for none) and the latest decision. Only this process reads it (Redis keeps it opaque), so counts are
 * plain JSON numbers, exact up to 2^53-1 like every count the snapshot schema accepts.
 */
export type StoredSubject = readonly [
  reached: number,
  value: number,
  previous: number | null,
  decision: SubjectDecision,
];

/** Subject key -> stored subject; the `s` field of the artist state hash, as JSON. */
export type StoredSubjects = ReadonlyMap<string, StoredSubject>;

export interface SubjectsAdvance {
  readonly subjects: StoredSubjects;
  /** Thresholds announced by this snapshot, in reading order. */
  readonly announced: readonly { readonly key: string; readonly threshold: number }[];
}

/**
 * The subjects' state after one (non-stale) snapshot's readings, by the pure engine's per-subject rule
 * ({@link decideSubject}); subjects absent from the readings keep their state. Pure: the caller commits the result
 * only if the stored state is still `before`.
 */
export function advanceSubjects(
  before: StoredSubjects,
  readings: readonly SubjectReading[],
): SubjectsAdvance {
  const subjects = new Map(before);
  const announced: { key: string; threshold: number }[] = [];
  for (const reading of readings) {
    const old = before.get(reading.key);
    const outcome = decideSubject(reading, old?.[0]);
    if (outcome.announced !== null) announced.push({ key: reading.key, threshold: outcome.announced });
    subjects.set(reading.key, [outcome.reached, reading.value, old?.[1] ?? null, outcome.decision]);
  }
  return { subjects, announced };
}

const decisions: ReadonlySet<string> = new Set<SubjectDecision>(['baseline', 'announced', 'below-next']);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isStoredSubject(value: unknown): value is StoredSubject {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    isCount(value[0]) &&
    isCount(value[1]) &&
    (value[2] === null || isCount(value[2])) &&
    typeof value[3] === 'string' &&
    decisions.has(value[3])
  );
}

/** The `s` field as stored; '' or absent is no subjects yet. Throws, naming the subject, on anything malformed. */
export function parseStoredSubjects(raw: string | undefined): Map<string, StoredSubject> {
  const subjects = new Map<string, StoredSubject>();
  if (raw === undefined || raw === '') return subjects;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('artist state: the subjects field is not a JSON object');
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!isStoredSubject(value)) throw new Error(`artist state: subject ${key} is malformed`);
    subjects.set(key, value);
  }
  return subjects;
}

/**
 * The `s` field to store: a JSON object, written directly rather than through an intermediate object because it
 * is rebuilt for every snapshot (hundreds of subjects for a catalogue).
 */
export function serializeStoredSubjects(subjects: StoredSubjects): string {
  let body = '';
  for (const [key, [reached, value, previous, decision]] of subjects) {
    body += `${body === '' ? '' : ','}${jsonKey(key)}:[${reached},${value},${previous === null ? 'null' : previous},"${decision}"]`;
  }
  return `{${body}}`;
}
