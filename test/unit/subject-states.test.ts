import { describe, expect, it } from 'vitest';
import type { SubjectState } from '../../src/milestones/types.js';
import { parseStoredSubjects, serializeStoredSubjects } from '../../src/state/subject-states.js';

describe('stored subjects as JSON', () => {
  it('round-trips, counts up to 2^53-1 exact, keys with quotes and unicode escaped', () => {
    const subjects = new Map<string, SubjectState>([
      [
        'artist',
        [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, null, 'announced', 1_696_000_000_000],
      ],
      ['track:"odd"\\key:한', [0, 7, 3, 'baseline', 0]],
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

  it("reads a state stored before staleness was per subject, each subject at the artist's newest instant", () => {
    expect(parseStoredSubjects('{"a":[10,12,null,"baseline"]}', 5_000).get('a')).toEqual([
      10,
      12,
      null,
      'baseline',
      5_000,
    ]);
  });

  it('refuses malformed state, naming the subject', () => {
    expect(() => parseStoredSubjects('[]')).toThrow(/not a JSON object/);
    expect(() => parseStoredSubjects('{"a":[1,2,null]}')).toThrow(/subject a is malformed/);
    expect(() => parseStoredSubjects('{"a":[1,"2",null,"baseline"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1,2,-3,"baseline"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1,2,null,"maybe"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1.5,2,null,"baseline"]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1,2,null,"baseline",1.5]}')).toThrow(/subject a/);
    expect(() => parseStoredSubjects('{"a":[1,2,null,"baseline",0,0]}')).toThrow(/subject a/);
  });
});
