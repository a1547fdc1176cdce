import type { Tracking } from '../tracking/tracking.js';
import { jsonReadings } from './json-source.js';
import { parseKworbPage } from './kworb-page.js';
import { describeKworb, kworbReading } from './kworb-source.js';
import { SourceError, type SourceCheck } from './source.js';
import { followersFromArtist, followersReading } from './spotify-followers-source.js';
import { describeViews, youtubeViewsReading } from './youtube-source.js';
import { viewsFromVideoList } from './youtube-views.js';

/** The kinds of saved answers `npm run sources -- parse` understands. */
export const savedKinds = ['kworb', 'spotify', 'youtube', 'json'] as const;
export type SavedKind = (typeof savedKinds)[number];

/**
 * The kind of a saved answer when none is given: `.html` is a kworb page; JSON holding an artist object is
 * Spotify's, a `youtube#videoListResponse` YouTube's.
 */
export function guessSavedKind(path: string, text: string): SavedKind {
  if (/\.html?$/i.test(path)) return 'kworb';
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (v.type === 'artist' || ('followers' in v && !('capturedAt' in v))) return 'spotify';
      if (v.kind === 'youtube#videoListResponse') return 'youtube';
    }
  } catch {
    // Not JSON: the json parser says so itself.
  }
  return 'json';
}

/**
 * Parses a saved answer exactly as its source parses a live one, for an artist's tracking config, as of
 * `fetchedAtMs` (the fetch time kept in the file's name). Throws the source's own errors.
 */
export function parseSaved(
  kind: SavedKind,
  text: string,
  trackings: ReadonlyMap<string, Tracking>,
  tracking: Tracking | undefined,
  fetchedAtMs: number,
  label: string,
): SourceCheck {
  if (kind === 'json') {
    const readings = jsonReadings(text, trackings, label, 'json');
    return { readings, report: readings.map((r) => `snapshot: ${JSON.stringify(r.snapshot)}`) };
  }
  if (tracking === undefined) {
    throw new SourceError(`${label}: which artist? give --artist <id> (${[...trackings.keys()].join(', ')})`);
  }
  if (kind === 'kworb') {
    const page = parseKworbPage(text, label);
    const result = kworbReading(page, tracking, label, fetchedAtMs);
    return {
      readings: result.reading === null ? [] : [result.reading],
      report: describeKworb(page, result, fetchedAtMs),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SourceError(`${label}: answer is not JSON`, true);
  }
  if (kind === 'youtube') return parseYoutube(body, tracking, fetchedAtMs, label);
  const artistId = tracking.artist.spotifyId;
  if (artistId === undefined)
    throw new SourceError(`${label}: artist "${tracking.artist.id}" has no spotifyId`);
  const followers = followersFromArtist(body, artistId, label);
  const reading = followersReading(tracking, followers, fetchedAtMs);
  return {
    readings: [reading],
    report: [`artist ${artistId}: ${followers} followers`, `snapshot: ${JSON.stringify(reading.snapshot)}`],
  };
}

/**
 * One saved `videos.list` answer, read for the artist's configured videos. An answer holds up to 50 of them, so a
 * video absent from this one may be in another call's answer.
 */
function parseYoutube(body: unknown, tracking: Tracking, fetchedAtMs: number, label: string): SourceCheck {
  if (tracking.videos.length === 0)
    throw new SourceError(`${label}: artist "${tracking.artist.id}" has no videos in its tracking config`);
  const { views } = viewsFromVideoList(
    body,
    tracking.videos.map((v) => v.youtubeId),
    label,
  );
  if (views.size === 0)
    throw new SourceError(`${label}: none of the videos of "${tracking.artist.id}" is in this answer`, true);
  const reading = youtubeViewsReading(tracking, views, fetchedAtMs);
  return {
    readings: [reading],
    report: [
      ...describeViews(
        tracking,
        views,
        'deleted, private, a wrong id, or asked for in another call of the same poll',
      ),
      `snapshot: ${JSON.stringify(reading.snapshot)}`,
    ],
  };
}
