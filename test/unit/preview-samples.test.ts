import { describe, expect, it } from 'vitest';
import { sampleHistory, sampleMilestones } from '../../src/preview/sample-milestones.js';
import { layover } from '../helpers/posts-fixtures.js';

describe('preview samples', () => {
  const samples = sampleMilestones(layover);

  it('takes one milestone per kind from the ladders (the 5th threshold), 30 days after the release', () => {
    const byKind = samples.filter((m) => m.daysSinceRelease === 30).map((m) => [m.kind, m.threshold]);
    expect(byKind).toEqual([
      ['track', 50_000_000],
      ['album', 500_000_000],
      ['allTracks', 50_000_000],
      ['artist', 500_000_000],
      ['followers', 5_000_000],
    ]);
    expect(samples.find((m) => m.kind === 'track')?.observedAt).toBe('2023-09-10T23:00:00+09:00');
  });

  it('adds a record-breaking milestone per configured record, and its record is the config one', () => {
    const album = samples.find((m) => m.kind === 'album');
    expect(album?.record).toEqual({
      title: 'fastest K-pop solo album to 500 million Spotify streams',
      holder: 'FACE',
      previousDays: 58,
    });
    expect(samples.filter((m) => m.record !== null)).toHaveLength(1);
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
