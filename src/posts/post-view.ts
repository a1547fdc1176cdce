import { DateTime } from 'luxon';
import { kindScope } from '../milestone-kinds.js';
import type { Milestone } from '../milestones/types.js';
import { latestAlbumReleasedBy, type Tracking } from '../tracking/tracking.js';
import { dateLabel, dayPhrase, recordDaysLabel, zoneLabel, type DayWording } from './dates.js';
import { countCompact, countWords, englishWords, groupDigits, koreanWords } from './numbers.js';
import type { PostView } from './placeholders.js';
import type { Language } from './types.js';

/** The titles a milestone is about; a track or album the config no longer has is named by its id. */
function titlesOf(
  milestone: Milestone,
  tracking: Tracking,
): { album: string; track: string; preRelease: boolean } {
  const scope = kindScope(milestone.kind);
  if (scope === 'video') {
    const album = milestone.albumId === null ? undefined : tracking.albumsById.get(milestone.albumId);
    const track = milestone.trackId === null ? undefined : tracking.tracksById.get(milestone.trackId);
    return {
      album: album?.title ?? milestone.albumId ?? '',
      track: track?.title ?? milestone.trackId ?? '',
      preRelease: false,
    };
  }
  if (scope === 'artist') {
    return {
      album:
        latestAlbumReleasedBy(tracking, DateTime.fromISO(milestone.observedAt, { setZone: true }).toMillis())
          ?.title ?? '',
      track: '',
      preRelease: false,
    };
  }
  const album = milestone.albumId === null ? undefined : tracking.albumsById.get(milestone.albumId);
  const albumTitle = album?.title ?? milestone.albumId ?? '';
  if (scope !== 'track' || milestone.trackId === null) {
    return { album: albumTitle, track: '', preRelease: false };
  }
  const track = tracking.tracksById.get(milestone.trackId);
  const preRelease = track !== undefined && album !== undefined && track.releasedAtMs !== album.releasedAtMs;
  return { album: albumTitle, track: track?.title ?? milestone.trackId, preRelease };
}

function dayWording(milestone: Milestone, album: string, preRelease: boolean): DayWording {
  if (kindScope(milestone.kind) === 'artist') {
    return album === '' ? { style: 'release' } : { style: 'afterAlbum', album };
  }
  return preRelease ? { style: 'preRelease' } : { style: 'release' };
}

function subjectOf(
  milestone: Milestone,
  tracking: Tracking,
  titles: { album: string; track: string },
): string {
  switch (kindScope(milestone.kind)) {
    case 'track':
      return titles.track;
    case 'album':
      return titles.album;
    case 'artist':
      return tracking.artist.name;
    case 'video':
      return milestone.videoId === null
        ? ''
        : (tracking.videosById.get(milestone.videoId)?.title ?? milestone.videoId);
  }
}

/**
 * Everything a template can say about `milestone`, worded in `language`. Pure: the same inputs give the same view.
 * Placeholders that do not apply to the kind are '' or false (see {@link import('./placeholders.js').templatePlaceholders}).
 */
export function buildPostView(milestone: Milestone, tracking: Tracking, language: Language): PostView {
  const titles = titlesOf(milestone, tracking);
  const days = milestone.daysSinceRelease;
  const record = milestone.record;
  const lastTrack =
    milestone.kind === 'allTracks' && milestone.lastTrackId !== null
      ? (tracking.tracksById.get(milestone.lastTrackId)?.title ?? milestone.lastTrackId)
      : '';
  return {
    callName: tracking.artist.callName,
    artist: tracking.artist.name,
    album: titles.album,
    track: titles.track,
    subject: subjectOf(milestone, tracking, titles),
    threshold: countWords(milestone.threshold, language),
    thresholdCaps:
      language === 'ko' ? koreanWords(milestone.threshold) : englishWords(milestone.threshold).toUpperCase(),
    thresholdShort: countCompact(milestone.threshold, language),
    value:
      language === 'ko' ? koreanWords(milestone.value, { floorTo: '만' }) : englishWords(milestone.value),
    valueShort: countCompact(milestone.value, language),
    valueExact: groupDigits(milestone.value),
    days: days === null || days < 0 ? '' : String(days),
    inDays: dayPhrase(days, dayWording(milestone, titles.album, titles.preRelease), language),
    preRelease: titles.preRelease,
    record: record !== null,
    recordTitle: record?.title ?? '',
    recordHolder: record?.holder ?? '',
    recordDays: record === null ? '' : String(record.previousDays),
    recordDaysLabel: record === null ? '' : recordDaysLabel(record.previousDays, language),
    lastTrack,
    hashtags: (tracking.artist.hashtags ?? []).join(' '),
    date: dateLabel(milestone.observedAt, tracking.timezone, language),
    zone: zoneLabel(milestone.observedAt, tracking.timezone),
  };
}

/**
 * Placeholders holding free text from the config (titles, names, record texts), besides the hashtags: what a long
 * post may shorten as a last resort, and what a card may have to clean of undrawable characters.
 */
export const freeTextFields = [
  'callName',
  'artist',
  'album',
  'track',
  'subject',
  'lastTrack',
  'recordTitle',
  'recordHolder',
] as const satisfies readonly (keyof PostView)[];
