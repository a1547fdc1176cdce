import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Snapshot } from '../snapshots/schema.js';
import {
  checkSnapshot,
  IgnoredKeys,
  itemPath,
  validateSnapshotLines,
  type SnapshotRules,
} from '../snapshots/validate-snapshots.js';
import type { SnapshotRecord } from '../snapshots/snapshot-record.js';
import { suggestTrackId } from '../snapshots/did-you-mean.js';
import { isoWithOffsetSchema, slugSchema } from '../tracking/schema.js';

export interface SnapshotFile {
  /** Valid snapshots, in file order (CSV: in order of each time's first row). */
  readonly snapshots: Snapshot[];
  /** The same snapshots admitted (resolved against the configs), in the same order: what gets enqueued. */
  readonly records: SnapshotRecord[];
  /** Every problem, each naming where it is (`line N: …`, or `[i].path: …` in a JSON array). */
  readonly problems: string[];
  /** `tracks` keys of the good snapshots that match no tracked track, each once, in the order first seen. */
  readonly ignored: string[];
}

export const snapshotFileFormats = ['.jsonl', '.ndjson', '.json', '.csv'] as const;

/**
 * Reads a snapshot file of any supported format, by extension: JSON Lines (one snapshot a line), JSON (one
 * snapshot or an array), or CSV (`capturedAt,track,streams[,artist]` with a header row, one row per track per
 * time). Validates everything by the entrance rules ({@link checkSnapshot}); a file with any problem yields every
 * problem and should be used not at all.
 */
export function readSnapshotFile(path: string, text: string, rules: SnapshotRules): SnapshotFile {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.jsonl':
    case '.ndjson':
      return validateSnapshotLines(text, rules);
    case '.json':
      return readJsonSnapshots(text, rules);
    case '.csv':
      return readCsvSnapshots(text, rules);
    default:
      return {
        snapshots: [],
        records: [],
        problems: [`unknown file type "${ext}": use one of ${snapshotFileFormats.join(', ')}`],
        ignored: [],
      };
  }
}

/** A JSON file: one snapshot or an array of them. */
export function readJsonSnapshots(text: string, rules: SnapshotRules): SnapshotFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      snapshots: [],
      records: [],
      problems: [`(root): not valid JSON (${(error as Error).message})`],
      ignored: [],
    };
  }
  const batch = Array.isArray(value);
  const items: unknown[] = batch ? (value as unknown[]) : [value];
  const problems: string[] = [];
  const snapshots: Snapshot[] = [];
  const records: SnapshotRecord[] = [];
  const ignored = new IgnoredKeys();
  items.forEach((item, i) => {
    const checked = checkSnapshot(item, rules);
    if (checked.ok) {
      snapshots.push(checked.snapshot);
      records.push(checked.record);
      ignored.add(checked.ignoredKeys);
      return;
    }
    for (const issue of checked.problems)
      problems.push(`${itemPath(batch ? i : null, issue.path)}: ${issue.message}`);
  });
  return { snapshots, records, problems, ignored: ignored.list() };
}

/**
 * A CSV row names one track on purpose, so a `track` that is no tracked key but a few edits from one (`bleu`) is a
 * typo, refused with its line; one far from every tracked track is another song, ignored and listed like any
 * unknown key. Null when the cell is not a likely typo (or the artist is left to the snapshot's own check).
 */
function likelyTypo(track: string, artist: string | undefined, rules: SnapshotRules): string | null {
  const tracking =
    artist === undefined
      ? rules.trackings.size === 1
        ? rules.trackings.values().next().value
        : undefined
      : rules.trackings.get(artist);
  if (tracking === undefined || tracking.trackKeyToId.has(track)) return null;
  const suggestion = suggestTrackId(track, tracking);
  if (suggestion === null) return null;
  return `"${track}" matches no track id or Spotify id of "${tracking.artist.id}" (did you mean "${suggestion}"?)`;
}

const csvColumns = ['capturedAt', 'track', 'streams', 'artist'] as const;
type CsvColumn = (typeof csvColumns)[number];

interface CsvGroup {
  readonly capturedAt: string;
  readonly artist: string | undefined;
  readonly tracks: Record<string, number>;
  /** Track key -> the line it came from. */
  readonly lineOf: Map<string, number>;
  readonly lines: number[];
}

/**
 * A CSV file with a header naming `capturedAt`, `track` and `streams` (and optionally `artist`), in any order.
 * Rows with the same instant (and artist) become one snapshot. A `track` a few edits from a tracked one is refused
 * as a typo (see {@link likelyTypo}).
 */
