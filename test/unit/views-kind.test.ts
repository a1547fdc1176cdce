import { parseTweet } from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { cardAltText } from '../../src/cards/card-text.js';
import { readSubjects } from '../../src/milestones/readings.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import {
  snapshotFingerprint,
  toSnapshotRecord,
  fromSnapshotRecord,
} from '../../src/snapshots/snapshot-record.js';
import { formatIssues, trackingConfigSchema, type TrackingConfigInput } from '../../src/tracking/schema.js';
import { buildTracking, type Tracking } from '../../src/tracking/tracking.js';
import { replay, snapshotFor } from '../helpers/engine-fixtures.js';
import { layoverConfig, milestone } from '../helpers/posts-fixtures.js';

/** Placeholder YouTube ids (11 characters), not real videos. */
const mvYoutubeId = 'exampleMV01';
const liveYoutubeId = 'exampleLV02';

function configWith(videos: unknown): TrackingConfigInput {
  return { ...layoverConfig, videos } as TrackingConfigInput;
}

function problemsOf(config: TrackingConfigInput): string[] {
  const result = trackingConfigSchema.safeParse(config);
  return result.success ? [] : formatIssues(result.error);
}

const twoVideos = [
  {
    id: 'slow-dancing-mv',
    title: 'Slow Dancing MV',
    youtubeId: mvYoutubeId,
    trackId: 'slow-dancing',
    releasedAt: '2023-09-08T13:00:00+09:00',
  },
  {
    id: 'layover-live',
    title: 'Layover live clip',
    youtubeId: liveYoutubeId,
    albumId: 'layover',
    releasedAt: '2023-09-20T18:00:00+09:00',
  },
];

const tracking: Tracking = buildTracking(trackingConfigSchema.parse(configWith(twoVideos)));

function at(day: number): string {
  return `2023-09-${String(8 + day).padStart(2, '0')}T23:00:00+09:00`;
}

