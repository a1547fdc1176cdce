import { formatPath } from '../tracking/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import { normalizeSnapshot, type SnapshotProblem } from './normalize-snapshot.js';
import { snapshotSchema, type Snapshot } from './schema.js';

export interface ValidatedSnapshots {
  readonly snapshots: Snapshot[];
  /** One message per bad line: `line N: json.path: message`. */
  readonly problems: string[];
}

/**
 * Validates one snapshot value (already parsed JSON) completely: the schema, then the artist and track keys
 * against the loaded configs. Returns each problem with its JSON path (`(root)` for the value itself, as
 * {@link formatPath} writes paths); empty when the snapshot is good.
 */
export function snapshotIssues(value: unknown, trackings: ReadonlyMap<string, Tracking>): SnapshotProblem[] {
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  }
  const normalized = normalizeSnapshot(parsed.data, trackings);
  return normalized.ok ? [] : normalized.problems;
}

/** {@link snapshotIssues} as `json.path: message` lines; empty when the snapshot is good. */
export function snapshotProblems(value: unknown, trackings: ReadonlyMap<string, Tracking>): string[] {
  return snapshotIssues(value, trackings).map((p) => `${p.path}: ${p.message}`);
}

/**
 * Validates a JSON Lines text of snapshots, every line before anything is used: blank lines are skipped, and
 * each bad line gives one message naming its number and the first problem's path.
 */
export function validateSnapshotLines(
  text: string,
  trackings: ReadonlyMap<string, Tracking>,
): ValidatedSnapshots {
  const snapshots: Snapshot[] = [];
  const problems: string[] = [];
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
    const lineProblems = snapshotProblems(value, trackings);
    if (lineProblems.length > 0) {
      problems.push(`line ${n}: ${lineProblems.join('; ')}`);
      return;
    }
    snapshots.push(snapshotSchema.parse(value));
  });
  return { snapshots, problems };
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
