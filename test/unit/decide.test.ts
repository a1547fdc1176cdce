import { describe, expect, it } from 'vitest';
import { isStaleFor } from '../../src/milestones/advance-artist.js';
import { decideSubject } from '../../src/milestones/decide.js';
import type { SubjectReading } from '../../src/milestones/types.js';

function reading(key: string, value: number, floor: number): SubjectReading {
  return {
    key,
    kind: 'track',
    albumId: 'first',
    trackId: key,
    videoId: null,
    value,
    floor,
    lastTrackId: null,
  };
}

describe('decideSubject (baseline, highest only, once ever)', () => {
  it('takes a first sighting as the baseline: nothing announced, the floor reached', () => {
    expect(decideSubject(reading('a', 57, 50), undefined)).toEqual({
      key: 'a',
      decision: 'baseline',
      announced: null,
      reached: 50,
    });
    expect(decideSubject(reading('a', 3, 0), undefined)).toMatchObject({ decision: 'baseline', reached: 0 });
  });

  it('announces the floor when it is above the highest reached threshold', () => {
    expect(decideSubject(reading('a', 93, 90), 40)).toEqual({
      key: 'a',
      decision: 'announced',
      announced: 90,
      reached: 90,
    });
    expect(decideSubject(reading('a', 12, 10), 0)).toMatchObject({ decision: 'announced', announced: 10 });
  });

  it('announces nothing at or below the highest reached threshold, and never lowers it', () => {
    expect(decideSubject(reading('a', 59, 50), 50)).toEqual({
      key: 'a',
      decision: 'below-next',
      announced: null,
      reached: 50,
    });
    expect(decideSubject(reading('a', 38, 30), 50)).toMatchObject({ decision: 'below-next', reached: 50 });
  });
});

describe('isStaleFor: staleness of one subject', () => {
  it('is never stale for a subject never seen', () => {
    expect(isStaleFor(undefined, 0)).toBe(false);
  });

  it('is stale at or before the instant of the value last applied to the subject, fresh after it', () => {
    const subject = [10, 12, null, 'baseline', 1_000] as const;
    expect(isStaleFor(subject, 999)).toBe(true);
    expect(isStaleFor(subject, 1_000)).toBe(true);
    expect(isStaleFor(subject, 1_001)).toBe(false);
  });
});