describe('videos in the tracking config', () => {
  it('accepts videos attached to a song or an album, and resolves the album of a song', () => {
    expect(problemsOf(configWith(twoVideos))).toEqual([]);
    expect(tracking.videosById.get('slow-dancing-mv')).toMatchObject({
      trackId: 'slow-dancing',
      albumId: 'layover',
    });
    expect(tracking.videosById.get('layover-live')).toMatchObject({ trackId: null, albumId: 'layover' });
    expect(tracking.videoKeyToId.get(mvYoutubeId)).toBe('slow-dancing-mv');
  });

  it('names every bad video field: ids, YouTube ids, unknown songs and albums, both attachments', () => {
    const problems = problemsOf(
      configWith([
        { ...twoVideos[0], id: 'blue' },
        { ...twoVideos[1], youtubeId: 'short' },
        { ...twoVideos[1], id: 'x', trackId: 'nope', albumId: undefined },
        { ...twoVideos[1], id: 'y', albumId: 'nope' },
        { ...twoVideos[0], id: 'z', albumId: 'layover' },
        { ...twoVideos[1], id: 'blue-2', youtubeId: mvYoutubeId },
        { ...twoVideos[1], id: 'x' },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'videos[0].id: id "blue" is already a track id',
        expect.stringMatching(/^videos\[1\]\.youtubeId: must be a YouTube video id/),
        'videos[2].trackId: no track with id "nope"',
        'videos[3].albumId: no album with id "nope"',
        expect.stringMatching(/^videos\[4\]\.albumId: give trackId or albumId, not both/),
        'videos[5].youtubeId: youtubeId "exampleMV01" is already used by video "blue"',
        'videos[6].id: duplicate video id "x"',
      ]),
    );
  });

  it('takes a views ladder and views records like any kind', () => {
    const result = trackingConfigSchema.safeParse({
      ...configWith(twoVideos),
      milestones: { ...layoverConfig.milestones, views: [{ every: 0 }] },
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(formatIssues(result.error)[0]).toMatch(/^milestones\.views\[0\]\.every: /);
  });
});

describe('views in a snapshot', () => {
  const trackings = new Map([['v', tracking]]);

  it('maps video ids and YouTube ids to videos, ignores unknown keys and needs no tracks', () => {
    const parsed = snapshotSchema.parse({
      capturedAt: at(1),
      views: { [mvYoutubeId]: 5, 'layover-live': 7, someOtherVideo: 9 },
    });
    const result = normalizeSnapshot(parsed, trackings);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect([...result.snapshot.views]).toEqual([
      ['slow-dancing-mv', 5],
      ['layover-live', 7],
    ]);
    expect(result.snapshot.ignoredVideoKeys).toBe(1);
    expect(result.snapshot.tracks.size).toBe(0);
  });

  it('validates counts like the others, naming the path', () => {
    const parsed = snapshotSchema.safeParse({ capturedAt: at(1), views: { [mvYoutubeId]: -1 } });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.path).toEqual(['views', mvYoutubeId]);
    const fractional = snapshotSchema.safeParse({ capturedAt: at(1), views: { a: 1.5 } });
    expect(fractional.success).toBe(false);
  });

  it('refuses two keys of one video with different counts', () => {
    const parsed = snapshotSchema.parse({
      capturedAt: at(1),
      views: { [mvYoutubeId]: 5, 'slow-dancing-mv': 6 },
    });
    const result = normalizeSnapshot(parsed, trackings);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('views.slow-dancing-mv');
  });

  it('survives admission, and the views are part of the fingerprint', () => {
    const snapshot = snapshotFor(tracking, { capturedAt: at(1), views: { 'slow-dancing-mv': 5 } });
    const record = toSnapshotRecord(snapshot);
    expect(record.views).toEqual({ 'slow-dancing-mv': 5 });
    expect([...fromSnapshotRecord(record).views]).toEqual([['slow-dancing-mv', 5]]);
    const other = toSnapshotRecord(
      snapshotFor(tracking, { capturedAt: at(1), views: { 'slow-dancing-mv': 6 } }),
    );
    const none = toSnapshotRecord(snapshotFor(tracking, { capturedAt: at(1), followers: 5 }));
    expect(snapshotFingerprint(other)).not.toBe(snapshotFingerprint(record));
    expect(snapshotFingerprint(none)).not.toBe(snapshotFingerprint(record));
  });
});

describe('views milestones', () => {
  it('reads one subject per configured video in the snapshot, keyed views:<videoId>', () => {
    const readings = readSubjects(
      tracking,
      snapshotFor(tracking, { capturedAt: at(1), views: { [liveYoutubeId]: 12_000_000 } }),
    );
    expect(readings).toEqual([
      {
        key: 'views:layover-live',
        kind: 'views',
        albumId: 'layover',
        trackId: null,
        videoId: 'layover-live',
        value: 12_000_000,
        floor: 10_000_000,
        lastTrackId: null,
      },
    ]);
  });

  it('announces the highest newly passed threshold once, days counted from the video’s own release', () => {
    const { milestones } = replay(tracking, [
      { capturedAt: at(0), views: { 'slow-dancing-mv': 4_000_000, 'layover-live': 1_000 } },
      { capturedAt: at(3), views: { 'slow-dancing-mv': 31_000_000 } },
      { capturedAt: at(20), views: { 'slow-dancing-mv': 29_000_000, 'layover-live': 10_500_000 } },
      { capturedAt: at(21), views: { 'slow-dancing-mv': 31_500_000 } },
    ]);
    expect(milestones.map((m) => [m.id, m.videoId, m.trackId, m.albumId, m.daysSinceRelease])).toEqual([
      ['v/views:slow-dancing-mv/30000000', 'slow-dancing-mv', 'slow-dancing', 'layover', 3],
      // Released 2023-09-20: day 8 on 2023-09-28, not the album's 20.
      ['v/views:layover-live/10000000', 'layover-live', null, 'layover', 8],
    ]);
  });

  it('carries a views record it breaks', () => {
    const withRecord = buildTracking(
      trackingConfigSchema.parse({
        ...configWith(twoVideos),
        records: [
          { kind: 'views', threshold: 100_000_000, days: 10, holder: 'an earlier MV', title: 'fastest MV' },
        ],
      }),
    );
    const { milestones } = replay(withRecord, [
      { capturedAt: at(0), views: { 'slow-dancing-mv': 40_000_000 } },
      { capturedAt: at(5), views: { 'slow-dancing-mv': 101_000_000 } },
    ]);
    expect(milestones).toHaveLength(1);
    expect(milestones[0]?.record).toEqual({ title: 'fastest MV', holder: 'an earlier MV', previousDays: 10 });
  });

  it('leaves videoId null for the other kinds', () => {
    const { milestones } = replay(tracking, [
      { capturedAt: at(0), followers: 1_500_000 },
      { capturedAt: at(1), followers: 2_100_000 },
    ]);
    expect(milestones.map((m) => [m.kind, m.videoId])).toEqual([['followers', null]]);
  });
});

describe('views posts and cards', () => {
  const mv = milestone('views', { threshold: 100_000_000, value: 100_456_789, daysSinceRelease: 40 });

  it('names the video and YouTube views in every language and platform, within the limits', () => {
    for (const language of ['en', 'ko'] as const) {
      const posts = renderPosts(mv, tracking, { language });
      expect(posts.x).toContain('Slow Dancing MV');
      expect(posts.discord.content).toContain('Slow Dancing MV');
      expect(parseTweet(posts.x).valid).toBe(true);
      expect(posts.x).toMatch(
        language === 'en' ? /views (for Slow Dancing MV )?on YouTube/ : /유튜브 조회수/,
      );
      expect(posts.discord.embed?.title).toMatch(
        language === 'en' ? /^Slow Dancing MV · .* views$/ : /조회수/,
      );
      expect(posts.x).not.toMatch(/Spotify|스포티파이/);
    }
  });

  it('gives the card an alt text about the video', () => {
    expect(cardAltText(mv, tracking, 'en')).toContain(
      'Slow Dancing MV by V passed 100 million views on YouTube',
    );
    expect(cardAltText(mv, tracking, 'ko')).toContain('유튜브 조회수');
  });
});
