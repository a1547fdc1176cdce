import { kindScope, kindTable } from '../milestone-kinds.js';
import type { Milestone } from '../milestones/types.js';
import type { PostView } from '../posts/placeholders.js';
import { buildPostView, freeTextFields } from '../posts/post-view.js';
import type { Language } from '../posts/types.js';
import type { Tracking } from '../tracking/tracking.js';

/** The words on a milestone card, top to bottom; '' for a line the card leaves out. */
export interface CardText {
  readonly kicker: string;
  readonly title: string;
  /** The big number, in fans' wording: "500 MILLION", "5억". */
  readonly number: string;
  readonly caption: string;
  readonly days: string;
  readonly lastTrack: string;
  readonly record: string;
  /** "Data as of Oct 11, 2023 KST". */
  readonly footer: string;
  readonly hashtags: string;
}

/** X and Discord both cap image descriptions at 1,000 characters or more; we stay within 1,000. */
export const altTextMax = 1000;

function capitalise(text: string): string {
  return text === '' ? '' : `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function english(kind: Milestone['kind'], v: PostView): CardText {
  return {
    kicker: kindScope(kind) === 'track' ? `${v.artist} · ${v.album}` : v.artist,
    title: kind === 'allTracks' ? `Every song on ${v.album}` : v.subject,
    number: v.thresholdCaps,
    caption: kindTable[kind].labels.en.cardCaption,
    days: capitalise(v.inDays),
    lastTrack: v.lastTrack === '' ? '' : `${v.lastTrack} was the last song to cross ${v.threshold}`,
    record: v.record
      ? `New record: the ${v.recordTitle}, breaking the previous ${v.recordDaysLabel} record held by ${v.recordHolder}`
      : '',
    footer: `Data as of ${v.date} ${v.zone}`,
    hashtags: v.hashtags,
  };
}

function korean(kind: Milestone['kind'], v: PostView): CardText {
  return {
    kicker: kindScope(kind) === 'track' ? `${v.artist} · ${v.album}` : v.artist,
    title: kind === 'allTracks' ? `${v.album} 전곡` : v.subject,
    number: v.threshold,
    caption: kindTable[kind].labels.ko.cardCaption,
    days: v.inDays,
    lastTrack: v.lastTrack === '' ? '' : `마지막 주자: ${v.lastTrack}`,
    record: v.record
      ? `신기록: ${v.recordTitle} · ${v.recordHolder}의 기존 ${v.recordDaysLabel} 기록 경신`
      : '',
    footer: `${v.date} ${v.zone} 기준`,
    hashtags: v.hashtags,
  };
}

/** Free texts from the config (titles, names, record texts, hashtags): the ones a card may have to clean. */
export const cardFreeTextFields = [...freeTextFields, 'hashtags'] as const;

/**
 * The card's words for `milestone` in `language`. `cleanFreeText` is applied to every config-supplied text first
 * (the card drops characters no installed font can draw); the wording itself comes from the posts' view, so a card
 * and its post never disagree on a number or a day count.
 */
export function cardText(
  milestone: Milestone,
  tracking: Tracking,
  language: Language,
  cleanFreeText: (text: string) => string = (text) => text,
): CardText {
  const view = buildPostView(milestone, tracking, language);
  const cleaned: Record<string, string | boolean> = { ...view };
  for (const field of cardFreeTextFields) cleaned[field] = cleanFreeText(view[field]);
  const v = cleaned as unknown as PostView;
  return language === 'ko' ? korean(milestone.kind, v) : english(milestone.kind, v);
}

function englishAlt(kind: Milestone['kind'], v: PostView): string {
  const when = v.inDays === '' ? '' : ` ${v.inDays}`;
  const feat: Record<Milestone['kind'], string> = {
    track: `${v.track} by ${v.artist} passed ${v.threshold} Spotify streams${when}.`,
    album: `${v.album} by ${v.artist} passed ${v.threshold} Spotify streams${when}.`,
    allTracks: `every song on ${v.album} by ${v.artist} passed ${v.threshold} Spotify streams${when}.${
      v.lastTrack === '' ? '' : ` ${v.lastTrack} was the last to cross.`
    }`,
    artist: `${v.artist} passed ${v.threshold} total Spotify streams${v.inDays === '' ? '' : `,${when}`}.`,
    followers: `${v.artist} passed ${v.threshold} followers on Spotify.`,
    views: `${v.subject} by ${v.artist} passed ${v.threshold} views on YouTube${when}.`,
  };
  const record = v.record
    ? ` New record: the ${v.recordTitle}, breaking the previous ${v.recordDaysLabel} record held by ${v.recordHolder}.`
    : '';
  return `Card: ${feat[kind]}${record} Data as of ${v.date} ${v.zone}.`;
}

function koreanAlt(kind: Milestone['kind'], v: PostView): string {
  const when = v.inDays === '' ? '' : ` (${v.inDays})`;
  const feat: Record<Milestone['kind'], string> = {
    track: `${v.artist}의 ${v.track} 스포티파이 스트리밍 ${v.threshold} 회 돌파${when}.`,
    album: `${v.artist}의 ${v.album} 스포티파이 스트리밍 ${v.threshold} 회 돌파${when}.`,
    allTracks: `${v.artist}의 ${v.album} 전곡 스포티파이 스트리밍 ${v.threshold} 회 돌파${when}.${
      v.lastTrack === '' ? '' : ` 마지막 주자는 ${v.lastTrack}.`
    }`,
    artist: `${v.artist} 스포티파이 누적 스트리밍 ${v.threshold} 회 돌파${when}.`,
    followers: `${v.artist} 스포티파이 팔로워 ${v.threshold} 명 돌파.`,
    views: `${v.artist}의 ${v.subject} 유튜브 조회수 ${v.threshold} 회 돌파${when}.`,
  };
  const record = v.record
    ? ` 신기록: ${v.recordTitle}, ${v.recordHolder}의 기존 ${v.recordDaysLabel} 기록 경신.`
    : '';
  return `카드: ${feat[kind]}${record} ${v.date} ${v.zone} 기준.`;
}

/**
 * The image description for a milestone card, in `language`, with every config text as written (a screen reader
 * needs no font). At most {@link altTextMax} characters.
 */
export function cardAltText(milestone: Milestone, tracking: Tracking, language: Language): string {
  const view = buildPostView(milestone, tracking, language);
  const text = language === 'ko' ? koreanAlt(milestone.kind, view) : englishAlt(milestone.kind, view);
  return text.length <= altTextMax ? text : `${text.slice(0, altTextMax - 1)}…`;
}
