import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardStore, type BoardRegistration } from '../../src/state/board.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const MINUTE = 60_000;
const LEASE = 30_000;
const t0 = 1_700_000_000_000;

function board(guildId: string, messageId: string, editedAtMs = t0): BoardRegistration {
  return {
    guildId,
    channelId: '500000000000000001',
    messageId,
    artistId: 'v',
    albumId: 'layover',
    language: 'en',
    createdAt: new Date(editedAtMs).toISOString(),
    editedAtMs,
  };
}

describe('BoardStore: one edit per board per interval, snapshots gathered into the planned one', () => {
  const prefix = uniquePrefix('board-store');
  let redis: Redis;
  let store: BoardStore;

  beforeAll(() => {
    redis = testRedis();
    store = new BoardStore(redis, stateKeys(prefix));
  });

  afterAll(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('gives every ask before the edit starts the same plan, due one interval after the post', async () => {
    expect(await store.replace(board('g1', 'm1'))).toBeNull();
    expect(await store.guildsOf('v')).toContain('g1');
    const first = await store.schedule('v', 'g1', t0 + 1000, MINUTE);
    expect(first).toEqual({ dueMs: t0 + MINUTE, messageId: 'm1' });
    expect(await store.schedule('v', 'g1', t0 + 50_000, MINUTE)).toEqual(first);
    // Too early (a clock or a job that ran ahead): the plan moves to the time the interval allows.
    expect(await store.claim('g1', 'm1', t0 + MINUTE, t0 + 59_000, MINUTE, LEASE)).toEqual({
      kind: 'wait',
      dueMs: t0 + MINUTE,
    });
    const go = await store.claim('g1', 'm1', t0 + MINUTE, t0 + MINUTE, MINUTE, LEASE);
    // The start counts as the last edit from now on.
    expect(go).toEqual({ kind: 'go', board: { ...board('g1', 'm1'), editedAtMs: t0 + MINUTE } });
    // The same plan again (a duplicate job) finds nothing to do.
    expect(await store.claim('g1', 'm1', t0 + MINUTE, t0 + MINUTE, MINUTE, LEASE)).toEqual({ kind: 'stale' });
  });

  it('plans the next edit one interval after the last one, counted from its end once it is done', async () => {
    // The edit started at t0+60s is under way; a snapshot arrives 1 s later: due one interval after that start.
    expect(await store.schedule('v', 'g1', t0 + 61_000, MINUTE)).toEqual({
      dueMs: t0 + 2 * MINUTE,
      messageId: 'm1',
    });
    // The edit ends at t0+62s: the planned one moves to t0+122s.
    expect(await store.finish('g1', 'm1', t0 + 62_000)).toBe(true);
    expect(await store.claim('g1', 'm1', t0 + 2 * MINUTE, t0 + 2 * MINUTE, MINUTE, LEASE)).toEqual({
      kind: 'wait',
      dueMs: t0 + 122_000,
    });
    expect((await store.claim('g1', 'm1', t0 + 122_000, t0 + 122_000, MINUTE, LEASE)).kind).toBe('go');
    expect(await store.finish('g1', 'm1', t0 + 123_000)).toBe(true);
    // Long after: due at once.
    expect(await store.schedule('v', 'g1', t0 + 10 * MINUTE, MINUTE)).toEqual({
      dueMs: t0 + 10 * MINUTE,
      messageId: 'm1',
    });
  });

  it('counts an edit whose process died from its start', async () => {
    await store.replace(board('g2', 'm2'));
    const plan = await store.schedule('v', 'g2', t0 + MINUTE, MINUTE);
    expect((await store.claim('g2', 'm2', plan!.dueMs, t0 + MINUTE, MINUTE, LEASE)).kind).toBe('go');
    // No finish: the process died. A later snapshot's edit comes one interval after the dead one started.
    const later = await store.schedule('v', 'g2', t0 + MINUTE + 5000, MINUTE);
    expect(later).toEqual({ dueMs: t0 + 2 * MINUTE, messageId: 'm2' });
    expect((await store.claim('g2', 'm2', later!.dueMs, t0 + 2 * MINUTE, MINUTE, LEASE)).kind).toBe('go');
  });

  it('never starts a second edit while a slow one holds its lease, even past the interval', async () => {
    const second = 1000;
    await store.replace(board('g5', 'm5'));
    const plan = await store.schedule('v', 'g5', t0 + second, second);
    expect((await store.claim('g5', 'm5', plan!.dueMs, t0 + second, second, LEASE)).kind).toBe('go');
    const next = await store.schedule('v', 'g5', t0 + 1500, second);
    expect(next).toEqual({ dueMs: t0 + 2000, messageId: 'm5' });
    // The first edit is still under way at t0+2s: wait one interval more (the lease ends later).
    expect(await store.claim('g5', 'm5', t0 + 2000, t0 + 2000, second, LEASE)).toEqual({
      kind: 'wait',
      dueMs: t0 + 3000,
    });
    // It ends at t0+2.5s: one interval after that end.
    await store.finish('g5', 'm5', t0 + 2500);
    expect(await store.claim('g5', 'm5', t0 + 3000, t0 + 3000, second, LEASE)).toEqual({
      kind: 'wait',
      dueMs: t0 + 3500,
    });
    expect((await store.claim('g5', 'm5', t0 + 3500, t0 + 3500, second, LEASE)).kind).toBe('go');
  });

  it('makes the plans of a replaced or removed board stale, and forgets servers without a board', async () => {
    await store.replace(board('g3', 'old'));
    const plan = await store.schedule('v', 'g3', t0 + MINUTE, MINUTE);
    const replaced = await store.replace(board('g3', 'new', t0 + MINUTE));
    expect(replaced).toEqual(board('g3', 'old'));
    expect(await store.claim('g3', 'old', plan!.dueMs, t0 + 2 * MINUTE, MINUTE, LEASE)).toEqual({
      kind: 'stale',
    });
    expect(await store.finish('g3', 'old', t0 + 2 * MINUTE)).toBe(false);
    // Removing "old" removes nothing now; removing whichever board the server has does.
    expect(await store.remove('g3', 'old')).toBeNull();
    expect(await store.remove('g3')).toEqual(board('g3', 'new', t0 + MINUTE));
    expect(await store.schedule('v', 'g3', t0 + 3 * MINUTE, MINUTE)).toBeNull();
    expect(await store.guildsOf('v')).not.toContain('g3');
    // A board of another artist is not this artist's to edit.
    await store.replace({ ...board('g4', 'm4'), artistId: 'other' });
    expect(await store.schedule('v', 'g4', t0, MINUTE)).toBeNull();
    expect(await store.schedule('other', 'g4', t0, MINUTE)).toEqual({ dueMs: t0 + MINUTE, messageId: 'm4' });
  });
});
