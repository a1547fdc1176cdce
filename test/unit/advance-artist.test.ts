import { describe, expect, it } from 'vitest';
import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState } from '../../src/milestones/types.js';
import {
  describeMilestone,
  replay,
  smallConfig,
  snapshotFor,
  trackingFrom,
} from '../helpers/engine-fixtures.js';

const tracking = trackingFrom(smallConfig());

/** A daily 23:00 KST snapshot `day` days after 2023-09-08. */
function day(n: number, fields: Record<string, unknown>) {
  const date = new Date(Date.UTC(2023, 8, 8 + n)).toISOString().slice(0, 10);
  return { capturedAt: `${date}T23:00:00+09:00`, tracks: {}, ...fields };
}

/** Subject key -> highest reached threshold. */
function reachedOf(state: ArtistState): Map<string, number> {
  return new Map([...state.subjects].map(([key, subject]) => [key, subject[0]]));
}

describe('advanceArtist: the rules engine step', () => {
  it('announces nothing on the first sighting and marks every threshold at or below it reached', () => {
    const result = replay(tracking, [
      day(0, { tracks: { pre: 57, b: 3, c: 12 }, artistStreams: 1_003, followers: 15_100 }),
    ]);
    expect(result.milestones).toEqual([]);
    expect(Object.fromEntries(reachedOf(result.state))).toEqual({
      'album:first': 0,
      'allTracks:first': 0,
      artist: 1_000,
      'track:pre': 50,
      'track:b': 0,
      'track:c': 10,
      followers: 15_000,
    });
  });

  it('announces the first threshold of a subject first seen below it', () => {
    const result = replay(tracking, [day(0, { tracks: { b: 3 } }), day(1, { tracks: { b: 11 } })]);
    expect(result.milestones.map(describeMilestone)).toEqual(['track b 10 @1']);
  });

  it('announces only the highest threshold passed in one jump, and the skipped ones never', () => {
    const result = replay(tracking, [
      day(0, { tracks: { pre: 5 } }),
      day(1, { tracks: { pre: 38 } }),
      day(2, { tracks: { pre: 39 } }),
      day(3, { tracks: { pre: 41 } }),
      day(4, { tracks: { pre: 180 } }),
    ]);
    expect(result.perSnapshot.map((ms) => ms.map((m) => m.threshold))).toEqual([[], [30], [], [40], [150]]);
    expect(reachedOf(result.state).get('track:pre')).toBe(150);
  });

  it('announces nothing when a value dips and comes back, then announces the next threshold', () => {
    const result = replay(tracking, [
      day(0, { tracks: { c: 35 } }),
      day(1, { tracks: { c: 42 } }),
      day(2, { tracks: { c: 38 } }),
      day(3, { tracks: { c: 44 } }),
      day(4, { tracks: { c: 30 } }),
      day(5, { tracks: { c: 49 } }),
      day(6, { tracks: { c: 50 } }),
    ]);
    expect(result.perSnapshot.map((ms) => ms.map((m) => m.threshold))).toEqual([
      [],
      [40],
      [],
      [],
      [],
      [],
      [50],
    ]);
    expect(reachedOf(result.state).get('track:c')).toBe(50);
  });

  it('ignores a value captured at or before the newest one applied to its subject, and an exact repeat', () => {
    const first = replay(tracking, [day(0, { tracks: { b: 5 } }), day(2, { tracks: { b: 15 } })]);
    const late = advanceArtist(tracking, first.state, snapshotFor(tracking, day(1, { tracks: { b: 25 } })));
    expect(late).toMatchObject({ status: 'stale', milestones: [], outcomes: [] });
    expect(late.state).toBe(first.state);
    const repeat = advanceArtist(tracking, first.state, snapshotFor(tracking, day(2, { tracks: { b: 35 } })));
    expect(repeat.status).toBe('stale');
    expect(repeat.state).toBe(first.state);
  });

  it('keeps staleness per subject: an older snapshot still applies to subjects it is the newest for', () => {
    // Tracks come daily from one source, followers from another that is a day behind.
    const first = replay(tracking, [day(2, { tracks: { b: 15 } })]);
    const late = advanceArtist(
      tracking,
      first.state,
      snapshotFor(tracking, day(1, { tracks: { b: 25 }, followers: 15_000 })),
    );
    expect(late.status).toBe('applied');
    expect(late.outcomes.map((o) => o.key)).toEqual(['followers']);
    expect(late.state.subjects.get('track:b')).toBe(first.state.subjects.get('track:b'));
    expect(late.state.subjects.get('followers')?.[4]).toBe(Date.parse('2023-09-09T14:00:00Z'));
    // The artist's newest applied instant stays the later one.
    expect(late.state.lastAppliedMs).toBe(Date.parse('2023-09-10T14:00:00Z'));
    const next = advanceArtist(tracking, late.state, snapshotFor(tracking, day(3, { followers: 16_100 })));
    expect(next.milestones.map((m) => m.id)).toEqual(['v/followers/16000']);
  });

  it('announces from a late value of a subject that was behind, without touching the others', () => {
    const first = replay(tracking, [day(0, { tracks: { b: 5, c: 5 } }), day(3, { tracks: { c: 31 } })]);
    // Day 2 arrives after day 3: c is stale (31 at day 3 is newer), b is not.
    const late = advanceArtist(
      tracking,
      first.state,
      snapshotFor(tracking, day(2, { tracks: { b: 22, c: 28 } })),
    );
    expect(late.milestones.map((m) => `${m.id} @${m.daysSinceRelease}`)).toEqual(['v/track:b/20 @2']);
    expect(reachedOf(late.state).get('track:c')).toBe(30);
  });

  it('treats the same instant written with another offset as a repeat', () => {
    const first = replay(tracking, [day(0, { tracks: { b: 5 } })]);
    const sameInstant = { capturedAt: '2023-09-08T14:00:00Z', tracks: { b: 25 } };
    expect(advanceArtist(tracking, first.state, snapshotFor(tracking, sameInstant)).status).toBe('stale');
    const oneMsLater = { capturedAt: '2023-09-08T14:00:00.001Z', tracks: { b: 25 } };
    expect(advanceArtist(tracking, first.state, snapshotFor(tracking, oneMsLater)).status).toBe('applied');
  });

  it('records the newest applied instant even when a snapshot announces nothing', () => {
    const result = replay(tracking, [day(0, { tracks: {} })]);
    expect(result.state.lastAppliedMs).toBe(Date.parse('2023-09-08T14:00:00Z'));
  });

  it('does not change the state it was given', () => {
    const before = replay(tracking, [day(0, { tracks: { b: 5 } })]).state;
    const copy = new Map(before.subjects);
    advanceArtist(tracking, before, snapshotFor(tracking, day(1, { tracks: { b: 25, c: 3 } })));
    expect(before.subjects).toEqual(copy);
  });

  it('reads album and allTracks only from snapshots holding every track: the first full one is their baseline', () => {
    const result = replay(tracking, [
      day(0, { tracks: { pre: 30, b: 20 } }),
      day(1, { tracks: { pre: 40, b: 30, c: 25 } }),
      day(2, { tracks: { pre: 50, b: 50 } }),
      day(3, { tracks: { pre: 60, b: 55, c: 31 } }),
    ]);
    expect(result.milestones.map(describeMilestone)).toEqual([
      'track pre 40 @29',
      'track b 30 @1',
      'track pre 50 @30',
      'track b 50 @2',
      'album first 100 @3',
      'allTracks first 30 @3',
      'track pre 60 @31',
      'track c 30 @3',
    ]);
    expect(result.milestones.find((m) => m.kind === 'allTracks')?.lastTrackId).toBe('c');
  });

  it('names the track that completed an allTracks milestone, the smaller id on a tie', () => {
    const result = replay(tracking, [
      day(0, { tracks: { pre: 95, b: 45, c: 48 } }),
      day(1, { tracks: { pre: 96, b: 52, c: 50 } }),
      day(2, { tracks: { pre: 97, b: 60, c: 61 } }),
    ]);
    const allTracks = result.milestones.filter((m) => m.kind === 'allTracks');
    expect(allTracks.map((m) => [m.threshold, m.lastTrackId, m.value])).toEqual([
      [50, 'c', 50],
      [60, 'b', 60],
    ]);
    const tie = replay(tracking, [
      day(0, { tracks: { pre: 95, b: 45, c: 48 } }),
      day(1, { tracks: { pre: 96, b: 50, c: 50 } }),
    ]);
    expect(tie.milestones.find((m) => m.kind === 'allTracks')?.lastTrackId).toBe('b');
  });

  it('counts a New York late-evening snapshot by the Seoul date it already is', () => {
    const result = replay(tracking, [
      day(0, { tracks: { b: 5 } }),
      { capturedAt: '2023-10-10T23:30:00-04:00', tracks: { b: 40 } },
    ]);
    expect(result.milestones.map(describeMilestone)).toEqual(['track b 40 @33']);
  });

  it('carries a broken record, and no record once the record time has passed', () => {
    const config = smallConfig();
    config.records = [
      { kind: 'album', threshold: 500, days: 58, holder: 'FACE', title: 'fastest album to 500' },
      { kind: 'album', threshold: 550, days: 30, holder: 'Someone', title: 'fastest album to 550' },
    ];
    const withRecords = trackingFrom(config);
    const result = replay(withRecords, [
      day(0, { tracks: { pre: 100, b: 100, c: 100 } }),
      day(33, { tracks: { pre: 200, b: 160, c: 150 } }),
      day(41, { tracks: { pre: 210, b: 170, c: 170 } }),
    ]);
    expect(
      result.milestones
        .filter((m) => m.kind === 'album')
        .map((m) => [m.threshold, m.daysSinceRelease, m.record?.holder ?? null]),
    ).toEqual([
      [500, 33, 'FACE'],
      [550, 41, null],
    ]);
  });

  it('counts artist and followers from the latest album out at capturedAt, and null before any', () => {
    const config = smallConfig();
    config.albums.push({
      id: 'second',
      title: 'Second',
      releasedAt: '2024-03-15T13:00:00+09:00',
      tracks: [{ id: 'x', title: 'X' }],
    });
    const two = trackingFrom(config);
    const result = replay(two, [
      { capturedAt: '2023-08-01T23:00:00+09:00', tracks: {}, artistStreams: 50, followers: 500 },
      { capturedAt: '2023-08-20T23:00:00+09:00', tracks: {}, artistStreams: 150, followers: 1_200 },
      { capturedAt: '2023-10-21T23:00:00+09:00', tracks: {}, artistStreams: 250, followers: 2_000 },
      { capturedAt: '2024-03-16T23:00:00+09:00', tracks: {}, artistStreams: 1_600, followers: 3_000 },
    ]);
    expect(result.milestones.map(describeMilestone)).toEqual([
      'artist v 100 @null',
      'followers v 1000 @null',
      'artist v 200 @43',
      'followers v 2000 @43',
      'artist v 1500 @1',
      'followers v 3000 @1',
    ]);
  });

  it('announces in a fixed order: album, allTracks, artist, tracks in album order, followers', () => {
    const result = replay(tracking, [
      day(0, { tracks: { pre: 5, b: 5, c: 5 }, artistStreams: 5, followers: 5 }),
      day(1, { tracks: { c: 40, b: 40, pre: 40 }, artistStreams: 500, followers: 5_000 }),
    ]);
    expect(result.milestones.map((m) => m.id)).toEqual([
      'v/album:first/100',
      'v/allTracks:first/40',
      'v/artist/500',
      'v/track:pre/40',
      'v/track:b/40',
      'v/track:c/40',
      'v/followers/5000',
    ]);
  });

  it('announces nothing for a kind without a ladder, however far it moves', () => {
    const config = smallConfig();
    config.milestones = { track: [{ every: 10 }] };
    const tracksOnly = trackingFrom(config);
    const result = replay(tracksOnly, [
      day(0, { tracks: { pre: 5, b: 5, c: 5 }, artistStreams: 5, followers: 5 }),
      day(1, { tracks: { pre: 6, b: 6, c: 11 }, artistStreams: 5_000, followers: 5_000 }),
    ]);
    expect(result.milestones.map((m) => m.id)).toEqual(['v/track:c/10']);
  });

  it('starts from the empty state', () => {
    expect(emptyArtistState).toEqual({ lastAppliedMs: null, subjects: new Map() });
  });
});
