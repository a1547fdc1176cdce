import { load, type CheerioAPI, type contains } from 'cheerio';
import { DateTime } from 'luxon';
import { SourceError } from './source.js';

/** One row of the songs table. */
export interface KworbSong {
  readonly spotifyId: string;
  readonly title: string;
  /** The row began with `* `: the artist is only featured on this song. */
  readonly featured: boolean;
  readonly streams: number;
  /** Empty Daily cells are null. */
  readonly daily: number | null;
}

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

/** A DOM node as cheerio returns it (cheerio does not re-export domhandler's types). */
type Element = Parameters<typeof contains>[0];

const TITLE_SUFFIX = ' - Spotify Top Songs';
const TRACK_LINK = /open\.spotify\.com\/track\/([A-Za-z0-9]{22})(?:[?#/]|$)/;

/** `2,099,544,623` -> 2099544623; null for anything else (empty, negative, fractional, past 2^53-1). */
export function parseKworbCount(text: string): number | null {
  const t = text.trim();
  if (!/^(\d{1,3}(,\d{3})*|\d+)$/.test(t)) return null;
  const n = Number(t.replaceAll(',', ''));
  return Number.isSafeInteger(n) ? n : null;
}

function cellText($: CheerioAPI, cell: Element | undefined): string {
  return cell === undefined ? '' : $(cell).text().replace(/\s+/g, ' ').trim();
}

function rowCells($: CheerioAPI, row: Element): Element[] {
  return $(row).children('td, th').toArray();
}

interface Summary {
  streams: number | null;
  daily: number | null;
  tracks: number | null;
}

function readSummary($: CheerioAPI, problems: string[]): Summary {
  const summary: Summary = { streams: null, daily: null, tracks: null };
  const labelCell = $('td.text')
    .toArray()
    .find((td) => cellText($, td) === 'Streams' && $(td).closest('table').is(':not(.addpos)'));
  if (labelCell === undefined) {
    problems.push('missing the summary table (a row whose first cell is "Streams")');
    return summary;
  }
  const table = $(labelCell).closest('table');
  const rows = table.find('tr').toArray();
  let totalIndex = -1;
  for (const row of rows) {
    const index = rowCells($, row).findIndex((cell) => cellText($, cell) === 'Total');
    if (index >= 0) {
      totalIndex = index;
      break;
    }
  }
  if (totalIndex < 0) {
    problems.push('missing the "Total" column in the summary table');
    return summary;
  }
  const value = (label: string, emptyIsNull: boolean): number | null => {
    const row = rows.find((r) => cellText($, rowCells($, r)[0]) === label);
    if (row === undefined) {
      problems.push(`missing the "${label}" row in the summary table`);
      return null;
    }
    const text = cellText($, rowCells($, row)[totalIndex]);
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

function readSongs($: CheerioAPI, problems: string[]): KworbSong[] {
  const table = $('table.addpos.sortable').first();
  if (table.length === 0) {
    problems.push('missing the songs table (table.addpos.sortable)');
    return [];
  }
  const headerRow = table
    .find('tr')
    .toArray()
    .find((r) => $(r).children('th').length > 0);
  const headers = headerRow === undefined ? [] : rowCells($, headerRow).map((c) => cellText($, c));
  const column = (name: string): number => {
    const index = headers.indexOf(name);
    if (index < 0)
      problems.push(
        `missing the "${name}" header in the songs table (headers: ${headers.join(' | ') || 'none'})`,
      );
    return index;
  };
  const titleAt = column('Song Title');
  const streamsAt = column('Streams');
  const dailyAt = column('Daily');
  if (titleAt < 0 || streamsAt < 0 || dailyAt < 0) return [];

  const songs: KworbSong[] = [];
  const rows = table
    .find('tr')
    .toArray()
    .filter((r) => r !== headerRow && $(r).children('td').length > 0);
  if (rows.length === 0) problems.push('the songs table has no rows');
  rows.forEach((row, i) => {
    const n = i + 1;
    const cells = rowCells($, row);
    const titleCell = cells[titleAt];
    const link = titleCell === undefined ? undefined : $(titleCell).find('a[href]').first();
    const match = link?.attr('href')?.match(TRACK_LINK);
    if (titleCell === undefined || link === undefined || match?.[1] === undefined) {
      problems.push(`songs row ${n}: missing the open.spotify.com/track/<id> link`);
      return;
    }
    const streamsText = cellText($, cells[streamsAt]);
    const streams = parseKworbCount(streamsText);
    if (streams === null) {
      problems.push(`songs row ${n}: Streams is not a count ("${streamsText}")`);
      return;
    }
    const dailyText = cellText($, cells[dailyAt]);
    const daily = dailyText === '' ? null : parseKworbCount(dailyText);
    if (dailyText !== '' && daily === null) {
      problems.push(`songs row ${n}: Daily is neither empty nor a count ("${dailyText}")`);
      return;
    }
    songs.push({
      spotifyId: match[1],
      title: link.text().trim(),
      featured: cellText($, titleCell).startsWith('*'),
      streams,
      daily,
    });
  });
  return songs;
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
  const songs = readSongs($, problems);
  if (problems.length > 0 || summary.streams === null || summary.tracks === null) {
    throw new KworbLayoutError(url, problems);
  }
  return {
    artistName,
    lastUpdated,
    totalStreams: summary.streams,
    totalDaily: summary.daily,
    totalTracks: summary.tracks,
    songs,
  };
}
