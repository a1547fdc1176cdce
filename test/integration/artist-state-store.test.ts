import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState } from '../../src/milestones/types.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { fromSnapshotRecord } from '../../src/snapshots/snapshot-record.js';
import { snapshotSchema } from '../../src/snapshots/schema.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { createRedis } from '../../src/redis.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { seededRandom, shuffle } from '../helpers/random.js';
import { enterAndDrain, entryFor, type Committed } from '../helpers/store-drain.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);

function normalized(raw: unknown) {
  const result = normalizeSnapshot(snapshotSchema.parse(raw), trackings);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.snapshot;
}

const announcedOf = (c: Committed) => c.result.announced.map((a) => `${a.key}=${a.threshold}`);

/** The pure engine over entries in the order they were committed: what the store must have claimed. */
function pureOver(commits: readonly Committed[]): { state: ArtistState; announced: string[][] } {
  let state: ArtistState = emptyArtistState;
  const announced: string[][] = [];
  for (const { entry } of commits) {
    const step = advanceArtist(tracking, state, fromSnapshotRecord(entry.snapshot));
    announced.push(step.announced.map((a) => `${a.key}=${a.threshold}`));
    state = step.state;
  }
  return { state, announced };
}

describe('the artist state store (inbox, drain lock, compare-and-set commit in Redis)', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    redis.disconnect();
    await Promise.all(prefixes.map(cleanupPrefix));
  });

  const storeOn = (name: string, client: Redis = redis) => {
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    return { prefix, store: new ArtistStateStore(client, stateKeys(prefix)) };
  };

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`announces exactly what the pure engine announces, one snapshot at a time with repeats (seed ${seed})`, async () => {
      const { store } = storeOn('state');
      const random = seededRandom(seed);
      const history = randomHistory(tracking, 60, seed);
      const stream = [
        ...history.slice(0, 5),
        ...shuffle(history.slice(5), random).slice(0, 40),
        ...history.slice(20, 30),
      ];
      let pure: ArtistState = emptyArtistState;
      const owners = new Map<string, string>();
      for (const [i, raw] of stream.entries()) {
        const snapshot = normalized(raw);
        const entry = entryFor(snapshot, `job-${i}`);
        const { result, commits } = await enterAndDrain(store, tracking, entry);
        const firstOwner = owners.get(entry.id);
        if (firstOwner !== undefined) {
          // A repeat: nothing committed; the kept result still names the job that applied it.
          expect(commits).toEqual([]);
          expect(result?.owner).toBe(firstOwner);
          continue;
        }
        owners.set(entry.id, entry.owner);
        const expected = advanceArtist(tracking, pure, snapshot);
        expect(commits.map((c) => c.entry.id)).toEqual([entry.id]);
        expect(result).toEqual({
          status: expected.status,
          owner: entry.owner,
          announced: expected.announced,
        });
        pure = expected.state;
      }
      const view = await store.view(tracking.artist.id);
      expect(view.lastAppliedMs).toBe(pure.lastAppliedMs);
      expect(view.waiting).toBe(0);
      expect(view.subjects.size).toBe(pure.subjects.size);
      for (const [key, [reached, value, previous, decision, appliedAtMs]] of pure.subjects) {
        expect(view.subjects.get(key), key).toEqual({
          reached,
          value,
          previousValue: previous,
          decision,
          appliedAtMs,
        });
      }
    });
  }

  it('applies whatever waits in the inbox in capturedAt order, whatever order it was added in', async () => {
    const { store } = storeOn('inbox-order');
    const random = seededRandom(7);
    const history = randomHistory(tracking, 40, 7).map(normalized);
    const ordered = [...history].sort((a, b) => a.capturedAtMs - b.capturedAtMs);
    const entries = shuffle(history, random).map((s, i) => entryFor(s, `b-${i}`));
    expect(await store.addToInbox(tracking.artist.id, entries)).toBe(new Set(entries.map((e) => e.id)).size);
    expect(await store.addToInbox(tracking.artist.id, entries)).toBe(0);
    const { commits } = await enterAndDrain(store, tracking, entries[0]!);
    expect(commits.map((c) => c.entry.snapshot.at)).toEqual(ordered.map((s) => s.capturedAtMs));
    const pure = pureOver(commits);
    expect(commits.map(announcedOf)).toEqual(pure.announced);
    expect((await store.view(tracking.artist.id)).waiting).toBe(0);
    // Entries already applied are not put back by a retried batch.
    expect(await store.addToInbox(tracking.artist.id, entries)).toBe(0);
  });

  it('keeps counts up to 2^53-1 exact', async () => {
    const { store } = storeOn('state-big');
    const big = normalized({
      capturedAt: '2024-01-01T00:00:00+09:00',
      tracks: {},
      artistStreams: Number.MAX_SAFE_INTEGER,
    });
    await enterAndDrain(store, tracking, entryFor(big, 'big'));
    const view = await store.view(tracking.artist.id);
    expect(view.subjects.get('artist')?.value).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('changes no state for a stale snapshot, and keeps its result', async () => {
    const { prefix, store } = storeOn('state-stale');
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
    await enterAndDrain(store, tracking, entryFor(newer, 'newer'));
    const before = await redis.hgetall(stateKeys(prefix).artistState('v'));
    const { result } = await enterAndDrain(store, tracking, entryFor(older, 'older'));
    expect(result).toEqual({ status: 'stale', owner: 'older', announced: [] });
    expect(await redis.hgetall(stateKeys(prefix).artistState('v'))).toEqual(before);
  });

  it('claims each milestone once, in time order per drain, when four processes enter one shuffled stream at once', async () => {
    const prefix = uniquePrefix('cas');
    prefixes.push(prefix);
    const connections = Array.from({ length: 4 }, () => createRedis(TEST_REDIS_URL));
    const stores = connections.map((c) => new ArtistStateStore(c, stateKeys(prefix)));
    try {
      const random = seededRandom(11);
      const history = randomHistory(tracking, 80, 11).map(normalized);
      const stream = shuffle([...history, ...history.slice(10, 40)], random);
      const commits: Committed[] = [];
      await Promise.all(
        stores.map(async (store, w) => {
          for (let i = w; i < stream.length; i += stores.length) {
            const drained = await enterAndDrain(store, tracking, entryFor(stream[i]!, `job-${i}`));
            commits.push(...drained.commits);
          }
        }),
      );
      // A last drain, in case the final entries were added while a drainer was finishing.
      await enterAndDrain(stores[0]!, tracking, entryFor(history[0]!, 'final'));
      const ids = commits.filter((c) => c.status === 'applied').map((c) => c.entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      const all = commits.flatMap(announcedOf);
      expect(new Set(all).size).toBe(all.length);
      // The commits, in the order they were made, are what the pure engine gives over the same order.
      const pure = pureOver(commits);
      expect(commits.map(announcedOf)).toEqual(pure.announced);
      const view = await stores[0]!.view(tracking.artist.id);
      for (const [key, subject] of pure.state.subjects)
        expect(view.subjects.get(key)?.reached).toBe(subject[0]);
      expect(view.waiting).toBe(0);
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
      const apply = async (store: ArtistStateStore, snapshot: ReturnType<typeof at>) =>
        (await enterAndDrain(store, tracking, entryFor(snapshot, `d-${snapshot.capturedAtMs}`))).result
          ?.announced;
      await apply(mine, at(1, 1_050_000_000)); // mine remembers: reached 1B
      expect(await apply(theirs, at(2, 1_550_000_000))).toEqual([
        { key: 'artist', threshold: 1_500_000_000 },
      ]);
      // Mine still remembers 1B; its commit is refused, it decides again and does not announce 1.5B twice.
      expect(await apply(mine, at(3, 1_600_000_000))).toEqual([]);
      expect(await apply(mine, at(4, 2_010_000_000))).toEqual([{ key: 'artist', threshold: 2_000_000_000 }]);
      // The state is wiped (a reset): mine remembers day 4, but starts again from nothing.
      await cleanupPrefix(prefix);
      expect(await apply(mine, at(1, 2_050_000_000))).toEqual([]);
      expect((await mine.view(tracking.artist.id)).subjects.get('artist')).toMatchObject({
        decision: 'baseline',
        reached: 2_000_000_000,
      });
    } finally {
      other.disconnect();
    }
  });

  it('lets only the lock holder commit, and frees the artist when a drainer gives up', async () => {
    const { store } = storeOn('lock');
    const snapshot = normalized({ capturedAt: '2023-10-01T00:00:00+09:00', tracks: {}, artistStreams: 5 });
    const entry = entryFor(snapshot, 'a');
    const held = await store.enter(entry, 'token-a');
    expect(held.drain).toBe(true);
    // A second job meanwhile: its entry waits, it does not drain.
    const later = entryFor({ ...snapshot, capturedAtMs: snapshot.capturedAtMs + 1 }, 'b');
    expect((await store.enter(later, 'token-b')).drain).toBe(false);
    const wrongToken = await store.commit('v', 'token-b', entry, [], (state) =>
      advanceArtist(tracking, state, snapshot, []),
    );
    expect(wrongToken).toEqual({ kind: 'lost' });
    await store.release('v', 'token-a');
    // Released: the next job takes the lock and finds both entries, oldest first.
    const { commits } = await enterAndDrain(store, tracking, later);
    expect(commits.map((c) => c.entry.owner)).toEqual(['a', 'b']);
  });
});
