import { formatPath } from '../tracking/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import { futureCapturedAtProblem, type Clock, type ClockSkewRule } from './clock-skew.js';
import { suggestTrackId } from './did-you-mean.js';
import { normalizeSnapshot, type NormalizedSnapshot, type SnapshotProblem } from './normalize-snapshot.js';
import { snapshotSchema, type Snapshot } from './schema.js';
import { toSnapshotRecord, type SnapshotRecord } from './snapshot-record.js';

export type { Clock };

/**
 * What every entrance (POST /snapshots, `npm run ingest`, the poller, the replay's file check) holds a snapshot
 * to: the loaded tracking configs and the server's clock.
 */
export interface SnapshotRules extends ClockSkewRule {
  readonly trackings: ReadonlyMap<string, Tracking>;
}

/** The rules from the loaded configs and `CLOCK_SKEW_SECONDS`; `now` defaults to the system clock. */
export function snapshotRules(
  trackings: ReadonlyMap<string, Tracking> | readonly Tracking[],
  clockSkewSeconds: number,
  now: Clock = Date.now,
): SnapshotRules {
  const byId =
    trackings instanceof Map
      ? (trackings as ReadonlyMap<string, Tracking>)
      : new Map((trackings as readonly Tracking[]).map((t) => [t.artist.id, t]));
  return { trackings: byId, clockSkewSeconds, now };
}

/** A snapshot that passed every rule, with the `tracks` keys that matched nothing tracked. */
export interface CheckedSnapshot {
  readonly ok: true;
  readonly snapshot: Snapshot;
  readonly normalized: NormalizedSnapshot;
  /** What the pipeline takes in: the snapshot resolved against the configs, ready to enqueue. */
  readonly record: SnapshotRecord;
  /** Keys of `tracks` that match no tracked track: ignored, and listed back to whoever sent them. */
  readonly ignoredKeys: readonly string[];
}

export type SnapshotCheck = CheckedSnapshot | { readonly ok: false; readonly problems: SnapshotProblem[] };

/** Unknown keys listed in one message; the rest are counted. */
const LISTED_KEYS = 5;

function didYouMean(key: string, tracking: Tracking): string {
  const suggestion = suggestTrackId(key, tracking);
  return suggestion === null ? '' : ` (did you mean "${suggestion}"?)`;
}

/**
 * A snapshot that names no tracked track (by id or Spotify id) and has no `artistStreams` and no `followers`
 * would change nothing, which almost always means a typo (`rainy-dayz`) or the wrong artist: it is refused,
 * with a "did you mean" for each key close to a tracked track's id, Spotify id or title. Null when the snapshot
 * carries something to apply.
 */
export function nothingToApplyProblem(
  normalized: NormalizedSnapshot,
  tracking: Tracking,
): SnapshotProblem | null {
  if (
    normalized.tracks.size > 0 ||
    normalized.views.size > 0 ||
    normalized.artistStreams !== undefined ||
    normalized.followers !== undefined
  )
    return null;
  const rest = 'and the snapshot has no known video, artistStreams or followers: it would change nothing';
  const keys = normalized.ignoredKeys;
  const artist = `"${tracking.artist.id}"`;
  const [only] = keys;
  if (only === undefined) return { path: 'tracks', message: `is empty, ${rest}` };
  if (keys.length === 1) {
    return {
      path: formatPath(['tracks', only]),
      message: `matches no track id or Spotify id of ${artist}${didYouMean(only, tracking)}, ${rest}`,
    };
  }
  const listed = keys.slice(0, LISTED_KEYS).map((key) => `"${key}"${didYouMean(key, tracking)}`);
  if (keys.length > LISTED_KEYS) listed.push(`and ${keys.length - LISTED_KEYS} more`);
  return {
    path: 'tracks',
    message: `none of its ${keys.length} keys matches a track id or Spotify id of ${artist} (${listed.join(', ')}), ${rest}`,
  };
}

