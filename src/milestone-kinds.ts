/**
 * The milestone kinds, in one table. Every per-kind fact the rest of the code needs (which ids a milestone
 * carries, its subject key, its place in the X budget, whether it is charted, its labels and its command names)
 * is read from here, so adding a kind is one entry below, its templates (`templates/<language>/<platform>-<kind>`)
 * and a source that reads its value from a snapshot (`readings.ts`). The compiler points at every place that
 * words a kind differently (exhaustive `Record<MilestoneKind, …>` and `switch` statements).
 *
 * Pure data: no imports, so the config schema, the engine, posts, cards, platforms and commands can all read it.
 */

/** Every kind, in the order lists show them (command choices, settings, template files, previews). */
export const milestoneKinds = ['track', 'album', 'allTracks', 'artist', 'followers', 'views'] as const;

export type MilestoneKind = (typeof milestoneKinds)[number];

/**
 * What a milestone of the kind is about, i.e. which of `albumId`/`trackId` it carries besides `artistId`:
 * - `track`: one song (`albumId` and `trackId`);
 * - `album`: one album (`albumId`; `trackId` is null);
 * - `artist`: the artist as a whole (both null). Its days count from the latest album released by then;
 * - `video`: one configured video (`videoId`; `albumId`/`trackId` are what the video belongs to, or null). Its days
 *   count from the video's own `releasedAt`.
 */
export type KindScope = 'track' | 'album' | 'artist' | 'video';

/** The words a post or a card uses for a kind in one language. */
export interface KindLabels {
  /** Title of the count field of a Discord embed ("Streams"). */
  readonly count: string;
  /** The line under the big number on a milestone card ("streams on Spotify"). */
  readonly cardCaption: string;
}

/**
 * How the Discord commands name a kind: in English (the names commands are defined and typed with), and in Korean
 * (what a Korean Discord client shows).
 */
export interface KindCommand {
  /** The `/layover-mod kinds` option, also how `/layover status`, `why` and settings replies name the kind. */
  readonly option: string;
  /** The Korean name of that option (Discord's name rule: no spaces). */
  readonly optionKo: string;
  /** The description of that option. */
  readonly description: string;
  /** Its Korean description. */
  readonly descriptionKo: string;
  /** The choice shown by `/layover-mod template … kind:` (its value is the kind itself). */
  readonly choice: string;
  /** The kind inside a sentence of a template reply ("No song milestones are configured"). */
  readonly noun: string;
  /**
   * The kind inside a Korean reply ("곡 마일스톤", "앨범 합계 템플릿"), also the Korean name of the template
   * choice.
   */
  readonly nounKo: string;
}

/** One row of the kinds table. */
export interface KindSpec {
  readonly scope: KindScope;
  /**
   * Place in the X budget: when it is short, a higher rank always goes first (the threshold only orders
   * milestones of one kind). Ranks are unique positive integers.
   */
  readonly xRank: number;
  /** Whether each history point keeps the subject's value (what the `/layover status` chart draws from). */
  readonly charted: boolean;
  readonly labels: { readonly en: KindLabels; readonly ko: KindLabels };
  readonly command: KindCommand;
}

