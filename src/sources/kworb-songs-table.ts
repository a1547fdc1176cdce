import type { CheerioAPI, contains } from 'cheerio';

/** A DOM node as cheerio returns it (cheerio does not re-export domhandler's types). */
export type Element = Parameters<typeof contains>[0];

/** One row of the songs table. */
export interface KworbSong {
  readonly spotifyId: string;
  readonly title: string;
  /** The title cell began with `*`: the artist is only featured on this song. */
  readonly featured: boolean;
  readonly streams: number;
  /** Empty Daily cells are null. */
  readonly daily: number | null;
}

/** How the songs table's columns were found, for `sources -- check` and logs. */
export interface SongsTableLayout {
  /** Whether the table had a header row (`Song Title | Streams | Daily`); kworb pages are seen with and without. */
  readonly header: boolean;
  /** Zero-based cell positions. */
  readonly titleColumn: number;
  readonly streamsColumn: number;
  readonly dailyColumn: number;
}

export interface SongsTable {
  readonly songs: KworbSong[];
  readonly layout: SongsTableLayout | null;
}

const TRACK_LINK = /open\.spotify\.com\/(?:intl-[a-z-]+\/)?track\/([A-Za-z0-9]{22})(?:[?#/]|$)/;

/** `2,099,544,623` -> 2099544623; null for anything else (empty, negative, fractional, past 2^53-1). */
export function parseKworbCount(text: string): number | null {
  const t = text.trim();
  if (!/^(\d{1,3}(,\d{3})*|\d+)$/.test(t)) return null;
  const n = Number(t.replaceAll(',', ''));
  return Number.isSafeInteger(n) ? n : null;
}

export function cellText($: CheerioAPI, cell: Element | undefined): string {
  return cell === undefined ? '' : $(cell).text().replace(/\s+/g, ' ').trim();
}

export function rowCells($: CheerioAPI, row: Element): Element[] {
  return $(row).children('td, th').toArray();
}

/** The Spotify track id a cell links to, if it holds such a link. */
function trackLinkIn($: CheerioAPI, cell: Element): { id: string; text: string } | null {
  for (const a of $(cell).find('a[href]').toArray()) {
    const match = $(a).attr('href')?.match(TRACK_LINK);
    if (match?.[1] !== undefined) return { id: match[1], text: $(a).text().replace(/\s+/g, ' ').trim() };
  }
  return null;
}

/** The rows of `table` that link a Spotify track, each with the position of the linking cell. */
function linkedRows($: CheerioAPI, table: Element): { row: Element; at: number }[] {
  const out: { row: Element; at: number }[] = [];
  for (const row of $(table).find('tr').toArray()) {
    const at = rowCells($, row).findIndex((cell) => trackLinkIn($, cell) !== null);
    if (at >= 0) out.push({ row, at });
  }
  return out;
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = -1;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/**
 * Finds the songs table by what it holds, not by its class or a header: the table with the most rows linking an
 * `open.spotify.com/track/<id>`. In it, the title column is the one with the link, and the Streams and Daily
 * columns are the two columns that hold counts in most rows (Streams is the larger, Daily may be empty). A header
 * row naming `Streams` and `Daily` settles which is which when there is one. Every row is then checked on its own
 * (a count where a count belongs, Daily never above Streams); each problem is pushed onto `problems` with the
 * row's number, so a page that is not understood never yields counts.
 */
export function readSongsTable($: CheerioAPI, problems: string[]): SongsTable {
  let table: Element | undefined;
  let rows: { row: Element; at: number }[] = [];
  for (const candidate of $('table').toArray()) {
    const linked = linkedRows($, candidate);
    if (linked.length > rows.length) {
      table = candidate;
      rows = linked;
    }
  }
  if (table === undefined || rows.length === 0) {
    problems.push('missing the songs table (no table row links an open.spotify.com/track/<id>)');
    return { songs: [], layout: null };
  }
  const titleColumn = mostCommon(rows.map((r) => r.at));
  const cellsOf = rows.map((r) => rowCells($, r.row));
  const width = mostCommon(cellsOf.map((cells) => cells.length));

  // Columns other than the title with at least one count and, in most rows, a count or nothing.
  const countColumns: { index: number; sum: number }[] = [];
  for (let index = 0; index < width; index += 1) {
    if (index === titleColumn) continue;
    let hits = 0;
    let other = 0;
    let sum = 0;
    for (const cells of cellsOf) {
      const text = cellText($, cells[index]);
      const n = parseKworbCount(text);
      if (n !== null) {
        hits += 1;
        sum += n;
      } else if (text !== '') other += 1;
    }
    if (hits > 0 && other * 2 < rows.length) countColumns.push({ index, sum });
  }

  const headerRow = $(table)
    .find('tr')
    .toArray()
    .find((r) => $(r).children('th').length > 0 && $(r).children('td').length === 0);
  const headers = headerRow === undefined ? [] : rowCells($, headerRow).map((c) => cellText($, c));
  const named = (name: string) => headers.findIndex((h) => h.toLowerCase() === name);
  let streamsColumn = -1;
  let dailyColumn = -1;
  const byHeader = { streams: named('streams'), daily: named('daily') };
  if (
    countColumns.some((c) => c.index === byHeader.streams) &&
    countColumns.some((c) => c.index === byHeader.daily)
  ) {
    streamsColumn = byHeader.streams;
    dailyColumn = byHeader.daily;
  } else if (countColumns.length === 2) {
    const [a, b] = countColumns as [{ index: number; sum: number }, { index: number; sum: number }];
    [streamsColumn, dailyColumn] = a.sum >= b.sum ? [a.index, b.index] : [b.index, a.index];
  } else {
    problems.push(
      countColumns.length < 2
        ? `songs table: expected two count columns (Streams and Daily) beside the track link, found ${countColumns.length}`
        : `songs table: ${countColumns.length} count columns beside the track link and no "Streams"/"Daily" header to tell them apart`,
    );
    return { songs: [], layout: null };
  }

  const songs: KworbSong[] = [];
  rows.forEach(({ at }, i) => {
    const n = i + 1;
    const cells = cellsOf[i] ?? [];
    if (cells.length !== width) {
      // A cell too few or too many shifts the counts into the wrong columns.
      problems.push(`songs row ${n}: ${cells.length} cells where the other rows have ${width}`);
      return;
    }
    const titleCell = cells[titleColumn];
    const link = titleCell === undefined ? null : trackLinkIn($, titleCell);
    if (at !== titleColumn || titleCell === undefined || link === null) {
      problems.push(`songs row ${n}: the track link is in column ${at + 1}, not ${titleColumn + 1}`);
      return;
    }
    if (link.text === '') {
      problems.push(`songs row ${n}: the track link ${link.id} has no title`);
      return;
    }
    const streamsText = cellText($, cells[streamsColumn]);
    const streams = parseKworbCount(streamsText);
    if (streams === null) {
      problems.push(`songs row ${n}: Streams is not a count ("${streamsText.slice(0, 40)}")`);
      return;
    }
    const dailyText = cellText($, cells[dailyColumn]);
    const daily = dailyText === '' ? null : parseKworbCount(dailyText);
    if (dailyText !== '' && daily === null) {
      problems.push(`songs row ${n}: Daily is neither empty nor a count ("${dailyText.slice(0, 40)}")`);
      return;
    }
    if (daily !== null && daily > streams) {
      problems.push(`songs row ${n}: Daily (${daily}) is larger than Streams (${streams})`);
      return;
    }
    songs.push({
      spotifyId: link.id,
      title: link.text,
      featured: cellText($, titleCell).startsWith('*'),
      streams,
      daily,
    });
  });
  return {
    songs,
    layout: { header: headerRow !== undefined, titleColumn, streamsColumn, dailyColumn },
  };
}
