import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { applySnapshot, emptyArtistState } from '../../src/milestones/apply-snapshot.js';
import { readSubjects } from '../../src/milestones/readings.js';
import type { ArtistState } from '../../src/milestones/types.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { seededRandom, shuffle } from '../helpers/random.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);

function normalized(raw: unknown) {
  const result = normalizeSnapshot(snapshotSchema.parse(raw), trackings);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.snapshot;
}

describe('the Redis apply script', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    redis.disconnect();
    await Promise.all(prefixes.map(cleanupPrefix));
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`announces exactly what the pure engine announces, over a shuffled history with repeats (seed ${seed})`, async () => {
      const prefix = uniquePrefix('lua');
      prefixes.push(prefix);
      const store = new ArtistStateStore(redis, stateKeys(prefix));
      const random = seededRandom(seed);
      const history = randomHistory(tracking, 60, seed);
      // Mostly in order, with some shuffling and exact repeats, so stale and repeat paths are taken too.
      const stream = [
        ...history.slice(0, 5),
        ...shuffle(history.slice(5), random).slice(0, 40),
        ...history.slice(20, 30),
      ];
      let pure: ArtistState = emptyArtistState;
      const seen = new Set<string>();
      for (const raw of stream) {
        const snapshot = normalized(raw);
        const expected = applySnapshot(tracking, pure, snapshot);
        const got = await store.applySnapshot(snapshot, readSubjects(tracking, snapshot));
        const key = raw.capturedAt;
        if (expected.stale) {
          // An exact repeat of an applied snapshot repeats its answer; anything else older is stale.
          expect(got.status).toBe(seen.has(key) ? 'repeat' : 'stale');
        } else {
          expect(got.status).toBe('applied');
          if (got.status === 'stale') throw new Error('unreachable');
          const announced = expected.milestones.map(
            (m) => `${m.kind}:${m.albumId ?? ''}:${m.trackId ?? ''}:${m.threshold}`,
          );
          const fromRedis = got.announced.map(({ key, threshold }) => {
            const reading = readSubjects(tracking, snapshot).find((r) => r.key === key);
            return `${reading?.kind}:${reading?.albumId ?? ''}:${reading?.trackId ?? ''}:${threshold}`;
          });
          expect(fromRedis).toEqual(announced);
          seen.add(key);
        }
        pure = expected.state;
      }
      const view = await store.view(tracking.artist.id);
      expect(view.lastAppliedMs).toBe(pure.lastAppliedMs);
      for (const [key, reached] of pure.reached) expect(view.subjects.get(key)?.reached).toBe(reached);
    });
  }

  it('keeps counts up to 2^53-1 exact', async () => {
    const prefix = uniquePrefix('lua-big');
    prefixes.push(prefix);
    const store = new ArtistStateStore(redis, stateKeys(prefix));
    const big = normalized({
      capturedAt: '2024-01-01T00:00:00+09:00',
      tracks: {},
      artistStreams: Number.MAX_SAFE_INTEGER,
    });
    await store.applySnapshot(big, readSubjects(tracking, big));
    const view = await store.view(tracking.artist.id);
    expect(view.subjects.get('artist')?.value).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('changes nothing for a stale snapshot', async () => {
    const prefix = uniquePrefix('lua-stale');
    prefixes.push(prefix);
    const store = new ArtistStateStore(redis, stateKeys(prefix));
    const newer = normalized({
      capturedAt: '2023-10-02T00:00:00+09:00',
      tracks: {},
      artistStreams: 1_200_000_000,
    });
    const older = normalized({
      capturedAt: '2023-10-01T00:00:00+09:00',
      tracks: {},
      artistStreams: 1_600_000_000,
    });
    await store.applySnapshot(newer, readSubjects(tracking, newer));
    const before = await redis.hgetall(stateKeys(prefix).artistState('v'));
    const outcome = await store.applySnapshot(older, readSubjects(tracking, older));
    expect(outcome.status).toBe('stale');
    expect(await redis.hgetall(stateKeys(prefix).artistState('v'))).toEqual(before);
  });
});