/** The kinds table. A kind missing here, or a key that is no kind, does not compile. */
export const kindTable: { readonly [K in MilestoneKind]: KindSpec } = {
  track: {
    scope: 'track',
    xRank: 3,
    charted: true,
    labels: {
      en: { count: 'Streams', cardCaption: 'streams on Spotify' },
      ko: { count: '스트리밍', cardCaption: '스포티파이 스트리밍 돌파' },
    },
    command: {
      option: 'track',
      optionKo: '곡',
      description: 'Song milestones',
      descriptionKo: '곡 마일스톤',
      choice: 'Song',
      noun: 'song',
      nounKo: '곡',
    },
  },
  album: {
    scope: 'album',
    xRank: 6,
    charted: true,
    labels: {
      en: { count: 'Streams', cardCaption: 'streams on Spotify' },
      ko: { count: '스트리밍', cardCaption: '스포티파이 스트리밍 돌파' },
    },
    command: {
      option: 'album',
      optionKo: '앨범-합계',
      description: 'Album total milestones',
      descriptionKo: '앨범 합계 마일스톤',
      choice: 'Album total',
      noun: 'album total',
      nounKo: '앨범 합계',
    },
  },
  allTracks: {
    scope: 'album',
    xRank: 5,
    // The all-tracks floor is the album's lowest song, which already has its own line.
    charted: false,
    labels: {
      en: { count: 'Streams', cardCaption: 'streams on Spotify, every song' },
      ko: { count: '스트리밍', cardCaption: '전곡 스포티파이 스트리밍 돌파' },
    },
    command: {
      option: 'all-tracks',
      optionKo: '앨범-전곡',
      description: 'Every song of the album past a mark',
      descriptionKo: '앨범의 모든 곡이 한 기준을 넘는 마일스톤',
      choice: 'Every song of the album',
      noun: 'every-song',
      nounKo: '앨범 전곡',
    },
  },
  artist: {
    scope: 'artist',
    xRank: 4,
    charted: true,
    labels: {
      en: { count: 'Streams', cardCaption: 'total streams on Spotify' },
      ko: { count: '스트리밍', cardCaption: '스포티파이 누적 스트리밍 돌파' },
    },
    command: {
      option: 'artist',
      optionKo: '아티스트-합계',
      description: 'Artist total milestones',
      descriptionKo: '아티스트 합계 마일스톤',
      choice: 'Artist total',
      noun: 'artist total',
      nounKo: '아티스트 합계',
    },
  },
  followers: {
    scope: 'artist',
    xRank: 1,
    charted: true,
    labels: {
      en: { count: 'Followers', cardCaption: 'followers on Spotify' },
      ko: { count: '팔로워', cardCaption: '스포티파이 팔로워 돌파' },
    },
    command: {
      option: 'followers',
      optionKo: '팔로워',
      description: 'Follower milestones',
      descriptionKo: '팔로워 마일스톤',
      choice: 'Followers',
      noun: 'followers',
      nounKo: '팔로워',
    },
  },
  views: {
    scope: 'video',
    // Below songs (the heart of the account), above followers.
    xRank: 2,
    charted: true,
    labels: {
      en: { count: 'Views', cardCaption: 'views on YouTube' },
      ko: { count: '조회수', cardCaption: '유튜브 조회수 돌파' },
    },
    command: {
      option: 'views',
      optionKo: '영상-조회수',
      description: 'YouTube video view milestones',
      descriptionKo: '유튜브 영상 조회수 마일스톤',
      choice: 'Video views',
      noun: 'video',
      nounKo: '영상 조회수',
    },
  },
};

/** The row of `kind`. */
export function kindSpec(kind: MilestoneKind): KindSpec {
  return kindTable[kind];
}

/** What a milestone of `kind` is about (see {@link KindScope}). */
export function kindScope(kind: MilestoneKind): KindScope {
  return kindTable[kind].scope;
}

/** Whether `value` names a kind of the table (for text from outside: options, settings, stored JSON). */
export function isMilestoneKind(value: string): value is MilestoneKind {
  return Object.hasOwn(kindTable, value);
}

/**
 * A subject's key inside its artist: the kind, then `:<id>` of what its scope is about. That is
 * `track:<trackId>`, `album:<albumId>`, `allTracks:<albumId>`, `artist`, `followers`, `views:<videoId>`.
 */
export function subjectKey(
  kind: MilestoneKind,
  albumId: string | null,
  trackId: string | null,
  videoId: string | null = null,
): string {
  switch (kindTable[kind].scope) {
    case 'video':
      return `${kind}:${videoId ?? ''}`;
    case 'track':
      return `${kind}:${trackId ?? ''}`;
    case 'album':
      return `${kind}:${albumId ?? ''}`;
    case 'artist':
      return kind;
  }
}
