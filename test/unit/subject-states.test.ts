import { describe, expect, it } from 'vitest';
import type { SubjectReading } from '../../src/milestones/types.js';
import {
  advanceSubjects,
  parseStoredSubjects,
  serializeStoredSubjects,
  type StoredSubject,
} from '../../src/state/subject-states.js';

function reading(key: string, value: number, floor: number): SubjectReading {
  return { key, kind: 'track', albumId: 'first', trackId: key, value, floor, lastTrackId: null };
}

describe('advanceSubjects', () => {
  it('baselines new subjects, announces crossings, keeps the reached threshold on dips', () => {
    const first = advanceSubjects(new Map(), [reading('a', 57, 50), reading('b', 3, 0)]);
    expect(first.announced).toEqual([]);
    expect([...first.subjects]).toEqual([
      ['a', [50, 57, null, 'baseline']],
      ['b', [0, 3, null, 'baseline']],
    ]);
    const second = advanceSubjects(first.subjects, [reading('a', 48, 40), reading('b', 12, 10)]);
    expect(second.announced).toEqual([{ key: 'b', threshold: 10 }]);
    expect(second.subjects.get('a')).toEqual([50, 48, 57, 'below-next']);
    expect(second.subjects.get('b')).toEqual([10, 12, 3, 'announced']);
  });

  it('keeps subjects the snapshot does not mention, and leaves the state it was given alone', () => {
    const before = new Map<string, StoredSubject>([['gone', [20, 25, 21, 'below-next']]]);
    const after = advanceSubjects(before, [reading('new', 5, 0)]);
    expect(after.subjects.get('gone')).toEqual([20, 25, 21, 'below-next']);
    expect(before.has('new')).toBe(false);
  });

  it('announces in reading order', () => {
    const before = advanceSubjects(new Map(), [reading('x', 1, 0), reading('y', 1, 0)]).subjects;
    const after = advanceSubjects(before, [reading('y', 20, 20), reading('x', 10, 10)]);
    expect(after.announced.map((a) => a.key)).toEqual(['y', 'x']);
  });
});

describe('stored subjects as JSON', () => {
  it('round-trips, counts up to 2^53-1 exact, keys with quotes and unicode escaped', () => {
    const subjects = new Map<string, StoredSubject>([
      ['artist', [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, null, 'announced']],
      ['track:"odd"\\key:한', [0, 7, 3, 'baseline']],
    ]);
    const text = serializeStoredSubjects(subjects);
    expect(JSON.parse(text)).toEqual(Object.fromEntries(subjects));
    expect(parseStoredSubjects(text)).toEqual(subjects);
    expect(serializeStoredSubjects(new Map())).toBe('{}');
  });

  it('reads nothing stored as no subjects', () => {
    expect(parseStoredSubjects(undefined).size).toBe(0);
    expect(parseStoredSubjects('').size).toBe(0);
  });

  it('refuses malformed state, naming the subject', () => {
    expect(() => parseStoredSubjects('[]')).toThrow(/not a JSON object/);
    expect(() => parseStoredSubjects('{"a":[1,2,null]}')).toThrow(/subject a is malformed/);
    expect(() => parseStoredSubjects('{"a":[1,"2",null,"baseline"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1,2,-3,"baseline"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1,2,null,"maybe"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1.5,2,null,"baseline"]}')).toThrow(/subject a/);
  });
});