export function readCsvSnapshots(text: string, rules: SnapshotRules): SnapshotFile {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    return {
      snapshots: [],
      records: [],
      problems: [`line ${lines ?? '?'}: not valid CSV (${(error as Error).message})`],
      ignored: [],
    };
  }
  const [header, ...body] = rows;
  if (header === undefined)
    return { snapshots: [], records: [], problems: ['line 1: the file is empty'], ignored: [] };
  const problems: string[] = [];
  const at = new Map<CsvColumn, number>();
  header.record.forEach((name, i) => {
    if ((csvColumns as readonly string[]).includes(name)) at.set(name as CsvColumn, i);
    else
      problems.push(
        `line ${header.info.lines}: unknown column "${name}" (columns: ${csvColumns.join(', ')})`,
      );
  });
  for (const required of ['capturedAt', 'track', 'streams'] as const) {
    if (!at.has(required)) problems.push(`line ${header.info.lines}: missing the "${required}" column`);
  }
  if (problems.length > 0) return { snapshots: [], records: [], problems, ignored: [] };

  const groups = new Map<string, CsvGroup>();
  // Rows of one time share their capturedAt: check each distinct text once.
  const timeProblem = new Map<string, string | null>();
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (c: CsvColumn) => {
      const i = at.get(c);
      return i === undefined ? undefined : record[i];
    };
    const capturedAt = cell('capturedAt') ?? '';
    const track = cell('track') ?? '';
    const streamsText = cell('streams') ?? '';
    const artistText = cell('artist');
    const artist = artistText === undefined || artistText === '' ? undefined : artistText;
    const rowProblems: string[] = [];
    let whenProblem = timeProblem.get(capturedAt);
    if (whenProblem === undefined) {
      const when = isoWithOffsetSchema.safeParse(capturedAt);
      whenProblem = when.success ? null : (when.error.issues[0]?.message ?? 'invalid');
      timeProblem.set(capturedAt, whenProblem);
    }
    if (whenProblem !== null) rowProblems.push(`capturedAt: ${whenProblem}`);
    if (track === '') rowProblems.push('track: must not be empty');
    const streams = /^\d+$/.test(streamsText) ? Number(streamsText) : Number.NaN;
    if (!Number.isSafeInteger(streams)) {
      rowProblems.push(
        `streams: must be a whole number from 0 to 2^53-1 (found "${streamsText.slice(0, 40)}")`,
      );
    }
    if (artist !== undefined && !slugSchema.safeParse(artist).success)
      rowProblems.push('artist: must be a slug');
    if (rowProblems.length > 0) {
      for (const p of rowProblems) problems.push(`line ${line}: ${p}`);
      continue;
    }
    const typo = likelyTypo(track, artist, rules);
    if (typo !== null) {
      problems.push(`line ${line}: track: ${typo}`);
      continue;
    }
    const key = `${Date.parse(capturedAt)}|${artist ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { capturedAt, artist, tracks: {}, lineOf: new Map(), lines: [] };
      groups.set(key, group);
    }
    const earlier = group.lineOf.get(track);
    if (earlier !== undefined) {
      problems.push(`line ${line}: track "${track}" already has a count at this time (line ${earlier})`);
      continue;
    }
    group.tracks[track] = streams;
    group.lineOf.set(track, line);
    group.lines.push(line);
  }

  const snapshots: Snapshot[] = [];
  const records: SnapshotRecord[] = [];
  const ignored = new IgnoredKeys();
  for (const group of groups.values()) {
    const value = {
      capturedAt: group.capturedAt,
      ...(group.artist === undefined ? {} : { artist: group.artist }),
      source: 'csv',
      tracks: group.tracks,
    };
    const checked = checkSnapshot(value, rules);
    if (checked.ok) {
      snapshots.push(checked.snapshot);
      records.push(checked.record);
      ignored.add(checked.ignoredKeys);
      continue;
    }
    for (const issue of checked.problems) {
      if (issue.path === 'capturedAt') {
        // Every row of this time has the problem, like a malformed date: one message per row.
        for (const line of group.lines) problems.push(`line ${line}: ${issue.path}: ${issue.message}`);
        continue;
      }
      const trackKey = issue.path.startsWith('tracks.') ? issue.path.slice('tracks.'.length) : undefined;
      const line = trackKey === undefined ? undefined : group.lineOf.get(trackKey);
      const lines = line === undefined ? group.lines : [line];
      const where = `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}`;
      problems.push(`${where}: ${issue.path}: ${issue.message}`);
    }
  }
  return { snapshots, records, problems, ignored: ignored.list() };
}
