import type { Logger } from '../logger.js';
import { snapshotSchema } from '../snapshots/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import { ConflictingRowsError, matchSongs, type SongMatch } from './kworb-match.js';
import { parseKworbPage, type KworbPage } from './kworb-page.js';
import { decodeUtf8, type PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import { SourceError, type Source, type SourceCheck, type SourceReading } from './source.js';

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

/** A kworb reading and how it came about. */
export interface KworbResult {
  /** Null when the page is stamped with a day whose noon (UTC) has not come yet: nothing to enqueue so far. */
  readonly reading: SourceReading | null;
  readonly matches: readonly SongMatch[];
}

/**
 * Builds the snapshot a kworb page gives for one tracked artist: each configured song matched by Spotify id, or
 * by title when it has none ({@link matchSongs}), and the summary's total streams as `artistStreams`. The page's
 * other songs are left out. Throws {@link SourceError} when the page holds none of the configured Spotify ids
 * (a wrong page or artist id) or no configured song at all, or lists one id twice with different counts.
 */
export function kworbReading(
  page: KworbPage,
  tracking: Tracking,
  url: string,
  nowMs = Number.POSITIVE_INFINITY,
): KworbResult {
  let matches: SongMatch[];
  try {
    matches = matchSongs(page.songs, tracking);
  } catch (error) {
    if (error instanceof ConflictingRowsError) throw new SourceError(`${url}: ${error.message}`, true);
    throw error;
  }
  const withIds = matches.filter((m) => tracking.tracksById.get(m.trackId)?.spotifyIds.length);
  if (withIds.length > 0 && withIds.every((m) => m.how === 'none')) {
    throw new SourceError(
      `${url}: none of the Spotify ids of the ${withIds.length} configured song(s) of "${tracking.artist.id}" with ids is on the page (a wrong artist page?)`,
      true,
    );
  }
  const tracks: Record<string, number> = {};
  for (const m of matches) if (m.streams !== null) tracks[m.trackId] = m.streams;
  if (Object.keys(tracks).length === 0) {
    throw new SourceError(
      `${url}: no configured song of "${tracking.artist.id}" is on the page, by Spotify id or by title`,
      true,
    );
  }
  const capturedAt = kworbCapturedAt(page.lastUpdated);
  const capturedAtMs = Date.parse(capturedAt);
  if (capturedAtMs > nowMs) return { reading: null, matches };
  const snapshot = snapshotSchema.parse({
    capturedAt,
    artist: tracking.artist.id,
    source: 'kworb',
    tracks,
    artistStreams: page.totalStreams,
  });
  return {
    reading: { snapshot, artistId: tracking.artist.id, dataKey: page.lastUpdated, capturedAtMs },
    matches,
  };
}

/** What a kworb page and its matches say, one line each (for `npm run sources -- check` and `parse`). */
export function describeKworb(page: KworbPage, result: KworbResult, nowMs: number): string[] {
  const stampMs = Date.parse(kworbCapturedAt(page.lastUpdated));
  const ageDays = Math.floor((nowMs - stampMs) / DAY_MS);
  const lines = [
    `page: "${page.artistName}", Last updated ${page.lastUpdated}${Number.isFinite(ageDays) && ageDays >= STALE_DAYS ? ` (${ageDays} days ago: the page lags)` : ''}`,
    `summary: ${page.totalStreams} streams, ${page.totalTracks} tracks${page.totalDaily === null ? '' : `, ${page.totalDaily} daily`}`,
    `songs table: ${page.songs.length} rows (${page.songs.filter((s) => s.featured).length} featuring), ${page.layout.header ? 'with' : 'without'} a header row; title in column ${page.layout.titleColumn + 1}, Streams ${page.layout.streamsColumn + 1}, Daily ${page.layout.dailyColumn + 1}`,
  ];
  for (const m of result.matches) {
    const ids = m.rows.map((r) => r.spotifyId).join(', ');
    if (m.how === 'id') lines.push(`  ${m.trackId}: matched by id (${ids}): ${m.streams}`);
    else if (m.how === 'title') {
      lines.push(
        `  ${m.trackId}: matched by title "${m.title}" (${ids}): ${m.streams}; to pin it, add "spotifyId": "${ids}"`,
      );
    } else if (m.candidates.length === 0)
      lines.push(`  ${m.trackId}: NOT on the page (no row titled "${m.title}")`);
    else {
      lines.push(
        `  ${m.trackId}: NOT matched: ${m.candidates.length} rows titled "${m.title}"; candidate ids: ${m.candidates.map((c) => `${c.spotifyId} (${c.streams})`).join(', ')}`,
      );
    }
  }
  lines.push(
    result.reading === null
      ? `snapshot: none yet (a page stamped ${page.lastUpdated} counts from ${kworbCapturedAt(page.lastUpdated)})`
      : `snapshot: ${JSON.stringify(result.reading.snapshot)}`,
  );
  return lines;
}

const DAY_MS = 86_400_000;
/** A page stamp this many days old is reported as lagging. */
const STALE_DAYS = 2;

export interface KworbSourceOptions {
  readonly id: string;
  readonly tracking: Tracking;
  readonly http: PoliteHttpClient;
  /** Defaults to {@link kworbArtistSongsUrl} of the artist's `spotifyId`. */
  readonly url?: string;
  /** Where raw pages are kept (none kept without it). */
  readonly archive?: RawArchive;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * Polls one artist's kworb songs page. Logs which songs it matched by title the first time and whenever that
 * changes, a stamp that skipped days, and a stamp that lags days behind the clock.
 */
export class KworbSource implements Source {
  readonly kind = 'kworb';
  readonly id: string;
  readonly url: string;
  private lastStamp: string | undefined;
  private lastTitleMatches: string | undefined;

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
    return (await this.check()).readings;
  }

  async check(): Promise<SourceCheck> {
    const now = this.options.now ?? Date.now;
    const answer = await this.options.http.get(this.url, 'text/html');
    const fetchedAtMs = now();
    const kept = await this.options.archive?.keep({
      sourceId: this.id,
      fetchedAtMs,
      status: answer.status,
      ext: 'html',
      body: answer.body,
    });
    if (kept !== undefined && 'error' in kept)
      this.options.logger?.warn({ source: this.id, err: kept.error }, 'could not keep the raw page');
    if (answer.status < 200 || answer.status > 299)
      throw new SourceError(`${this.url}: HTTP ${answer.status}`);
    const page = parseKworbPage(decodeUtf8(answer.body), this.url);
    const result = kworbReading(page, this.options.tracking, this.url, fetchedAtMs);
    this.notice(page, result, fetchedAtMs);
    return {
      readings: result.reading === null ? [] : [result.reading],
      report: describeKworb(page, result, fetchedAtMs),
    };
  }

  private notice(page: KworbPage, result: KworbResult, nowMs: number): void {
    const logger = this.options.logger;
    const byTitle = result.matches
      .filter((m) => m.how === 'title')
      .map((m) => `${m.trackId}=${m.rows[0]?.spotifyId ?? ''}`)
      .join(', ');
    if (byTitle !== this.lastTitleMatches) {
      this.lastTitleMatches = byTitle;
      const unmatched = result.matches.filter((m) => m.how === 'none').map((m) => m.trackId);
      logger?.info(
        { source: this.id, byTitle: byTitle === '' ? [] : byTitle.split(', '), unmatched },
        'kworb: songs without a Spotify id matched by title (pin them with spotifyId; see npm run sources -- check)',
      );
    }
    const previous = this.lastStamp;
    if (previous !== undefined && page.lastUpdated > previous) {
      const gap = Math.round((Date.parse(page.lastUpdated) - Date.parse(previous)) / DAY_MS);
      if (gap > 1) {
        logger?.warn(
          { source: this.id, from: previous, to: page.lastUpdated, days: gap },
          'kworb: the page stamp skipped days; the days between have no reading of their own',
        );
      }
    }
    if (previous === undefined || page.lastUpdated > previous) this.lastStamp = page.lastUpdated;
    const age = Math.floor((nowMs - Date.parse(kworbCapturedAt(page.lastUpdated))) / DAY_MS);
    if (age >= STALE_DAYS) {
      logger?.warn(
        { source: this.id, lastUpdated: page.lastUpdated, days: age },
        'kworb: the page stamp lags behind the clock; its counts are taken as of its own day',
      );
    }
  }
}
