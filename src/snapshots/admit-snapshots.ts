import type { Tracking } from '../tracking/tracking.js';
import { normalizeSnapshot } from './normalize-snapshot.js';
import { snapshotSchema } from './schema.js';
import { toSnapshotRecord, type SnapshotRecord } from './snapshot-record.js';

/**
 * Raw snapshots (parsed JSON) validated and admitted in one go, for code that makes its own snapshots (the bench,
 * tests). Throws, naming the first bad one and its problems. The entrances instead take each snapshot's record
 * from the entrance check (`checkSnapshot` in validate-snapshots.ts), so that nothing is normalised twice.
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