/** The schema, the artist and track keys, and the nothing-to-apply rule: everything but the clock. */
function checkAgainstConfigs(value: unknown, trackings: ReadonlyMap<string, Tracking>): SnapshotCheck {
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  }
  const normalized = normalizeSnapshot(parsed.data, trackings);
  if (!normalized.ok) return { ok: false, problems: normalized.problems };
  const nothing = nothingToApplyProblem(normalized.snapshot, normalized.tracking);
  if (nothing !== null) return { ok: false, problems: [nothing] };
  return {
    ok: true,
    snapshot: parsed.data,
    normalized: normalized.snapshot,
    record: toSnapshotRecord(normalized.snapshot),
    ignoredKeys: normalized.snapshot.ignoredKeys,
  };
}

/**
 * Checks one snapshot value (already parsed JSON) as every entrance must, before anything is enqueued: the
 * schema, the artist and track keys against the loaded configs (a snapshot with nothing tracked in it is
 * refused), and `capturedAt` against the server's clock (at most `CLOCK_SKEW_SECONDS` ahead). Problems carry
 * their JSON path (`(root)` for the value itself, as {@link formatPath} writes paths).
 */
export function checkSnapshot(value: unknown, rules: SnapshotRules): SnapshotCheck {
  const checked = checkAgainstConfigs(value, rules.trackings);
  if (!checked.ok) return checked;
  const future = futureCapturedAtProblem(checked.normalized.capturedAtMs, rules);
  return future === null ? checked : { ok: false, problems: [future] };
}

/**
 * {@link checkSnapshot} without the clock: for readers (a polled JSON answer) whose caller applies the clock
 * rule itself. Empty when the snapshot is good.
 */
export function snapshotIssues(value: unknown, trackings: ReadonlyMap<string, Tracking>): SnapshotProblem[] {
  const checked = checkAgainstConfigs(value, trackings);
  return checked.ok ? [] : checked.problems;
}

/** Unknown `tracks` keys gathered over a batch or a file: each once, in the order first seen. */
export class IgnoredKeys {
  private readonly keys = new Set<string>();

  add(keys: readonly string[]): void {
    for (const key of keys) this.keys.add(key);
  }

  get size(): number {
    return this.keys.size;
  }

  list(): string[] {
    return [...this.keys];
  }
}

export interface ValidatedSnapshots {
  readonly snapshots: Snapshot[];
  /** The same snapshots admitted (resolved against the configs), in the same order: what gets enqueued. */
  readonly records: SnapshotRecord[];
  /** One message per bad line: `line N: json.path: message`. */
  readonly problems: string[];
  /** `tracks` keys of the good snapshots that match no tracked track, each once. */
  readonly ignored: string[];
}

/**
 * Validates a JSON Lines text of snapshots, every line before anything is used: blank lines are skipped, and
 * each bad line gives one message naming its number and its problems.
 */
export function validateSnapshotLines(text: string, rules: SnapshotRules): ValidatedSnapshots {
  const snapshots: Snapshot[] = [];
  const records: SnapshotRecord[] = [];
  const problems: string[] = [];
  const ignored = new IgnoredKeys();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const n = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`line ${n}: (root): not valid JSON (${(error as Error).message})`);
      return;
    }
    const checked = checkSnapshot(value, rules);
    if (!checked.ok) {
      problems.push(`line ${n}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      return;
    }
    ignored.add(checked.ignoredKeys);
    snapshots.push(checked.snapshot);
    records.push(checked.record);
  });
  return { snapshots, records, problems, ignored: ignored.list() };
}

/**
 * A snapshot problem's path inside a batch: `itemPath(3, 'tracks.blue')` is `[3].tracks.blue`, and the item itself
 * (`(root)`) is `[3]`. Without an index (a single snapshot) the path is unchanged.
 */
export function itemPath(index: number | null, path: string): string {
  if (index === null) return path;
  if (path === '(root)') return `[${index}]`;
  return path.startsWith('[') ? `[${index}]${path}` : `[${index}].${path}`;
}
