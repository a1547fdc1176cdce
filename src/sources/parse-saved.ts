import type { Tracking } from '../tracking/tracking.js';
import { jsonReadings } from './json-source.js';
import { parseKworbPage } from './kworb-page.js';
import { describeKworb, kworbReading } from './kworb-source.js';
import { SourceError, type SourceCheck } from './source.js';
import { followersFromArtist, followersReading } from './spotify-followers-source.js';

/** The kinds of saved answers `npm run sources -- parse` understands. */
export const savedKinds = ['kworb', 'spotify', 'json'] as const;
export type SavedKind = (typeof savedKinds)[number];

/** The kind of a saved answer when none is given: `.html` is a kworb page; JSON holding an artist object is Spotify's. */
export function guessSavedKind(path: string, text: string): SavedKind {
  if (/\.html?$/i.test(path)) return 'kworb';
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (v.type === 'artist' || ('followers' in v && !('capturedAt' in v))) return 'spotify';
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
