import type { Milestone, MilestoneKind } from '../../src/milestones/types.js';
import { trackingConfigSchema, type TrackingConfigInput } from '../../src/tracking/schema.js';
import { buildTracking, type Tracking } from '../../src/tracking/tracking.js';
import type { TemplateSet } from '../../src/posts/template-store.js';

/** The Layover config (config/layover.json, with the published figures), inline so that post tests do not move with config edits. */
export const layoverConfig: TrackingConfigInput = {
  artist: { id: 'v', name: 'V', callName: 'Taehyung', hashtags: ['#V', '#Layover'] },
  timezone: 'Asia/Seoul',
  albums: [
    {
      id: 'layover',
      title: 'Layover',
      releasedAt: '2023-09-08T13:00:00+09:00',
      tracks: [
        { id: 'rainy-days', title: 'Rainy Days', releasedAt: '2023-08-11T13:00:00+09:00' },
        { id: 'blue', title: 'Blue' },
        { id: 'love-me-again', title: 'Love Me Again', releasedAt: '2023-08-11T13:00:00+09:00' },
        { id: 'slow-dancing', title: 'Slow Dancing' },
        { id: 'for-us', title: 'For Us' },
        { id: 'slow-dancing-piano', title: 'Slow Dancing (Piano Ver.)' },
      ],
    },
  ],
  // A test placeholder, not the real video's YouTube id.
  videos: [
    {
      id: 'slow-dancing-mv',
      title: 'Slow Dancing MV',
      youtubeId: 'exampleMV01',
      trackId: 'slow-dancing',
      releasedAt: '2023-09-08T13:00:00+09:00',
    },
  ],
  milestones: {
    track: [{ every: 10_000_000, until: 100_000_000 }, { every: 50_000_000 }],
    album: [{ every: 100_000_000, until: 500_000_000 }, { every: 50_000_000 }],
    allTracks: [{ every: 10_000_000 }],
    artist: [{ every: 100_000_000, until: 1_000_000_000 }, { every: 500_000_000 }],
    followers: [{ every: 1_000_000 }],
    views: [{ every: 10_000_000, until: 100_000_000 }, { every: 50_000_000 }],
  },
  records: [
    {
      kind: 'album',
      threshold: 500_000_000,
      days: 58,
      holder: 'FACE',
      title: 'fastest K-pop solo album to 500 million Spotify streams',
    },
  ],
};

export function trackingFrom(config: TrackingConfigInput): Tracking {
  return buildTracking(trackingConfigSchema.parse(config));
}

export const layover = trackingFrom(layoverConfig);

/** Titles at the far end of what configs hold: very long, Korean with emoji, and markdown/mention bait. */
export const longTitles = trackingFrom({
  ...layoverConfig,
  artist: {
    id: 'v',
    name: 'V (뷔) 🐯',
    callName: '태형',
    hashtags: ['#V', '#Layover', '#뷔', '#LayoverIsComing', '#KimTaehyung', '#김태형', '#V_Layover_Forever'],
  },
  albums: [
    {
      id: 'layover',
      title:
        'Layover: The Complete Collection of Rainy Afternoons, Slow Dances and Quiet Nights 💜 (Deluxe Anniversary Edition)',
      releasedAt: '2023-09-08T13:00:00+09:00',
      tracks: [
        {
          id: 'rainy-days',
          title:
            '비 오는 날 (Rainy Days) 🌧️ 어쿠스틱 피아노 버전 — 다시 만난 그 여름밤의 기억을 담은 특별한 노래',
          releasedAt: '2023-08-11T13:00:00+09:00',
        },
        {
          id: 'blue',
          title:
            'Blue (Extended Orchestral Version with Strings, Choir and a Very Long Subtitle That Keeps Going On and On)',
        },
        { id: 'slow-dancing', title: 'Slow *Dancing* @everyone _mix_' },
      ],
    },
  ],
  records: [
    {
      kind: 'album',
      threshold: 500_000_000,
      days: 58,
      holder: 'FACE (Jimin), the previous record holder among K-pop soloists',
      title:
        'fastest K-pop solo album to 500 million Spotify streams in the history of the platform, counting every market',
    },
  ],
});

const subjectOf: Record<
  MilestoneKind,
  { albumId: string | null; trackId: string | null; videoId: string | null; key: string }
> = {
  track: { albumId: 'layover', trackId: 'rainy-days', videoId: null, key: 'track:rainy-days' },
  album: { albumId: 'layover', trackId: null, videoId: null, key: 'album:layover' },
  allTracks: { albumId: 'layover', trackId: null, videoId: null, key: 'allTracks:layover' },
  artist: { albumId: null, trackId: null, videoId: null, key: 'artist' },
  followers: { albumId: null, trackId: null, videoId: null, key: 'followers' },
  views: {
    albumId: 'layover',
    trackId: 'slow-dancing',
    videoId: 'slow-dancing-mv',
    key: 'views:slow-dancing-mv',
  },
};

/** A milestone of `kind` for the Layover fixtures; the id follows the engine's `<artist>/<subject>/<threshold>`. */
export function milestone(kind: MilestoneKind, fields: Partial<Milestone> = {}): Milestone {
  const subject = subjectOf[kind];
  const threshold = fields.threshold ?? 50_000_000;
  return {
    id: `v/${subject.key}/${threshold}`,
    artistId: 'v',
    kind,
    albumId: subject.albumId,
    trackId: subject.trackId,
    videoId: subject.videoId,
    threshold,
    value: threshold + 1_234_567,
    observedAt: '2023-10-11T23:00:00+09:00',
    daysSinceRelease: 33,
    lastTrackId: kind === 'allTracks' ? 'blue' : null,
    record: null,
    ...fields,
  };
}

export const sampleRecord = {
  title: 'fastest K-pop solo album to 500 million Spotify streams',
  holder: 'FACE',
  previousDays: 58,
} as const;

/** The same template set with only variant `index` (modulo each list's length) left for every kind. */
export function onlyVariant<P extends string>(set: TemplateSet<P>, index: number): TemplateSet<P> {
  const pick = (lists: Record<MilestoneKind, readonly string[]>) =>
    Object.fromEntries(
      Object.entries(lists).map(([kind, variants]) => [kind, [variants[index % variants.length] ?? '']]),
    ) as Record<MilestoneKind, string[]>;
  const perPlatform = (platforms: TemplateSet<P>['en']) =>
    Object.fromEntries(
      Object.entries<Record<MilestoneKind, readonly string[]>>(platforms).map(([p, lists]) => [
        p,
        pick(lists),
      ]),
    ) as Record<P, Record<MilestoneKind, string[]>>;
  return { en: perPlatform(set.en), ko: perPlatform(set.ko) };
}
