import type { Tracking } from '../tracking/tracking.js';
import type { KworbSong } from './kworb-songs-table.js';

/** How one configured song was found on a kworb page. */
export interface SongMatch {
  readonly trackId: string;
  readonly title: string;
  /**
   * `id`: by one of its configured Spotify ids. `title`: it has no Spotify id and exactly one row carries its
   * normalised title. `none`: not on the page, or several rows carry its title (see `candidates`).
   */
  readonly how: 'id' | 'title' | 'none';
  /** The page rows counted for the song (several when `spotifyIds` lists several ids on the page). */
  readonly rows: readonly KworbSong[];
  /** The song's count: the sum over `rows`; null when `how` is `none`. */
  readonly streams: number | null;
  /** Rows whose normalised title is the song's: what an operator can copy into `spotifyId(s)`. */
  readonly candidates: readonly KworbSong[];
}

/**
 * A title reduced to what identifies it: Unicode-normalised (NFKC), lower case, punctuation and brackets dropped,
 * spaces collapsed. `Slow Dancing (Piano Ver.)` -> `slow dancing piano ver`, still distinct from `slow dancing`.
 */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Raised when the page lists one Spotify id twice with different counts: the page cannot be trusted. */
export class ConflictingRowsError extends Error {}

/**
 * Matches every configured song of `tracking` to the page's rows. A song with Spotify ids takes the rows of those
 * ids (their counts add up: a re-release is the same song). A song without any takes the one row that carries its
 * normalised title and no Spotify id claimed by another configured song; with no such row, or several, it is not
 * matched and the rows are left as candidates. Never guesses between rows.
 */
export function matchSongs(songs: readonly KworbSong[], tracking: Tracking): SongMatch[] {
  const byId = new Map<string, KworbSong>();
  const conflicts: string[] = [];
  for (const song of songs) {
    const earlier = byId.get(song.spotifyId);
    if (earlier !== undefined && earlier.streams !== song.streams) {
      conflicts.push(
        `track ${song.spotifyId} is listed twice with different counts (${earlier.streams}, ${song.streams})`,
      );
    }
    if (earlier === undefined) byId.set(song.spotifyId, song);
  }
  if (conflicts.length > 0) throw new ConflictingRowsError(conflicts.join('; '));

  const claimed = new Set<string>();
  for (const track of tracking.tracksById.values()) for (const id of track.spotifyIds) claimed.add(id);
  const byTitle = new Map<string, KworbSong[]>();
  for (const song of byId.values()) {
    const key = normalizeTitle(song.title);
    const list = byTitle.get(key) ?? [];
    list.push(song);
    byTitle.set(key, list);
  }
  // Two configured songs with one normalised title cannot be told apart by title.
  const titleUse = new Map<string, number>();
  for (const track of tracking.tracksById.values()) {
    if (track.spotifyIds.length > 0) continue;
    const key = normalizeTitle(track.title);
    titleUse.set(key, (titleUse.get(key) ?? 0) + 1);
  }

  const matches: SongMatch[] = [];
  for (const track of tracking.tracksById.values()) {
    const key = normalizeTitle(track.title);
    const sameTitle = byTitle.get(key) ?? [];
    if (track.spotifyIds.length > 0) {
      const rows = track.spotifyIds.flatMap((id) => {
        const row = byId.get(id);
        return row === undefined ? [] : [row];
      });
      matches.push({
        trackId: track.id,
        title: track.title,
        how: rows.length > 0 ? 'id' : 'none',
        rows,
        streams: rows.length > 0 ? rows.reduce((sum, r) => sum + r.streams, 0) : null,
        candidates: sameTitle,
      });
      continue;
    }
    const free = sameTitle.filter((row) => !claimed.has(row.spotifyId));
    const only = free.length === 1 && titleUse.get(key) === 1 ? free[0] : undefined;
    matches.push({
      trackId: track.id,
      title: track.title,
      how: only === undefined ? 'none' : 'title',
      rows: only === undefined ? [] : [only],
      streams: only === undefined ? null : only.streams,
      candidates: free,
    });
  }
  return matches;
}
