import { describe, expect, it } from 'vitest';
import { nextThresholdAbove, thresholdAtOrBelow } from '../../src/milestones/ladder.js';
import type { Ladder } from '../../src/tracking/schema.js';

/** Every threshold of `ladder` up to `max`, listed one by one straight from the ladder rule's wording. */
function enumerate(ladder: Ladder, max: number): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const { every, until } of ladder) {
    const cap = until ?? max;
    for (let t = prev + every; t <= cap && t <= max; t += every) out.push(t);
    if (until === undefined) break;
    prev = until;
  }
  return out;
}

const ladders: Record<string, Ladder> = {
  'one open segment': [{ every: 10 }],
  'contract track ladder (scaled)': [{ every: 10, until: 100 }, { every: 50 }],
  'span not a multiple of every': [{ every: 30, until: 100 }, { every: 50 }],
  'a segment too short for one step': [{ every: 50, until: 20 }, { every: 7 }],
  'three segments': [
    { every: 3, until: 10 },
    { every: 4, until: 25 },
    { every: 25, until: 100 },
    { every: 100 },
  ],
  'ends with until': [{ every: 10, until: 30 }],
  'ends with until, span not a multiple': [
    { every: 10, until: 35 },
    { every: 20, until: 70 },
  ],
};

describe('ladder thresholds', () => {
  it('lists the thresholds of the documented album ladder', () => {
    const album: Ladder = [{ every: 100_000_000, until: 500_000_000 }, { every: 50_000_000 }];
    expect(enumerate(album, 700_000_000)).toEqual([
      100_000_000, 200_000_000, 300_000_000, 400_000_000, 500_000_000, 550_000_000, 600_000_000, 650_000_000,
      700_000_000,
    ]);
    expect(thresholdAtOrBelow(album, 549_999_999)).toBe(500_000_000);
    expect(thresholdAtOrBelow(album, 550_000_000)).toBe(550_000_000);
    expect(nextThresholdAbove(album, 500_000_000)).toBe(550_000_000);
    expect(nextThresholdAbove(album, 499_999_999)).toBe(500_000_000);
  });

  it('counts a later segment from the previous until, not from its last threshold', () => {
    const ladder: Ladder = [{ every: 30, until: 100 }, { every: 50 }];
    expect(thresholdAtOrBelow(ladder, 100)).toBe(90);
    expect(thresholdAtOrBelow(ladder, 149)).toBe(90);
    expect(thresholdAtOrBelow(ladder, 150)).toBe(150);
    expect(nextThresholdAbove(ladder, 90)).toBe(150);
    expect(nextThresholdAbove(ladder, 100)).toBe(150);
  });

  it('includes until itself only when it falls on a step', () => {
    expect(thresholdAtOrBelow([{ every: 10, until: 100 }, { every: 50 }], 100)).toBe(100);
    expect(thresholdAtOrBelow([{ every: 30, until: 100 }, { every: 50 }], 100)).toBe(90);
  });

  it('yields nothing from a segment shorter than its step and carries on after it', () => {
    const ladder: Ladder = [{ every: 50, until: 20 }, { every: 7 }];
    expect(thresholdAtOrBelow(ladder, 26)).toBe(0);
    expect(thresholdAtOrBelow(ladder, 27)).toBe(27);
    expect(nextThresholdAbove(ladder, 0)).toBe(27);
  });

  it('stops at the last until when every segment has one', () => {
    const ladder: Ladder = [{ every: 10, until: 30 }];
    expect(thresholdAtOrBelow(ladder, 1_000_000)).toBe(30);
    expect(nextThresholdAbove(ladder, 29)).toBe(30);
    expect(nextThresholdAbove(ladder, 30)).toBeNull();
  });

  it('returns 0 below the first threshold', () => {
    expect(thresholdAtOrBelow([{ every: 10 }], 0)).toBe(0);
    expect(thresholdAtOrBelow([{ every: 10 }], 9)).toBe(0);
    expect(nextThresholdAbove([{ every: 10 }], 0)).toBe(10);
  });

  for (const [name, ladder] of Object.entries(ladders)) {
    it(`agrees with an explicit enumeration for every value 0..400: ${name}`, () => {
      const max = 400;
      const all = enumerate(ladder, max + 200);
      for (let value = 0; value <= max; value += 1) {
        const below = all.filter((t) => t <= value);
        const above = all.find((t) => t > value);
        expect(thresholdAtOrBelow(ladder, value), `at or below ${value}`).toBe(below.at(-1) ?? 0);
        expect(nextThresholdAbove(ladder, value), `above ${value}`).toBe(above ?? null);
      }
    });
  }

  it('is exact at 2^53-1 with a step that does not divide it', () => {
    const value = Number.MAX_SAFE_INTEGER;
    for (const every of [3, 7, 10_000_000, 999_999_937]) {
      const expected = Number(BigInt(value) - (BigInt(value) % BigInt(every)));
      expect(thresholdAtOrBelow([{ every }], value), `every ${every}`).toBe(expected);
      expect(thresholdAtOrBelow([{ every: 5, until: 100 }, { every }], value)).toBe(
        Number(100n + ((BigInt(value) - 100n) / BigInt(every)) * BigInt(every)),
      );
    }
  });
});
