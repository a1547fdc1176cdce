import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchSongs, normalizeTitle } from '../../src/sources/kworb-match.js';
import type { KworbSong } from '../../src/sources/kworb-songs-table.js';
import { parseTrackingText } from '../../src/tracking/load-tracking.js';
import type { TrackingConfigInput } from '../../src/tracking/schema.js';
import type { Tracking } from '../../src/tracking/tracking.js';

function layover(edit: (config: TrackingConfigInput) => void = () => undefined) {
  const config = JSON.parse(readFileSync('config/layover.json', 'utf8')) as TrackingConfigInput;
  edit(config);
  return parseTrackingText('cfg.json', JSON.stringify(config));
}

function tracking(edit?: (config: TrackingConfigInput) => void): Tracking {
  const result = layover(edit);
  if (result.tracking === null) throw new Error(result.problems.join('\n'));
  return result.tracking;
}

function track(config: TrackingConfigInput, id: string) {
  const found = config.albums.flatMap((a) => a.tracks).find((t) => t.id === id);
  if (found === undefined) throw new Error(id);
  return found;
}

const row = (spotifyId: string, title: string, streams: number): KworbSong => ({
  spotifyId,
  title,
  featured: false,
  streams,
  daily: null,
});

const page: KworbSong[] = [
  row('5ydjxBSUIDn26MFzU3asP4', 'Rainy Days', 90),
  row('2N0SPREDYqILVEFSsWF5N5', 'Love Me Again', 110),
  row('BlueBlueBlueBlueBlue01', 'Blue', 55),
  row('SlowSlowSlowSlowSlow01', 'Slow Dancing', 150),
  row('PianoPianoPianoPiano01', 'Slow Dancing - Piano Ver.', 48),
];

describe('title normalisation', () => {
  it('drops case, punctuation and brackets but keeps words apart', () => {
    expect(normalizeTitle('Slow Dancing (Piano Ver.)')).toBe('slow dancing piano ver');
    expect(normalizeTitle('Slow Dancing - Piano Ver.')).toBe('slow dancing piano ver');
    expect(normalizeTitle('  LOVE  me again ')).toBe('love me again');
    expect(normalizeTitle('Don’t Forget')).toBe(normalizeTitle("Don't Forget"));
    expect(normalizeTitle('ＦＲＩ(ＥＮ)ＤＳ')).toBe('fri en ds');
    expect(normalizeTitle('Slow Dancing')).not.toBe(normalizeTitle('Slow Dancing (Piano Ver.)'));
  });
});

describe('matching configured songs to kworb rows', () => {
  it('matches by id where the config has one and by title where it has none', () => {
    const byTrack = Object.fromEntries(matchSongs(page, tracking()).map((m) => [m.trackId, m]));
    expect(byTrack['rainy-days']).toMatchObject({ how: 'id', streams: 90 });
    expect(byTrack.blue).toMatchObject({ how: 'title', streams: 55 });
    expect(byTrack['slow-dancing']).toMatchObject({ how: 'title', streams: 150 });
    expect(byTrack['slow-dancing-piano']).toMatchObject({ how: 'title', streams: 48 });
    expect(byTrack['for-us']).toMatchObject({ how: 'none', streams: null, candidates: [] });
  });

  it('matches nothing when two rows carry the title, and lists both as candidates', () => {
    const twice = [...page, row('BlueBlueBlueBlueBlue02', 'Blue', 3)];
    const blue = matchSongs(twice, tracking()).find((m) => m.trackId === 'blue');
    expect(blue).toMatchObject({ how: 'none', streams: null });
    expect(blue?.candidates.map((c) => c.spotifyId)).toEqual([
      'BlueBlueBlueBlueBlue01',
      'BlueBlueBlueBlueBlue02',
    ]);
  });

  it('adds up the rows of every id in spotifyIds', () => {
    const twice = [...page, row('BlueBlueBlueBlueBlue02', 'Blue', 3)];
    const t = tracking((c) => {
      track(c, 'blue').spotifyIds = ['BlueBlueBlueBlueBlue01', 'BlueBlueBlueBlueBlue02'];
    });
    expect(matchSongs(twice, t).find((m) => m.trackId === 'blue')).toMatchObject({ how: 'id', streams: 58 });
    expect(t.trackKeyToId.get('BlueBlueBlueBlueBlue02')).toBe('blue');
  });

  it('never takes by title a row whose id belongs to another configured song', () => {
    const t = tracking((c) => {
      track(c, 'for-us').spotifyId = 'BlueBlueBlueBlueBlue01';
    });
    const blue = matchSongs(page, t).find((m) => m.trackId === 'blue');
    expect(blue).toMatchObject({ how: 'none', candidates: [] });
  });

  it('refuses a page that lists one id twice with different counts', () => {
    expect(() => matchSongs([...page, row('BlueBlueBlueBlueBlue01', 'Blue', 56)], tracking())).toThrow(
      'track BlueBlueBlueBlueBlue01 is listed twice with different counts (55, 56)',
    );
  });
});

describe('spotifyIds in the tracking config', () => {
  it('refuses an id listed for two songs, or twice for one', () => {
    const result = layover((c) => {
      track(c, 'blue').spotifyIds = [
        '5ydjxBSUIDn26MFzU3asP4',
        'BlueBlueBlueBlueBlue01',
        'BlueBlueBlueBlueBlue01',
      ];
    });
    expect(result.problems).toEqual([
      'cfg.json: albums[0].tracks[1].spotifyIds[0]: spotifyId "5ydjxBSUIDn26MFzU3asP4" is already used by track "rainy-days"',
      'cfg.json: albums[0].tracks[1].spotifyIds[2]: spotifyId "BlueBlueBlueBlueBlue01" is listed twice for this track',
    ]);
  });

  it('refuses an empty list', () => {
    expect(layover((c) => void (track(c, 'blue').spotifyIds = [])).problems).toEqual([
      'cfg.json: albums[0].tracks[1].spotifyIds: list at least one id, or leave spotifyIds out',
    ]);
  });
});
