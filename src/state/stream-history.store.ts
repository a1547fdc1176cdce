import type { Redis } from 'ioredis';
import type { HistoryPoint } from '../cards/status-chart.js';
import type { SubjectReading } from '../milestones/types.js';
import type { StateKeys } from './keys.js';

/** Subjects worth a line on a chart; `allTracks` is the lowest track, already there. */
const chartedKinds: ReadonlySet<SubjectReading['kind']> = new Set(['track', 'album', 'artist', 'followers']);

/** Enough for more than five years of daily snapshots. */
const defaultMaxPoints = 2_000;

/**
 * The history behind `/layover status` charts: one point per applied snapshot (its `capturedAt` and the count of
 * every subject it read), in a sorted set per artist scored by `capturedAt`. Appending the same snapshot again (a
 * retried job) adds nothing, since the member is the same; the oldest points beyond `maxPoints` are dropped.
 */
export class StreamHistoryStore {
  private readonly maxPoints: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    options: { readonly maxPoints?: number } = {},
  ) {
    this.maxPoints = options.maxPoints ?? defaultMaxPoints;
  }

  /** Records the readings of one applied snapshot. Call only for snapshots that were applied (not stale). */
  async append(
    artistId: string,
    capturedAt: string,
    capturedAtMs: number,
    readings: readonly SubjectReading[],
  ): Promise<void> {
    const values: Record<string, number> = {};
    for (const reading of [...readings].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      if (chartedKinds.has(reading.kind)) values[reading.key] = reading.value;
    }
    if (Object.keys(values).length === 0) return;
    const point: HistoryPoint = { at: capturedAt, values };
    const key = this.keys.artistHistory(artistId);
    const results = await this.redis
      .multi()
      .zadd(key, capturedAtMs, JSON.stringify(point))
      .zremrangebyrank(key, 0, -(this.maxPoints + 1))
      .exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0] as Error;
  }

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
