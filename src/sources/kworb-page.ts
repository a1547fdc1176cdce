import { load, type CheerioAPI } from 'cheerio';
import { DateTime } from 'luxon';
import {
  cellText,
  parseKworbCount,
  readSongsTable,
  rowCells,
  type KworbSong,
  type SongsTableLayout,
} from './kworb-songs-table.js';
import { SourceError } from './source.js';

export { parseKworbCount, type KworbSong } from './kworb-songs-table.js';

/** What a kworb artist songs page (`https://kworb.net/spotify/artist/<id>_songs.html`) says. */
export interface KworbPage {
  readonly artistName: string;
  /** The "Last updated: YYYY/MM/DD" day, as `YYYY-MM-DD`. */
  readonly lastUpdated: string;
  /** Summary table, Total column. */
  readonly totalStreams: number;
  readonly totalDaily: number | null;
  readonly totalTracks: number;
  readonly songs: readonly KworbSong[];
  /** How the songs table's columns were found. */
  readonly layout: SongsTableLayout;
}

/** A page that does not look like a kworb artist songs page; `missing` lists every part that was not found. */
export class KworbLayoutError extends SourceError {
  constructor(
    readonly url: string,
    readonly missing: readonly string[],
  ) {
    super(`${url}: not a kworb artist songs page as expected; ${missing.join('; ')}`, true);
    this.name = 'KworbLayoutError';
  }
}

const TITLE_SUFFIX = ' - Spotify Top Songs';

interface Summary {
  streams: number | null;
  daily: number | null;
  tracks: number | null;
}

/**
 * The summary table above the songs: rows labelled `Streams`, `Daily` and `Tracks`, the figures under `Total` (the
 * first figure column when the table has no header row).
 */
function readSummary($: CheerioAPI, problems: string[]): Summary {
  const summary: Summary = { streams: null, daily: null, tracks: null };
  const labelCell = $('td')
    .toArray()
    .find(
      (td) =>
        cellText($, td) === 'Streams' &&
        $(td).prevAll('td, th').length === 0 &&
        $(td).closest('table').find('a[href*="open.spotify.com/"]').length === 0,
    );
  if (labelCell === undefined) {
    problems.push('missing the summary table (a row whose first cell is "Streams")');
    return summary;
  }
  const table = $(labelCell).closest('table');
  const rows = table.find('tr').toArray();
  let totalIndex = -1;
  const headerRow = rows.find((r) => $(r).children('th').length > 0 && $(r).children('td').length === 0);
  if (headerRow === undefined) totalIndex = 1;
  else totalIndex = rowCells($, headerRow).findIndex((cell) => cellText($, cell) === 'Total');
  if (totalIndex < 0) {
    problems.push('missing the "Total" column in the summary table');
    return summary;
  }
  const width = headerRow === undefined ? undefined : rowCells($, headerRow).length;
  const value = (label: string, emptyIsNull: boolean): number | null => {
    const row = rows.find((r) => cellText($, rowCells($, r)[0]) === label);
    if (row === undefined) {
      problems.push(`missing the "${label}" row in the summary table`);
      return null;
    }
    const cells = rowCells($, row);
    // A missing or extra cell would put another column's figure under Total.
    if (width !== undefined && cells.length !== width) {
      problems.push(`summary "${label}" row has ${cells.length} cells where the header has ${width}`);
      return null;
    }
    const text = cellText($, cells[totalIndex]);
    if (text === '' && emptyIsNull) return null;
    const n = parseKworbCount(text);
    if (n === null) problems.push(`summary "${label}" Total is not a count ("${text}")`);
    return n;
  };
  summary.streams = value('Streams', false);
  summary.daily = value('Daily', true);
  summary.tracks = value('Tracks', false);
  return summary;
}

/**
 * Parses a kworb artist songs page. Every part the page is known to have is required; a page missing any of them
 * throws {@link KworbLayoutError} naming each missing part, so a layout change never becomes a snapshot of zeros.
 */
export function parseKworbPage(html: string, url: string): KworbPage {
  const $ = load(html);
  const problems: string[] = [];
  const title = $('title').first().text().trim();
  let artistName = '';
  if (title.endsWith(TITLE_SUFFIX) && title.length > TITLE_SUFFIX.length) {
    artistName = title.slice(0, -TITLE_SUFFIX.length).trim();
  } else {
    problems.push(`missing the title "<Artist>${TITLE_SUFFIX}" (found "${title.slice(0, 80)}")`);
  }
  let lastUpdated = '';
  const updated = $('body')
    .text()
    .match(/Last updated:\s*(\d{4})\/(\d{2})\/(\d{2})/);
  if (updated === null) {
    problems.push('missing "Last updated: YYYY/MM/DD"');
  } else {
    const day = DateTime.fromObject(
      { year: Number(updated[1]), month: Number(updated[2]), day: Number(updated[3]) },
      { zone: 'utc' },
    );
    if (day.isValid) lastUpdated = day.toISODate();
    else problems.push(`"Last updated: ${updated[1]}/${updated[2]}/${updated[3]}" is not a real date`);
  }
  const summary = readSummary($, problems);
  const { songs, layout } = readSongsTable($, problems);
  if (songs.length === 0 && layout !== null && problems.length === 0)
    problems.push('the songs table has no rows');
  if (!/<\/html>\s*$/i.test(html)) problems.push('the page is cut short (it does not end with </html>)');
  if (summary.streams !== null) {
    const top = songs.reduce<KworbSong | undefined>(
      (a, b) => (a === undefined || b.streams > a.streams ? b : a),
      undefined,
    );
    if (top !== undefined && top.streams > summary.streams) {
      problems.push(
        `summary Total streams (${summary.streams}) is below the streams of "${top.title}" (${top.streams})`,
      );
    }
  }
  if (problems.length > 0 || summary.streams === null || summary.tracks === null || layout === null) {
    throw new KworbLayoutError(url, problems);
  }
  return {
    artistName,
    lastUpdated,
    totalStreams: summary.streams,
    totalDaily: summary.daily,
    totalTracks: summary.tracks,
    songs,
    layout,
  };
}
