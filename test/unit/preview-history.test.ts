import { describe, expect, it } from 'vitest';
import { historyFromSnapshots } from '../../src/preview/history-from-snapshots.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { layover } from '../helpers/posts-fixtures.js';

function snapshot(capturedAt: string, each: number, extra: Partial<Snapshot> = {}): Snapshot {
  const tracks = Object.fromEntries(
    (layover.albums[0]?.tracks ?? []).map((t, i) => [t.id, each + i * 1_000_000]),
  );
  return { capturedAt, tracks, ...extra };
}

describe('history from snapshots', () => {
  const trackings = new Map([['v', layover]]);

  it('keeps one point per applied snapshot and the milestones the engine announces, skipping stale ones', () => {
    const histories = historyFromSnapshots(trackings, [
      snapshot('2023-10-01T23:00:00+09:00', 70_000_000, { followers: 15_000_000 }),
      snapshot('2023-10-11T23:00:00+09:00', 82_000_000),
      snapshot('2023-10-05T23:00:00+09:00', 99_000_000),
    ]);
    const history = histories.get('v');
    expect(history?.series.map((p) => p.at)).toEqual([
      '2023-10-01T23:00:00+09:00',
      '2023-10-11T23:00:00+09:00',
    ]);
    expect(history?.series[0]?.values).toMatchObject({
      'album:layover': 6 * 70_000_000 + 15_000_000,
      'track:blue': 71_000_000,
      followers: 15_000_000,
    });
    expect(history?.series[0]?.values).not.toHaveProperty('allTracks:layover');
    // 6 × 82M + 15M = 507M on day 33: the album's 500M, breaking the 58-day record.
    const album = history?.milestones.find((m) => m.kind === 'album');
    expect(album).toMatchObject({ threshold: 500_000_000, daysSinceRelease: 33 });
    expect(album?.record?.previousDays).toBe(58);
    expect(history?.milestones.find((m) => m.kind === 'allTracks')).toMatchObject({
      threshold: 80_000_000,
      lastTrackId: 'rainy-days',
    });
  });
});
