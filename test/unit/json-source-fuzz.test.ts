import { describe, expect, it } from 'vitest';
import { jsonReadings } from '../../src/sources/json-source.js';
import { SourceError } from '../../src/sources/source.js';
import { seededRandom } from '../helpers/random.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
const url = 'https://example.org/snapshots.json';

const history = [
  { capturedAt: '2023-10-10T23:00:00+09:00', tracks: { 'rainy-days': 84_000_000, blue: 49_000_000 } },
  {
    capturedAt: '2023-10-11T23:00:00+09:00',
    tracks: { 'rainy-days': 85_012_345 },
    artistStreams: 1_500_600_000,
  },
  { capturedAt: '2023-10-12T23:00:00+09:00', tracks: {}, followers: 15_720_000 },
];
const garbage: unknown[] = [null, -1, 1.5, '85012345', 2 ** 53, {}, [], true, '2023-10-11', ''];

/** A deep copy with one leaf (chosen by `random`) replaced by garbage. */
function corrupt(random: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(history)) as Record<string, unknown>[];
  const item = copy[Math.floor(random() * copy.length)] ?? {};
  const field = (['capturedAt', 'tracks', 'artistStreams', 'followers', 'track'] as const)[
    Math.floor(random() * 5)
  ];
  const value = garbage[Math.floor(random() * garbage.length)];
  if (field === 'track') (item.tracks as Record<string, unknown>)['rainy-days'] = value;
  else item[field ?? 'capturedAt'] = value;
  return copy;
}

describe('JSON source under fuzzing', () => {
  it('a truncated or corrupted answer is refused whole, with the path of the problem, or read exactly', () => {
    const text = JSON.stringify(history);
    const original = jsonReadings(text, trackings, url, 'fan').map((r) => r.snapshot);
    const random = seededRandom(2026);
    let refused = 0;
    for (let i = 0; i < 300; i += 1) {
      const damaged =
        random() < 0.4 ? text.slice(0, Math.floor(random() * text.length)) : JSON.stringify(corrupt(random));
      let snapshots;
      try {
        snapshots = jsonReadings(damaged, trackings, url, 'fan').map((r) => r.snapshot);
      } catch (error) {
        expect(error).toBeInstanceOf(SourceError);
        expect((error as Error).message).toMatch(
          /^https:\/\/example\.org\/snapshots\.json: (answer is not JSON|answer is an empty array|\d+ problem\(s\), nothing taken: \[\d\]\.)/,
        );
        refused += 1;
        continue;
      }
      // What is taken is exactly what was sent: a corruption that stays valid (an empty "tracks" where others
      // carry counts) changes nothing else, and nothing becomes zero.
      for (const s of snapshots) {
        const same = original.find((o) => o.capturedAt === s.capturedAt);
        expect(same).toBeDefined();
        for (const [key, count] of Object.entries(s.tracks)) expect(count).toBe(same?.tracks[key]);
      }
    }
    expect(refused).toBeGreaterThan(200);
  });
});
