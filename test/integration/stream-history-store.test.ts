import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { StreamHistoryStore } from '../../src/state/stream-history.store.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { enterAndDrain, entryFor } from '../helpers/store-drain.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));

function snapshotAt(capturedAt: string, perTrack: number) {
  const result = normalizeSnapshot(
    snapshotSchema.parse({
      capturedAt,
      tracks: Object.fromEntries(trackIds.map((id) => [id, perTrack])),
      followers: 15_000_000,
    }),
    trackings,
  );
  if (!result.ok) throw new Error('bad snapshot');
  return result.snapshot;
}

describe('stream history', () => {
  let prefix: string;
  let redis: Redis;
  let state: ArtistStateStore;
  let history: StreamHistoryStore;

  beforeEach(() => {
    prefix = uniquePrefix('history');
    redis = testRedis();
    state = new ArtistStateStore(redis, stateKeys(prefix), 3);
    history = new StreamHistoryStore(redis, stateKeys(prefix));
  });

  afterEach(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  let jobs = 0;
  async function apply(capturedAt: string, perTrack: number) {
    const entry = entryFor(snapshotAt(capturedAt, perTrack), `job-${(jobs += 1)}`);
    const { result } = await enterAndDrain(state, tracking, entry);
    return { status: result?.owner === entry.owner ? result.status : 'repeat' };
  }

  it('records one point per applied snapshot, in capturedAt order, with the charted subjects', async () => {
    await apply('2023-10-01T23:00:00+09:00', 40);
    await apply('2023-10-02T23:00:00+09:00', 41);
    const series = await history.series('v');
    expect(series.map((p) => p.at)).toEqual(['2023-10-01T23:00:00+09:00', '2023-10-02T23:00:00+09:00']);
    expect(series[1]?.values).toEqual({
      'album:layover': 41 * 6,
      followers: 15_000_000,
      ...Object.fromEntries(trackIds.map((id) => [`track:${id}`, 41])),
    });
    expect(await history.series('v', { sinceMs: Date.parse('2023-10-02T00:00:00Z') })).toHaveLength(1);
    expect(await history.series('jimin')).toEqual([]);
  });

  it('adds nothing for a repeated or a stale snapshot', async () => {
    await apply('2023-10-02T23:00:00+09:00', 41);
    expect((await apply('2023-10-02T23:00:00+09:00', 41)).status).toBe('repeat');
    expect((await apply('2023-10-01T23:00:00+09:00', 40)).status).toBe('stale');
    expect(await history.series('v')).toHaveLength(1);
  });

  it('keeps only the newest points', async () => {
    for (let day = 1; day <= 5; day += 1) await apply(`2023-10-0${day}T23:00:00+09:00`, 40 + day);
    expect((await history.series('v')).map((p) => p.at)).toEqual([
      '2023-10-03T23:00:00+09:00',
      '2023-10-04T23:00:00+09:00',
      '2023-10-05T23:00:00+09:00',
    ]);
  });
});
