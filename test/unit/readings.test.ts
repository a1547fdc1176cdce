import { describe, expect, it } from 'vitest';
import { readSubjects } from '../../src/milestones/readings.js';
import { smallConfig, snapshotFor, trackingFrom } from '../helpers/engine-fixtures.js';

const at = '2023-10-11T23:00:00+09:00';

describe('readSubjects (subjects)', () => {
  const tracking = trackingFrom(smallConfig());

  it('reads album, allTracks, artist, each track and followers, in announcement order', () => {
    const readings = readSubjects(
      tracking,
      snapshotFor(tracking, {
        capturedAt: at,
        tracks: { pre: 85, b: 40, c: 41 },
        artistStreams: 1_234,
        followers: 15_720,
      }),
    );
    expect(readings.map((r) => [r.key, r.value, r.floor])).toEqual([
      ['album:first', 166, 100],
      ['allTracks:first', 40, 40],
      ['artist', 1_234, 1_000],
      ['track:pre', 85, 80],
      ['track:b', 40, 40],
      ['track:c', 41, 40],
      ['followers', 15_720, 15_000],
    ]);
    expect(readings.find((r) => r.key === 'track:c')).toMatchObject({
      kind: 'track',
      albumId: 'first',
      trackId: 'c',
    });
    expect(readings.find((r) => r.key === 'artist')).toMatchObject({ albumId: null, trackId: null });
  });

  it('reads no album or allTracks subject from a snapshot missing one of its tracks', () => {
    const readings = readSubjects(
      tracking,
      snapshotFor(tracking, { capturedAt: at, tracks: { pre: 85, c: 41 } }),
    );
    expect(readings.map((r) => r.key)).toEqual(['track:pre', 'track:c']);
  });

  it('reads artist and followers only when the snapshot carries them', () => {
    const readings = readSubjects(
      tracking,
      snapshotFor(tracking, { capturedAt: at, tracks: {}, followers: 3 }),
    );
    expect(readings.map((r) => r.key)).toEqual(['followers']);
  });

  it('reads nothing for a kind without a ladder', () => {
    const config = smallConfig();
    config.milestones = { allTracks: [{ every: 10 }], followers: [{ every: 1000 }] };
    const bare = trackingFrom(config);
    const readings = readSubjects(
      bare,
      snapshotFor(bare, {
        capturedAt: at,
        tracks: { pre: 85, b: 40, c: 41 },
        artistStreams: 9,
        followers: 9,
      }),
    );
    expect(readings.map((r) => r.key)).toEqual(['allTracks:first', 'followers']);
  });

  it('names the lowest track as lastTrackId on the allTracks reading only', () => {
    const readings = readSubjects(
      tracking,
      snapshotFor(tracking, { capturedAt: at, tracks: { pre: 85, b: 52, c: 51 } }),
    );
    expect(readings.find((r) => r.kind === 'allTracks')).toMatchObject({
      value: 51,
      floor: 50,
      lastTrackId: 'c',
    });
    expect(readings.filter((r) => r.kind !== 'allTracks').every((r) => r.lastTrackId === null)).toBe(true);
  });

  it('breaks a tie for the lowest track by the smaller id, not by album order', () => {
    const config = smallConfig();
    config.albums[0]!.tracks = [
      { id: 'zeta', title: 'Zeta' },
      { id: 'mid', title: 'Mid' },
      { id: 'alpha', title: 'Alpha' },
    ];
    const tied = trackingFrom(config);
    const read = (tracks: Record<string, number>) =>
      readSubjects(tied, snapshotFor(tied, { capturedAt: at, tracks })).find((r) => r.kind === 'allTracks');
    expect(read({ zeta: 50, mid: 60, alpha: 50 })?.lastTrackId).toBe('alpha');
    expect(read({ zeta: 50, mid: 50, alpha: 70 })?.lastTrackId).toBe('mid');
    expect(read({ zeta: 49, mid: 50, alpha: 50 })?.lastTrackId).toBe('zeta');
  });

  it('reads each album of a multi-album config on its own', () => {
    const config = smallConfig();
    config.albums.push({
      id: 'second',
      title: 'Second',
      releasedAt: '2024-03-15T13:00:00+09:00',
      tracks: [{ id: 'x', title: 'X' }],
    });
    const two = trackingFrom(config);
    const readings = readSubjects(two, snapshotFor(two, { capturedAt: at, tracks: { x: 120 } }));
    expect(readings.map((r) => [r.key, r.value])).toEqual([
      ['album:second', 120],
      ['allTracks:second', 120],
      ['track:x', 120],
    ]);
  });
});
