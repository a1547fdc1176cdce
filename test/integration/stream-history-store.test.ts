import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubjectReading } from '../../src/milestones/types.js';
import { stateKeys } from '../../src/state/keys.js';
import { StreamHistoryStore } from '../../src/state/stream-history.store.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

function reading(key: string, kind: SubjectReading['kind'], value: number): SubjectReading {
  return { key, kind, albumId: null, trackId: null, value, floor: 0, lastTrackId: null };
}

function readings(album: number, blue: number): SubjectReading[] {
  return [
    reading('album:layover', 'album', album),
    reading('allTracks:layover', 'allTracks', blue),
    reading('track:blue', 'track', blue),
    reading('followers', 'followers', 15_000_000),
  ];
}

describe('stream history store', () => {
  let prefix: string;
  let redis: Redis;
  let store: StreamHistoryStore;

  beforeEach(() => {
    prefix = uniquePrefix('history');
    redis = testRedis();
    store = new StreamHistoryStore(redis, stateKeys(prefix), { maxPoints: 3 });
  });

  afterEach(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('returns points in capturedAt order with the charted subjects, whatever the append order', async () => {
    await store.append(
      'v',
      '2023-10-02T23:00:00+09:00',
      Date.parse('2023-10-02T14:00:00Z'),
      readings(420, 41),
    );
    await store.append(
      'v',
      '2023-10-01T23:00:00+09:00',
      Date.parse('2023-10-01T14:00:00Z'),
      readings(410, 40),
    );
    expect(await store.series('v')).toEqual([
      {
        at: '2023-10-01T23:00:00+09:00',
        values: { 'album:layover': 410, followers: 15_000_000, 'track:blue': 40 },
      },
      {
        at: '2023-10-02T23:00:00+09:00',
        values: { 'album:layover': 420, followers: 15_000_000, 'track:blue': 41 },
      },
    ]);
    expect(await store.series('v', { sinceMs: Date.parse('2023-10-02T00:00:00Z') })).toHaveLength(1);
    expect(await store.series('jimin')).toEqual([]);
  });

  it('adds nothing when the same snapshot is appended again', async () => {
    for (let i = 0; i < 3; i += 1) {
      await store.append(
        'v',
        '2023-10-01T23:00:00+09:00',
        Date.parse('2023-10-01T14:00:00Z'),
        readings(410, 40),
      );
    }
    expect(await store.series('v')).toHaveLength(1);
  });

  it('keeps only the newest maxPoints points', async () => {
    for (let day = 1; day <= 5; day += 1) {
      const at = `2023-10-0${day}T23:00:00+09:00`;
      await store.append('v', at, Date.parse(at), readings(400 + day, 40 + day));
    }
    const series = await store.series('v');
    expect(series.map((p) => p.at)).toEqual([
      '2023-10-03T23:00:00+09:00',
      '2023-10-04T23:00:00+09:00',
      '2023-10-05T23:00:00+09:00',
    ]);
  });
});
