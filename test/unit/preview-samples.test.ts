import { describe, expect, it } from 'vitest';
import { sampleHistory, sampleMilestones } from '../../src/preview/sample-milestones.js';
import { layover, layoverConfig, trackingFrom } from '../helpers/posts-fixtures.js';

describe('preview samples', () => {
  const samples = sampleMilestones(layover);

  it('takes one milestone per kind from the ladders (the 5th threshold, 30 days in) or from its record', () => {
    expect(samples.map((m) => [m.kind, m.threshold, m.daysSinceRelease])).toEqual([
      ['track', 50_000_000, 30],
      ['album', 500_000_000, 30],
      ['allTracks', 50_000_000, 30],
      ['artist', 500_000_000, 30],
      ['followers', 5_000_000, 30],
      ['views', 50_000_000, 30],
    ]);
    expect(samples.find((m) => m.kind === 'track')?.observedAt).toBe('2023-09-10T23:00:00+09:00');
  });

  it('breaks each configured record with the record taken from the config', () => {
    const album = samples.find((m) => m.kind === 'album');
    expect(album?.record).toEqual({
      title: 'fastest K-pop solo album to 500 million Spotify streams',
      holder: 'FACE',
      previousDays: 58,
    });
    expect(samples.filter((m) => m.record !== null).map((m) => m.kind)).toEqual(['album']);
  });

  it("replaces a kind's sample with one that breaks its record", () => {
    const withRecord = trackingFrom({
      ...layoverConfig,
      records: [{ kind: 'allTracks', threshold: 40_000_000, days: 179, holder: 'FACE', title: 'fastest' }],
    });
    const allTracks = sampleMilestones(withRecord).find((m) => m.kind === 'allTracks');
    expect(allTracks).toMatchObject({
      threshold: 40_000_000,
      daysSinceRelease: 102,
      lastTrackId: 'slow-dancing-piano',
    });
    expect(allTracks?.record).toEqual({ title: 'fastest', holder: 'FACE', previousDays: 179 });
  });

  it('builds a rising history whose album total is the sum of its tracks and meets the album sample', () => {
    const album = layover.albums[0];
    if (album === undefined) throw new Error('no album');
    const history = sampleHistory(layover, album, samples);
    expect(history.length).toBeGreaterThan(30);
    for (const point of history) {
      const tracks = album.tracks.reduce((sum, t) => sum + (point.values[`track:${t.id}`] ?? 0), 0);
      expect(point.values['album:layover']).toBe(tracks);
    }
    const totals = history.map((p) => p.values['album:layover'] ?? 0);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    const day30 = history[30]?.values['album:layover'] ?? 0;
    expect(Math.abs(day30 - 502_000_000)).toBeLessThan(10);
  });
});
