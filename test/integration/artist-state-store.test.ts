import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { applySnapshot, emptyArtistState } from '../../src/milestones/apply-snapshot.js';
import { readSubjects } from '../../src/milestones/readings.js';
import type { ArtistState } from '../../src/milestones/types.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { createRedis } from '../../src/redis.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { seededRandom, shuffle } from '../helpers/random.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);

function normalized(raw: unknown) {
  const result = normalizeSnapshot(snapshotSchema.parse(raw), trackings);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.snapshot;
}

describe('the artist state store (pure decisions, compare-and-set commit in Redis)', () => {
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
      // What `view` must show per subject: the latest applied value, the one before it and the last decision.
      const expectedView = new Map<
        string,
        { value: number; previousValue: number | null; decision: string }
      >();
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
          readSubjects(tracking, snapshot).forEach((reading, i) => {
            expectedView.set(reading.key, {
              value: reading.value,
              previousValue: expectedView.get(reading.key)?.value ?? null,
              decision: expected.outcomes[i]!.decision,
            });
          });
        }
        pure = expected.state;
      }
      const view = await store.view(tracking.artist.id);
      expect(view.lastAppliedMs).toBe(pure.lastAppliedMs);
      for (const [key, reached] of pure.reached) expect(view.subjects.get(key)?.reached).toBe(reached);
      expect(view.subjects.size).toBe(pure.reached.size);
      for (const [key, subject] of expectedView) {
        expect(view.subjects.get(key), key).toMatchObject(subject);
      }
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

  it('claims each milestone once when several processes apply one shuffled stream at once', async () => {
    const prefix = uniquePrefix('cas');
    prefixes.push(prefix);
    // Four stores on their own connections: four processes, each with its own remembered state.
    const connections = Array.from({ length: 4 }, () => createRedis(TEST_REDIS_URL));
    const stores = connections.map((c) => new ArtistStateStore(c, stateKeys(prefix)));
    try {
      const random = seededRandom(11);
      const history = randomHistory(tracking, 80, 11).map(normalized);
      const stream = shuffle([...history, ...history.slice(10, 40)], random);
      const applied: { at: number; announced: string[] }[] = [];
      await Promise.all(
        stores.map(async (store, w) => {
          for (let i = w; i < stream.length; i += stores.length) {
            const snapshot = stream[i]!;
            const outcome = await store.applySnapshot(snapshot, readSubjects(tracking, snapshot));
            if (outcome.status === 'applied') {
              applied.push({
                at: snapshot.capturedAtMs,
                announced: outcome.announced.map((a) => `${a.key}=${a.threshold}`),
              });
            }
          }
        }),
      );
      const all = applied.flatMap((a) => a.announced);
      expect(new Set(all).size).toBe(all.length);
      // The applications that moved the state, in the order of their times, give what the pure engine gives.
      applied.sort((a, b) => a.at - b.at);
      expect(new Set(applied.map((a) => a.at)).size).toBe(applied.length);
      let pure: ArtistState = emptyArtistState;
      for (const { at, announced } of applied) {
        const snapshot = history.find((s) => s.capturedAtMs === at)!;
        const expected = applySnapshot(tracking, pure, snapshot);
        if (expected.stale) throw new Error('an applied snapshot is stale for the pure engine');
        expect(announced).toEqual(
          expected.outcomes.flatMap((o) => (o.announced === null ? [] : [`${o.key}=${o.announced}`])),
        );
        pure = expected.state;
      }
      const view = await stores[0]!.view(tracking.artist.id);
      for (const [key, reached] of pure.reached) expect(view.subjects.get(key)?.reached).toBe(reached);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });

  it('decides again from the stored state when another process moved it, or when it was deleted', async () => {
    const prefix = uniquePrefix('cas-moved');
    prefixes.push(prefix);
    const other = createRedis(TEST_REDIS_URL);
    try {
      const mine = new ArtistStateStore(redis, stateKeys(prefix));
      const theirs = new ArtistStateStore(other, stateKeys(prefix));
      const at = (day: number, streams: number) =>
        normalized({
          capturedAt: `2023-10-${String(day).padStart(2, '0')}T00:00:00+09:00`,
          tracks: {},
          artistStreams: streams,
        });
      const apply = (store: ArtistStateStore, snapshot: ReturnType<typeof at>) =>
        store.applySnapshot(snapshot, readSubjects(tracking, snapshot));
      await apply(mine, at(1, 1_050_000_000)); // mine remembers: reached 1B
      expect(await apply(theirs, at(2, 1_550_000_000))).toMatchObject({ status: 'applied' }); // 1.5B by them
      // Mine still remembers 1B; its commit is refused, it decides again and does not announce 1.5B twice.
      expect(await apply(mine, at(3, 1_600_000_000))).toEqual({ status: 'applied', announced: [] });
      expect(await apply(mine, at(4, 2_010_000_000))).toEqual({
        status: 'applied',
        announced: [{ key: 'artist', threshold: 2_000_000_000 }],
      });
      // The state is wiped (a replay's cleanup): mine remembers day 4, but starts again from nothing.
      await cleanupPrefix(prefix);
      expect(await apply(mine, at(1, 2_050_000_000))).toEqual({ status: 'applied', announced: [] });
      expect((await mine.view(tracking.artist.id)).subjects.get('artist')).toMatchObject({
        decision: 'baseline',
        reached: 2_000_000_000,
      });
    } finally {
      other.disconnect();
    }
  });
});
