import { describe, expect, it } from 'vitest';
import { brokenRecord, buildMilestone, milestoneId } from '../../src/milestones/build-milestone.js';
import { readSubjects } from '../../src/milestones/readings.js';
import type { TrackingConfigInput } from '../../src/tracking/schema.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import { smallConfig, snapshotFor, trackingFrom } from '../helpers/engine-fixtures.js';

function withRecords(
  records: NonNullable<TrackingConfigInput['records']>,
  extra?: (c: TrackingConfigInput) => void,
) {
  const config = smallConfig();
  config.records = records;
  extra?.(config);
  return trackingFrom(config);
}

/** The milestone a subject would announce at `threshold` from this snapshot. */
function milestoneFor(tracking: Tracking, raw: object, key: string, threshold: number) {
  const snapshot = snapshotFor(tracking, raw);
  const reading = readSubjects(tracking, snapshot).find((r) => r.key === key);
  if (reading === undefined) throw new Error(`no reading ${key}`);
  return buildMilestone(tracking, snapshot, reading, threshold);
}

const full = (capturedAt: string) => ({
  capturedAt,
  tracks: { pre: 95, b: 40, c: 41 },
  artistStreams: 1_500,
  followers: 15_720,
});

describe('buildMilestone', () => {
  const tracking = trackingFrom(smallConfig());

  it('builds the replay output fields for an album milestone', () => {
    expect(milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'album:first', 150)).toEqual({
      id: 'v/album:first/150',
      artistId: 'v',
      kind: 'album',
      albumId: 'first',
      trackId: null,
      videoId: null,
      threshold: 150,
      value: 176,
      observedAt: '2023-10-11T23:00:00+09:00',
      daysSinceRelease: 33,
      lastTrackId: null,
      record: null,
    });
  });

  it('gives a track its album id and counts a pre-release track from its own date', () => {
    const pre = milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'track:pre', 90);
    expect(pre).toMatchObject({ kind: 'track', albumId: 'first', trackId: 'pre', daysSinceRelease: 61 });
    const b = milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'track:b', 40);
    expect(b.daysSinceRelease).toBe(33);
  });

  it('counts a pre-release track even before its album is out', () => {
    const early = milestoneFor(
      tracking,
      { capturedAt: '2023-08-20T23:00:00+09:00', tracks: { pre: 12 } },
      'track:pre',
      10,
    );
    expect(early.daysSinceRelease).toBe(9);
  });

  it('gives artist and followers no album, and counts them from the latest album out', () => {
    const artist = milestoneFor(tracking, full('2023-10-21T23:00:00+09:00'), 'artist', 1_500);
    expect(artist).toMatchObject({ albumId: null, trackId: null, daysSinceRelease: 43, id: 'v/artist/1500' });
    const followers = milestoneFor(tracking, full('2023-10-23T23:00:00+09:00'), 'followers', 15_000);
    expect(followers).toMatchObject({ albumId: null, daysSinceRelease: 45 });
  });

  it('gives artist and followers null days before any album is out', () => {
    const before = milestoneFor(
      tracking,
      { capturedAt: '2023-08-20T23:00:00+09:00', tracks: {}, artistStreams: 900, followers: 14_000 },
      'artist',
      900,
    );
    expect(before.daysSinceRelease).toBeNull();
  });

  it('carries lastTrackId on allTracks', () => {
    expect(milestoneFor(tracking, full('2023-10-25T23:00:00+09:00'), 'allTracks:first', 40).lastTrackId).toBe(
      'b',
    );
  });

  it('makes ids from artist, subject and threshold', () => {
    expect(milestoneId('v', 'allTracks:layover', 50_000_000)).toBe('v/allTracks:layover/50000000');
  });
});

describe('records', () => {
  const face = { kind: 'album' as const, threshold: 500, days: 58, holder: 'FACE', title: 'fastest to 500' };

  it('carries a record with the same kind and threshold that took longer', () => {
    const tracking = withRecords([face]);
    expect(milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'album:first', 500).record).toEqual({
      title: 'fastest to 500',
      holder: 'FACE',
      previousDays: 58,
    });
  });

  it('does not carry a record that was as fast or faster', () => {
    const tracking = withRecords([face]);
    // 58 days after 2023-09-08 is 2023-11-05.
    expect(milestoneFor(tracking, full('2023-11-05T23:00:00+09:00'), 'album:first', 500).record).toBeNull();
    expect(
      milestoneFor(tracking, full('2023-11-04T23:00:00+09:00'), 'album:first', 500).record,
    ).not.toBeNull();
  });

  it('does not carry a record of another kind or threshold', () => {
    const tracking = withRecords([
      { ...face, threshold: 550 },
      { ...face, kind: 'allTracks' },
    ]);
    expect(milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'album:first', 500).record).toBeNull();
  });

  it('applies an albumId-scoped record only to that album', () => {
    const tracking = withRecords([{ ...face, albumId: 'second' }], (c) => {
      c.albums.push({
        id: 'second',
        title: 'Second',
        releasedAt: '2024-03-15T13:00:00+09:00',
        tracks: [{ id: 'x', title: 'X' }],
      });
    });
    expect(milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'album:first', 500).record).toBeNull();
    const second = milestoneFor(
      tracking,
      { capturedAt: '2024-04-01T23:00:00+09:00', tracks: { x: 510 } },
      'album:second',
      500,
    );
    expect(second).toMatchObject({ daysSinceRelease: 17, record: { holder: 'FACE', previousDays: 58 } });
  });

  it('applies an albumId-scoped track record to the tracks of that album', () => {
    const tracking = withRecords([
      { kind: 'track', threshold: 90, days: 100, holder: 'Like Crazy', title: 't', albumId: 'first' },
    ]);
    expect(milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'track:pre', 90).record).toMatchObject({
      holder: 'Like Crazy',
    });
  });

  it('picks the fastest of several records it beats', () => {
    const tracking = withRecords([
      { ...face, days: 90, holder: 'Slow' },
      { ...face, days: 40, holder: 'Quick' },
      { ...face, days: 20, holder: 'Quicker than us' },
    ]);
    expect(milestoneFor(tracking, full('2023-10-11T23:00:00+09:00'), 'album:first', 500).record?.holder).toBe(
      'Quick',
    );
  });

  it('carries no record when the milestone has no day count', () => {
    const tracking = withRecords([{ ...face, kind: 'artist', threshold: 900 }]);
    expect(brokenRecord(tracking, { kind: 'artist', albumId: null }, 900, null)).toBeNull();
    expect(brokenRecord(tracking, { kind: 'artist', albumId: null }, 900, 3)).not.toBeNull();
  });
});
