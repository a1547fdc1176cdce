import { kindScope, milestoneKinds, subjectKey, type KindScope } from '../../src/milestone-kinds.js';
import { nextThresholdAbove, thresholdAtOrBelow } from '../../src/milestones/ladder.js';
import type { MilestoneKind } from '../../src/milestones/types.js';
import type { SubjectView } from '../../src/state/artist-state.store.js';
import type { TrackedAlbum, Tracking } from '../../src/tracking/tracking.js';
import type { ReplyLanguage } from '../../src/platforms/discord/interactions/reply-language.js';
import { subjectLabelTexts } from './layover.texts.js';
import { namesExactly } from './title-search.js';

const DAY_MS = 86_400_000;

/** A subject as the status commands talk about it. */
export interface SubjectRef {
  readonly key: string;
  readonly kind: MilestoneKind;
  readonly label: string;
}

/** Where one subject stands: its count, the milestone before and after it, pace and ETA. */
export interface SubjectProgress extends SubjectRef {
  readonly value: number;
  readonly previous: number;
  readonly next: number | null;
  /** Gain per day between the last two snapshots that carried this subject; null without two. */
  readonly dailyGain: number | null;
  /** Epoch ms when `next` is reached at the current pace; null when unknown or never. */
  readonly etaMs: number | null;
}

/** Album by id, English or Korean title (case-insensitive), else the latest album of the first tracking. */
export function findAlbum(
  trackings: readonly Tracking[],
  query: string | undefined,
): { tracking: Tracking; album: TrackedAlbum } | null {
  if (query === undefined || query.trim() === '') {
    const tracking = trackings[0];
    const album = tracking?.albumsByRelease.at(-1);
    return tracking === undefined || album === undefined ? null : { tracking, album };
  }
  for (const tracking of trackings) {
    const album = tracking.albums.find((a) => namesExactly(a, query));
    if (album) return { tracking, album };
  }
  return null;
}

/** How `/layover` names a subject in `language`: Korean titles where the config has them. */
export function subjectLabel(
  tracking: Tracking,
  kind: MilestoneKind,
  albumId: string | null,
  trackId: string | null,
  videoId: string | null,
  language: ReplyLanguage,
): string {
  const t = subjectLabelTexts[language];
  const title = (entry: { readonly title: string; readonly titleKo: string | undefined }) =>
    language === 'ko' ? (entry.titleKo ?? entry.title) : entry.title;
  const album = albumId === null ? undefined : tracking.albumsById.get(albumId);
  const albumTitle = album === undefined ? (albumId ?? '?') : title(album);
  switch (kind) {
    case 'track': {
      const track = tracking.tracksById.get(trackId ?? '');
      return track === undefined ? (trackId ?? '?') : title(track);
    }
    case 'album':
      return t.album(albumTitle);
    case 'allTracks':
      return t.allTracks(albumTitle);
    case 'artist':
      return t.artist(tracking.artist.name);
    case 'followers':
      return t.followers(tracking.artist.name);
    case 'views':
      return t.views(tracking.videosById.get(videoId ?? '')?.title ?? videoId ?? '?');
  }
}

/**
 * Every subject of an artist with a ladder, per album its album-wide subjects (total, all-tracks floor) then its
 * tracks' subjects, then the artist-wide ones (artist total, followers); kinds in the kinds table's order.
 */
export function subjectsOf(tracking: Tracking, language: ReplyLanguage): SubjectRef[] {
  const ofScope = (scope: KindScope) => milestoneKinds.filter((kind) => kindScope(kind) === scope);
  const ref = (
    kind: MilestoneKind,
    albumId: string | null,
    trackId: string | null,
    videoId: string | null = null,
  ): SubjectRef => ({
    key: subjectKey(kind, albumId, trackId, videoId),
    kind,
    label: subjectLabel(tracking, kind, albumId, trackId, videoId, language),
  });
  const refs: SubjectRef[] = [];
  for (const album of tracking.albums) {
    for (const kind of ofScope('album')) refs.push(ref(kind, album.id, null));
    for (const track of album.tracks) {
      for (const kind of ofScope('track')) refs.push(ref(kind, album.id, track.id));
    }
  }
  for (const kind of ofScope('artist')) refs.push(ref(kind, null, null));
  for (const video of tracking.videos) {
    for (const kind of ofScope('video')) refs.push(ref(kind, video.albumId, video.trackId, video.id));
  }
  return refs.filter((r) => tracking.ladders[r.kind] !== undefined);
}

/**
 * Progress of one subject from its stored view. The pace is the gain between the subject's last two values over
 * the time between the artist's last two snapshots (`lastAt`, `previousAt`).
 */
export function progressOf(
  tracking: Tracking,
  ref: SubjectRef,
  view: SubjectView | undefined,
  lastAt: string | null,
  previousAt: string | null,
): SubjectProgress | null {
  const ladder = tracking.ladders[ref.kind];
  if (ladder === undefined || view?.value === null || view === undefined || lastAt === null) return null;
  const value = view.value;
  const next = nextThresholdAbove(ladder, Math.max(value, view.reached ?? 0));
  let dailyGain: number | null = null;
  if (view.previousValue !== null && previousAt !== null) {
    const days = (Date.parse(lastAt) - Date.parse(previousAt)) / DAY_MS;
    if (days > 0) dailyGain = (value - view.previousValue) / days;
  }
  const etaMs =
    next !== null && dailyGain !== null && dailyGain > 0
      ? Date.parse(lastAt) + ((next - value) / dailyGain) * DAY_MS
      : null;
  return { ...ref, value, previous: thresholdAtOrBelow(ladder, value), next, dailyGain, etaMs };
}

/** `▰▰▰▰▱▱▱▱▱▱ 41%`: the way from the last milestone to the next. */
export function progressBar(
  progress: Pick<SubjectProgress, 'value' | 'previous' | 'next'>,
  width = 10,
): string {
  if (progress.next === null) return '▰'.repeat(width);
  const span = progress.next - progress.previous;
  const share = span <= 0 ? 0 : Math.min(1, Math.max(0, (progress.value - progress.previous) / span));
  const filled = Math.floor(share * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${Math.floor(share * 100)}%`;
}
