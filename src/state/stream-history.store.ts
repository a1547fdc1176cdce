import type { RedisClient } from '../redis.js';
import type { HistoryPoint } from '../milestones/history-point.js';
import { kindTable } from '../milestone-kinds.js';
import type { SubjectReading } from '../milestones/types.js';
import type { StateKeys } from './keys.js';
import { jsonKey } from './json-key.js';

/** Enough for more than five years of daily snapshots. */
export const historyMaxPoints = 2_000;

/**
 * The history point for one applied snapshot: its `capturedAt` and the count of every charted subject, in the
 * readings' order (fixed by the tracking config), so the same snapshot always gives the same member. Null when
 * nothing is charted.
 */
export function historyPoint(capturedAt: string, readings: readonly SubjectReading[]): string | null {
  // Written directly (the same JSON as a HistoryPoint object) because it is built for every snapshot.
  let values = '';
  for (const reading of readings) {
    // Only subjects worth a line on a chart (the kinds table's `charted`).
    if (!kindTable[reading.kind].charted) continue;
    values += `${values === '' ? '' : ','}${jsonKey(reading.key)}:${reading.value}`;
  }
  return values === '' ? null : `{"at":${JSON.stringify(capturedAt)},"values":{${values}}}`;
}

/**
 * The history behind `/layover status` charts: one point per applied snapshot, in a sorted set per artist scored
 * by `capturedAt`. The commit-snapshot script writes it in the same atomic step as the state (so a retried job adds
 * nothing and the oldest points beyond {@link historyMaxPoints} are dropped); this store reads it.
 */
export class StreamHistoryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  /** The artist's points in time order, optionally only those at or after `sinceMs`. */
  async series(artistId: string, options: { readonly sinceMs?: number } = {}): Promise<HistoryPoint[]> {
    const raws = await this.redis.zrangebyscore(
      this.keys.artistHistory(artistId),
      options.sinceMs ?? '-inf',
      '+inf',
    );
    return raws.map((raw) => JSON.parse(raw) as HistoryPoint);
  }
}
