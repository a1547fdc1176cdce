import { snapshotSchema } from '../snapshots/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import { parseKworbPage, type KworbPage } from './kworb-page.js';
import { decodeUtf8, type PoliteHttpClient } from './polite-http.js';
import { SourceError, type Source, type SourceReading } from './source.js';

/** kworb's artist songs page for a Spotify artist id. */
export function kworbArtistSongsUrl(artistSpotifyId: string): string {
  return `https://kworb.net/spotify/artist/${encodeURIComponent(artistSpotifyId)}_songs.html`;
}

/**
 * The instant a kworb page's counts are taken to be true: its "Last updated" day at 12:00 UTC. Noon UTC falls
 * on that same calendar day in every zone from UTC−12:00 to UTC+11:59 (21:00 in Asia/Seoul), so day counts in the
 * config's timezone land on the day kworb prints.
 */
export function kworbCapturedAt(lastUpdated: string): string {
  return `${lastUpdated}T12:00:00+00:00`;
}

/**
 * Builds the snapshot a kworb page gives for one tracked artist: tracked tracks matched by Spotify track id
 * (the page's other songs are left out), and the summary's total streams as `artistStreams`.
 * Throws {@link SourceError} when the page holds none of the tracked Spotify ids (a wrong page or artist id).
 */
export function kworbReading(page: KworbPage, tracking: Tracking, url: string): SourceReading {
  const tracks: Record<string, number> = {};
  const conflicts: string[] = [];
  for (const song of page.songs) {
    const trackId = tracking.trackKeyToId.get(song.spotifyId);
    if (trackId === undefined) continue;
    const earlier = tracks[trackId];
    if (earlier !== undefined && earlier !== song.streams) {
      conflicts.push(
        `track ${song.spotifyId} is listed twice with different counts (${earlier}, ${song.streams})`,
      );
    }
    tracks[trackId] = Math.max(earlier ?? 0, song.streams);
  }
  if (conflicts.length > 0) throw new SourceError(`${url}: ${conflicts.join('; ')}`, true);
  const wanted = [...tracking.tracksById.values()].filter((t) => t.spotifyId !== undefined);
  if (wanted.length > 0 && Object.keys(tracks).length === 0) {
    throw new SourceError(
      `${url}: none of the ${wanted.length} tracked Spotify track ids of "${tracking.artist.id}" is on the page`,
      true,
    );
  }
  const capturedAt = kworbCapturedAt(page.lastUpdated);
  const snapshot = snapshotSchema.parse({
    capturedAt,
    artist: tracking.artist.id,
    source: 'kworb',
    tracks,
    artistStreams: page.totalStreams,
  });
  return {
    snapshot,
    artistId: tracking.artist.id,
    dataKey: page.lastUpdated,
    capturedAtMs: Date.parse(capturedAt),
  };
}

export interface KworbSourceOptions {
  readonly id: string;
  readonly tracking: Tracking;
  readonly http: PoliteHttpClient;
  /** Defaults to {@link kworbArtistSongsUrl} of the artist's `spotifyId`. */
  readonly url?: string;
}

/** Polls one artist's kworb songs page. */
export class KworbSource implements Source {
  readonly kind = 'kworb';
  readonly id: string;
  readonly url: string;

  constructor(private readonly options: KworbSourceOptions) {
    const spotifyId = options.tracking.artist.spotifyId;
    if (options.url === undefined && spotifyId === undefined) {
      throw new Error(
        `source "${options.id}": artist "${options.tracking.artist.id}" has no spotifyId and no url is given`,
      );
    }
    this.id = options.id;
    this.url = options.url ?? kworbArtistSongsUrl(spotifyId ?? '');
  }

  async fetch(): Promise<SourceReading[]> {
    const answer = await this.options.http.get(this.url, 'text/html');
    if (answer.status < 200 || answer.status > 299)
      throw new SourceError(`${this.url}: HTTP ${answer.status}`);
    const page = parseKworbPage(decodeUtf8(answer.body), this.url);
    return [kworbReading(page, this.options.tracking, this.url)];
  }
}
