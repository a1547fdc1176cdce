import type { RedisClient } from '../redis.js';
import { enqueueSnapshots, type SnapshotEntrance } from '../jobs/enqueue-snapshots.js';
import type { Logger } from '../logger.js';
import type { SnapshotRecord } from '../snapshots/snapshot-record.js';
import { luaScript } from '../redis-scripts.js';
import { checkSnapshot, IgnoredKeys, type SnapshotRules } from '../snapshots/validate-snapshots.js';
import type { StateKeys } from '../state/keys.js';
import type { Tracking } from '../tracking/tracking.js';
import { SourceError, SourcePausedError, type Source, type SourceReading } from './source.js';
import { errorMessage } from '../error-message.js';

/** Keeps the larger of the stored and the given value of one hash field (see the script). */
const setIfLaterLua = new URL('./lua/set-if-later.lua', import.meta.url);

/** Most ticks skipped after consecutive failures: with hourly polls, a failing source is still tried every ~2.7 days. */
export const DEFAULT_MAX_SKIP_TICKS = 63;

export interface PollDeps {
  readonly redis: RedisClient;
  readonly keys: StateKeys;
  readonly entrance: SnapshotEntrance;
  readonly trackings: ReadonlyMap<string, Tracking>;
  readonly logger: Logger;
  /** The entrance rules every reading must pass (known keys, capturedAt not ahead of the clock). */
  readonly rules: SnapshotRules;
  /** Cap on the ticks skipped while backing off (default {@link DEFAULT_MAX_SKIP_TICKS}). */
  readonly maxSkipTicks?: number;
  /** The clock a pause is measured against (default `Date.now`). */
  readonly now?: () => number;
}

export type PollOutcome =
  | { readonly status: 'enqueued'; readonly sourceId: string; readonly jobIds: readonly string[] }
  | { readonly status: 'unchanged'; readonly sourceId: string; readonly dataKeys: readonly string[] }
  | {
      readonly status: 'failed';
      readonly sourceId: string;
      readonly error: string;
      /** Consecutive failures, this one included. */
      readonly failures: number;
      /** Scheduled ticks that will be skipped before the next try. */
      readonly skipTicks: number;
    }
  | { readonly status: 'backing-off'; readonly sourceId: string; readonly ticksLeft: number }
  | {
      readonly status: 'paused';
      readonly sourceId: string;
      /** When polling resumes (a spent API quota resets), epoch milliseconds. */
      readonly untilMs: number;
    };

/** The snapshot job id of a polled reading: the same artist and data date always give the same id. */
export function polledSnapshotJobId(reading: SourceReading): string {
  return `poll~${reading.artistId}~${reading.dataKey}`;
}

/**
 * Ticks to skip after `failures` consecutive failures: 0, 1, 3, 7, 15 … (the wait doubles: 1, 2, 4, 8 …
 * intervals), capped at `max`.
 */
export function backoffTicks(failures: number, max: number): number {
  if (failures <= 1) return 0;
  return Math.min(max, 2 ** Math.min(failures - 1, 30) - 1);
}

/**
 * Holds a poll's readings to the entrance rules, as POST /snapshots and ingest do: any reading refused (a
 * `capturedAt` ahead of the clock, nothing tracked in it) fails the whole poll, so nothing of it is enqueued.
 * Collects the ignored keys of the readings into `ignored`, and returns each reading's admitted record.
 */
function checkReadings(
  source: Source,
  readings: readonly SourceReading[],
  rules: SnapshotRules,
  ignored: IgnoredKeys,
): Map<SourceReading, SnapshotRecord> {
  const problems: string[] = [];
  const records = new Map<SourceReading, SnapshotRecord>();
  for (const reading of readings) {
    const checked = checkSnapshot(reading.snapshot, rules);
    if (checked.ok) {
      ignored.add(checked.ignoredKeys);
      records.set(reading, checked.record);
    } else {
      for (const p of checked.problems) problems.push(`reading ${reading.dataKey}: ${p.path}: ${p.message}`);
    }
  }
  if (problems.length > 0) {
    throw new SourceError(
      `${source.url}: ${problems.length} problem(s), nothing taken: ${problems.join('; ')}`,
      true,
    );
  }
  return records;
}

