import type { Tracking } from '../tracking/tracking.js';
import { normalizeSnapshot } from './normalize-snapshot.js';
import { snapshotSchema, type Snapshot } from './schema.js';
import { toSnapshotRecord, type SnapshotRecord } from './snapshot-record.js';

/**
 * Validated snapshots as the pipeline takes them in: resolved against the tracking configs (artist, track keys to
 * track ids). Throws if one does not resolve, which validation has already ruled out.
 */
export function admitSnapshots(
  snapshots: readonly Snapshot[],
  trackings: ReadonlyMap<string, Tracking>,
): SnapshotRecord[] {
  return snapshots.map((snapshot, i) => {
    const normalized = normalizeSnapshot(snapshot, trackings);
    if (!normalized.ok) {
      const problems = normalized.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new Error(`snapshot ${i} was not validated before admission: ${problems}`);
    }
    return toSnapshotRecord(normalized.snapshot);
  });
}

/**
 * Raw snapshots (parsed JSON) validated and admitted in one go, for code that makes its own snapshots (the bench,
 * tests). Throws, naming the first bad one and its problems.
 */
export function admitRawSnapshots(
  raws: readonly unknown[],
  trackings: ReadonlyMap<string, Tracking>,
): SnapshotRecord[] {
  return raws.map((raw, i) => {
    const parsed = snapshotSchema.safeParse(raw);
    const normalized = parsed.success ? normalizeSnapshot(parsed.data, trackings) : null;
    if (normalized === null || !normalized.ok) {
      const problems = parsed.success
        ? (normalized?.ok === false ? normalized.problems : []).map((p) => `${p.path}: ${p.message}`)
        : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`snapshot ${i} is not valid: ${problems.join('; ')}`);
    }
    return toSnapshotRecord(normalized.snapshot);
  });
}
