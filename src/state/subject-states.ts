import type { SubjectDecision, SubjectState } from '../milestones/types.js';
import { jsonKey } from './json-key.js';

/** Subject key -> state; the `s` field of the artist state hash, as JSON that only this process reads. */
export type StoredSubjects = ReadonlyMap<string, SubjectState>;

const decisions: ReadonlySet<string> = new Set<SubjectDecision>(['baseline', 'announced', 'below-next']);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isSubjectState(value: unknown): value is SubjectState {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    isCount(value[0]) &&
    isCount(value[1]) &&
    (value[2] === null || isCount(value[2])) &&
    typeof value[3] === 'string' &&
    decisions.has(value[3]) &&
    Number.isSafeInteger(value[4])
  );
}

/**
 * The `s` field as stored; '' or absent is no subjects yet. Throws, naming the subject, on anything malformed.
 * A state written before staleness was kept per subject holds four-element entries: each gets `legacyAppliedMs`
 * (the artist's newest applied instant, which was then the one staleness bound).
 */
export function parseStoredSubjects(raw: string | undefined, legacyAppliedMs = 0): Map<string, SubjectState> {
  const subjects = new Map<string, SubjectState>();
  if (raw === undefined || raw === '') return subjects;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('artist state: the subjects field is not a JSON object');
  }
  for (const [key, value] of Object.entries(parsed)) {
    const upgraded: unknown =
      Array.isArray(value) && value.length === 4 ? [...(value as unknown[]), legacyAppliedMs] : value;
    if (!isSubjectState(upgraded)) throw new Error(`artist state: subject ${key} is malformed`);
    subjects.set(key, upgraded);
  }
  return subjects;
}

/**
 * The `s` field to store: a JSON object, written directly rather than through an intermediate object because it
 * is rebuilt for every snapshot (hundreds of subjects for a catalogue).
 */
export function serializeStoredSubjects(subjects: StoredSubjects): string {
  let body = '';
  for (const [key, [reached, value, previous, decision, appliedAtMs]] of subjects) {
    body += `${body === '' ? '' : ','}${jsonKey(key)}:[${reached},${value},${previous === null ? 'null' : previous},"${decision}",${appliedAtMs}]`;
  }
  return `{${body}}`;
}