/**
 * One scheduled poll of one source. While backing off it only counts the tick down. Otherwise it fetches, and
 * enqueues each reading that is later than the newest this source has given for its artist, with a deterministic
 * job id, and only then records it as seen (a crash in between re-enqueues the same id, which BullMQ ignores).
 * A failed fetch, or a reading the entrance rules refuse, enqueues nothing and lengthens the backoff; a success
 * resets it. A source that says when it will answer again ({@link SourcePausedError}: a spent daily quota) is
 * paused until then, logged once, without counting as a failure; its ticks meanwhile fetch nothing.
 */
export async function pollSource(source: Source, deps: PollDeps): Promise<PollOutcome> {
  const key = deps.keys.pollSource(source.id);
  const now = deps.now ?? Date.now;
  const [skipField, pausedField] = await deps.redis.hmget(key, 'skip', 'pausedUntil');
  const pausedUntil = Number(pausedField ?? 0);
  if (pausedUntil > now()) {
    deps.logger.debug({ source: source.id, until: new Date(pausedUntil).toISOString() }, 'poll: paused');
    return { status: 'paused', sourceId: source.id, untilMs: pausedUntil };
  }
  const skip = Number(skipField ?? 0);
  if (skip > 0) {
    const left = await deps.redis.hincrby(key, 'skip', -1);
    return { status: 'backing-off', sourceId: source.id, ticksLeft: Math.max(0, left) };
  }
  let readings: SourceReading[];
  let admitted: Map<SourceReading, SnapshotRecord>;
  const ignored = new IgnoredKeys();
  try {
    readings = await source.fetch();
    admitted = checkReadings(source, readings, deps.rules, ignored);
  } catch (error) {
    const message = errorMessage(error);
    if (error instanceof SourcePausedError) {
      // Not a failure: the API said when it will answer again. Said once; the ticks until then fetch nothing.
      await deps.redis.hset(key, {
        pausedUntil: error.untilMs,
        lastError: message.slice(0, 1000),
        lastErrorAt: Date.now(),
      });
      deps.logger.warn(
        { source: source.id, until: new Date(error.untilMs).toISOString(), err: message },
        'poll paused until the source answers again; nothing enqueued',
      );
      return { status: 'paused', sourceId: source.id, untilMs: error.untilMs };
    }
    const failures = await deps.redis.hincrby(key, 'failures', 1);
    const skipTicks = backoffTicks(failures, deps.maxSkipTicks ?? DEFAULT_MAX_SKIP_TICKS);
    await deps.redis.hset(key, {
      skip: skipTicks,
      lastError: message.slice(0, 1000),
      lastErrorAt: Date.now(),
    });
    deps.logger.warn(
      { source: source.id, failures, skipTicks, err: message },
      'poll failed; nothing enqueued',
    );
    return { status: 'failed', sourceId: source.id, error: message, failures, skipTicks };
  }
  await deps.redis.hset(key, { failures: 0, skip: 0, pausedUntil: 0, lastSuccessAt: Date.now() });

  const artists = [...new Set(readings.map((r) => r.artistId))];
  const latest = new Map<string, number>();
  if (artists.length > 0) {
    const stored = await deps.redis.hmget(key, ...artists.map((a) => `latest:${a}`));
    artists.forEach((a, i) => latest.set(a, Number(stored[i] ?? Number.NEGATIVE_INFINITY)));
  }
  const fresh = readings
    .filter((r) => r.capturedAtMs > (latest.get(r.artistId) ?? Number.NEGATIVE_INFINITY))
    .sort((a, b) => a.capturedAtMs - b.capturedAtMs);
  if (fresh.length === 0) {
    deps.logger.debug({ source: source.id }, 'poll: no new data date');
    return { status: 'unchanged', sourceId: source.id, dataKeys: readings.map((r) => r.dataKey) };
  }
  const records = fresh.map((r) => {
    const record = admitted.get(r);
    if (record === undefined) throw new Error(`reading ${r.dataKey} was not admitted`);
    return record;
  });
  const jobIds = await enqueueSnapshots(deps.entrance, records, { jobIds: fresh.map(polledSnapshotJobId) });
  for (const reading of fresh) {
    await luaScript(deps.redis, setIfLaterLua, 1)(
      key,
      `latest:${reading.artistId}`,
      String(reading.capturedAtMs),
    );
  }
  if (ignored.size === 0) deps.logger.info({ source: source.id, jobIds }, 'poll: new data enqueued');
  else {
    deps.logger.warn(
      { source: source.id, jobIds, ignored: ignored.list().slice(0, 100), ignoredCount: ignored.size },
      'poll: new data enqueued; track keys that match no tracked track were ignored',
    );
  }
  return { status: 'enqueued', sourceId: source.id, jobIds };
}
