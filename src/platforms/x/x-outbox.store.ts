import type { Milestone } from '../../milestones/types.js';
import type { UploadedMedia } from './x-client.js';
import type { XPostPart } from './x-text.js';
import type { RedisClient } from '../../redis.js';

/** Redis keys of one X account's outbox, budget and pause state, under the project prefix. */
export function xKeys(prefix: string, account: string) {
  const base = `${prefix}:x:${account}`;
  return {
    /** ZSET: one member per request sent to `POST /2/tweets`, scored by when (ms): the rolling budget. */
    slots: `${base}:slots`,
    /**
     * ZSET: one member `<id>|<micro-dollars>` per billed request (a post, a card's metadata, a look-up), scored
     * by when (ms): the rolling spend.
     */
    spend: `${base}:spend`,
    /** HASH: `blockedUntil` (429), `hdrRemaining` / `hdrReset` (the 24-hour limit headers). */
    limits: `${base}:limits`,
    /** ZSET: groups waiting to be posted, scored by priority. */
    outbox: `${base}:outbox`,
    /**
     * HASH: group id -> posts it still needs that hold no slot yet (its member count until its plan is made: at
     * most one post each); taking a slot lowers it, a failed request raises it again.
     */
    need: `${base}:need`,
    /** HASH: milestone id -> group id. */
    memberOf: `${base}:member-of`,
    /** STRING (expires with the window): the group currently gathering milestones of one album. */
    open: (combineKey: string) => `${base}:open:${combineKey}`,
    /** HASH: a group: state, closesAt, priority, `m:<milestoneId>` milestones, plan, `posted:<i>`, `media:<i>`, reason. */
    group: (groupId: string) => `${base}:group:${groupId}`,
    groupPrefix: `${base}:group:`,
    lock: (groupId: string) => `${base}:lock:${groupId}`,
    /** HASH: `reason`, `at` while X publishing is paused. */
    pause: `${base}:pause`,
  };
}
export type XKeys = ReturnType<typeof xKeys>;

const joinLua = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local gid = nil
if ARGV[7] == '1' then
  local open = redis.call('GET', KEYS[2])
  if open then
    local gk = ARGV[6] .. open
    if redis.call('HGET', gk, 'state') == 'open' and now < tonumber(redis.call('HGET', gk, 'closesAt') or '0') then
      gid = open
    end
  end
end
if not gid then
  gid = ARGV[1]
  redis.call('HSET', ARGV[6] .. gid, 'state', 'open', 'createdAt', now, 'closesAt', now + window, 'priority', ARGV[4])
  if ARGV[7] == '1' and window > 0 then redis.call('SET', KEYS[2], gid, 'PX', window) end
end
local gk = ARGV[6] .. gid
redis.call('HSET', gk, 'm:' .. ARGV[1], ARGV[5])
redis.call('HSET', KEYS[1], ARGV[1], gid)
local p = tonumber(redis.call('HGET', gk, 'priority'))
if tonumber(ARGV[4]) > p then
  p = tonumber(ARGV[4])
  redis.call('HSET', gk, 'priority', ARGV[4])
end
redis.call('ZADD', KEYS[3], p, gid)
redis.call('HINCRBY', KEYS[4], gid, 1)
return gid
`;

const reserveLua = `
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local recheck = now + tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local blocked = tonumber(redis.call('HGET', KEYS[2], 'blockedUntil') or '0')
if blocked > now then return blocked end
local avail = tonumber(ARGV[4]) - redis.call('ZCARD', KEYS[1])
local retry = recheck
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then retry = tonumber(oldest[2]) + window end
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - window)
local cap = tonumber(ARGV[7])
local cost = tonumber(ARGV[8])
if cap > 0 and cost > 0 then
  local spent = 0
  local entries = redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES')
  for i = 1, #entries, 2 do spent = spent + tonumber(string.match(entries[i], '|(%d+)$') or '0') end
  local affordable = math.floor((cap - spent) / cost)
  if affordable < avail then
    avail = affordable
    if entries[2] then retry = tonumber(entries[2]) + window end
  end
end
local hdrReset = tonumber(redis.call('HGET', KEYS[2], 'hdrReset') or '0')
if hdrReset > now then
  local hdrRemaining = tonumber(redis.call('HGET', KEYS[2], 'hdrRemaining') or '0')
  if hdrRemaining < avail then
    avail = hdrRemaining
    retry = hdrReset
  end
end
local ahead = 0
local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
if score then
  local higher = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. score, '+inf')
  for _, g in ipairs(higher) do ahead = ahead + tonumber(redis.call('HGET', KEYS[4], g) or '1') end
end
if ahead < avail then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  if cost > 0 then redis.call('ZADD', KEYS[5], now, ARGV[5] .. '|' .. ARGV[8]) end
  if tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0') > 0 then redis.call('HINCRBY', KEYS[4], ARGV[1], -1) end
  if hdrReset > now then redis.call('HINCRBY', KEYS[2], 'hdrRemaining', -1) end
  return 0
end
if retry > recheck then retry = recheck end
if retry <= now then retry = now + 1000 end
return retry
`;

const releaseLua = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return redis.call('HINCRBY', KEYS[2], ARGV[1], 1) end
return 0
`;

const closeLua = `
if redis.call('HGET', KEYS[1], 'state') == 'open' and tonumber(ARGV[1]) >= tonumber(redis.call('HGET', KEYS[1], 'closesAt')) then
  redis.call('HSET', KEYS[1], 'state', 'closed')
end
return redis.call('HGET', KEYS[1], 'state')
`;

const extendLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const unlockLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * One post of a group that is settled: its id, or null when X said it already had the text or a moderator
 * skipped it (`skipped`); `text` when what went out differs from the plan (a moderator's edit).
 */
export interface PostedPart {
  readonly id: string | null;
  readonly duplicate: boolean;
  readonly skipped?: boolean;
  readonly text?: string;
}

export interface GroupView {
  readonly id: string;
  readonly state: 'open' | 'closed' | 'done' | 'failed';
  /** When the group's first milestone entered (epoch ms). */
  readonly createdAt: number;
  readonly closesAt: number;
  readonly milestones: Milestone[];
  readonly plan: XPostPart[] | null;
  readonly posted: ReadonlyMap<number, PostedPart>;
  readonly reason: string | null;
}

type Script = (...args: (string | number)[]) => Promise<unknown>;

function defineScript(redis: RedisClient, name: string, keys: number, lua: string): Script {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: keys, lua });
  const command = (redis as unknown as Record<string, Script>)[name];
  if (command === undefined) throw new Error(`could not define ${name}`);
  return command.bind(redis);
}

/** How long finished groups are kept for audits (and for late member jobs to find their post). */
const FINISHED_GROUP_TTL_S = 30 * 86_400;

/**
 * X's outbox: milestones gather into groups (one album within the combine window, or a milestone alone), each
 * group waits in a priority-ordered set, and a post may only take a budget slot when the groups ranked above it
 * leave one free. Every step that decides something is one Lua script, so any number of publish workers agree.
 */
export class XOutboxStore {
  private readonly join: Script;
  private readonly reserveScript: Script;
  private readonly closeScript: Script;
  private readonly unlockScript: Script;
  private readonly extendScript: Script;
  private readonly releaseScript: Script;

  constructor(
    private readonly redis: RedisClient,
    readonly keys: XKeys,
  ) {
    this.join = defineScript(redis, 'layoverXJoin', 4, joinLua);
    this.reserveScript = defineScript(redis, 'layoverXReserve2', 5, reserveLua);
    this.closeScript = defineScript(redis, 'layoverXClose', 1, closeLua);
    this.unlockScript = defineScript(redis, 'layoverXUnlock', 1, unlockLua);
    this.extendScript = defineScript(redis, 'layoverXExtendLock', 1, extendLua);
    this.releaseScript = defineScript(redis, 'layoverXReleaseNeed', 2, releaseLua);
  }

  /**
   * Puts `milestone` into a group and returns the group id: the open group of the same combine key if one is still
   * gathering, else a new group (closing `windowMs` from `now`). Idempotent: a milestone always gets its first group.
   */
  async enter(
    milestone: Milestone,
    combineKey: string | null,
    priority: number,
    now: number,
    windowMs: number,
  ): Promise<string> {
    const k = this.keys;
    const result = await this.join(
      k.memberOf,
      k.open(combineKey ?? '-'),
      k.outbox,
      k.need,
      milestone.id,
      now,
      windowMs,
      priority,
      JSON.stringify(milestone),
      k.groupPrefix,
      combineKey === null || windowMs <= 0 ? '0' : '1',
    );
    return String(result);
  }

  /** Marks an open group closed once its window has passed (no one joins after); returns its state. */
  async close(groupId: string, now: number): Promise<GroupView['state']> {
    return String(await this.closeScript(this.keys.group(groupId), now)) as GroupView['state'];
  }

  async group(groupId: string): Promise<GroupView> {
    const hash = await this.redis.hgetall(this.keys.group(groupId));
    const milestones: Milestone[] = [];
    const posted = new Map<number, PostedPart>();
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('m:')) milestones.push(JSON.parse(value) as Milestone);
      else if (field.startsWith('posted:'))
        posted.set(Number(field.slice(7)), JSON.parse(value) as PostedPart);
    }
    return {
      id: groupId,
      state: (hash.state ?? 'open') as GroupView['state'],
      createdAt: Number(hash.createdAt ?? 0),
      closesAt: Number(hash.closesAt ?? 0),
      milestones,
      plan: hash.plan === undefined ? null : (JSON.parse(hash.plan) as XPostPart[]),
      posted,
      reason: hash.reason ?? null,
    };
  }

  /** Stores the group's plan unless one exists (the first plan wins); returns the plan in force. */
  async savePlan(groupId: string, plan: readonly XPostPart[]): Promise<XPostPart[]> {
    const key = this.keys.group(groupId);
    await this.redis.hsetnx(key, 'plan', JSON.stringify(plan));
    const stored = await this.redis.hget(key, 'plan');
    const inForce = JSON.parse(stored ?? '[]') as XPostPart[];
    await this.redis.hset(this.keys.need, groupId, inForce.length);
    return inForce;
  }

  /** Records a posted part; the first record of a part wins. Returns the record in force. */
  async recordPosted(
    groupId: string,
    index: number,
    part: PostedPart,
    partsLeft: number,
  ): Promise<PostedPart> {
    const key = this.keys.group(groupId);
    const field = `posted:${index}`;
    const results = await this.redis
      .multi()
      .hsetnx(key, field, JSON.stringify(part))
      .hget(key, field)
      .hset(this.keys.need, groupId, Math.max(partsLeft, 0))
      .exec();
    const stored = results?.[1]?.[1];
    return typeof stored === 'string' ? (JSON.parse(stored) as PostedPart) : part;
  }

  /** Ends a group (all posted, or failed for good): it leaves the outbox and expires after a while. */
  async finish(groupId: string, state: 'done' | 'failed', reason: string | null = null): Promise<void> {
    const key = this.keys.group(groupId);
    const multi = this.redis.multi().hset(key, 'state', state);
    if (reason !== null) multi.hset(key, 'reason', reason);
    await multi
      .expire(key, FINISHED_GROUP_TTL_S)
      .zrem(this.keys.outbox, groupId)
      .hdel(this.keys.need, groupId)
      .exec();
  }

  /**
   * Takes one budget slot for a post of `groupId`, if the rolling budget (posts, and money when
   * `spendCapMicros` > 0), the limit headers and any 429 allow it and the groups ranked above leave one free
   * (each counted at this post's `costMicros`). Returns 0 when taken (the post's cost is recorded), else when to
   * ask again (epoch ms).
   */
  async reserve(
    groupId: string,
    slotId: string,
    now: number,
    options: {
      windowMs: number;
      dailyPosts: number;
      recheckMs: number;
      spendCapMicros?: number;
      costMicros?: number;
    },
  ): Promise<number> {
    const k = this.keys;
    const result = await this.reserveScript(
      k.slots,
      k.limits,
      k.outbox,
      k.need,
      k.spend,
      groupId,
      now,
      options.windowMs,
      options.dailyPosts,
      slotId,
      options.recheckMs,
      options.spendCapMicros ?? 0,
      options.costMicros ?? 0,
    );
    return Number(result);
  }

  /**
   * Records a billed request made without a reservation of its own: a post sent again on the same slot (without
   * its card, or without its reply) counts as a post (`post: true`) and costs its price; a card's metadata call or
   * a look-up only costs.
   */
  async charge(id: string, now: number, costMicros: number, post: boolean): Promise<void> {
    const multi = this.redis.multi();
    if (post) multi.zadd(this.keys.slots, now, id);
    if (costMicros > 0) multi.zadd(this.keys.spend, now, `${id}|${Math.round(costMicros)}`);
    await multi.exec();
  }

  /** Posts sent and money spent (micro-dollars) in the rolling window ending at `now`. */
  async usage(now: number, windowMs: number): Promise<{ posts: number; spendMicros: number }> {
    const since = now - windowMs;
    const [posts, entries] = await Promise.all([
      this.redis.zcount(this.keys.slots, `(${since}`, '+inf'),
      this.redis.zrangebyscore(this.keys.spend, `(${since}`, '+inf'),
    ]);
    const spendMicros = entries.reduce((sum, m) => sum + Number(/\|(\d+)$/.exec(m)?.[1] ?? 0), 0);
    return { posts, spendMicros };
  }

  /**
   * Marks part `index` as being sent: until X's definite answer clears it, a retry first looks for the post on
   * X (its answer may have been lost, or the process may have died with the request in flight).
   */
  async markSending(groupId: string, index: number): Promise<void> {
    await this.redis.hset(this.keys.group(groupId), `sending:${index}`, '1');
  }

  async wasSending(groupId: string, index: number): Promise<boolean> {
    return (await this.redis.hexists(this.keys.group(groupId), `sending:${index}`)) === 1;
  }

  async clearSending(groupId: string, index: number): Promise<void> {
    await this.redis.hdel(this.keys.group(groupId), `sending:${index}`);
  }

  /**
   * A request that took a slot did not post (an error): the group needs that post again, so it counts again
   * against the groups below it. (The slot itself stays spent: X counted the request.)
   */
  async releaseNeed(groupId: string): Promise<void> {
    await this.releaseScript(this.keys.outbox, this.keys.need, groupId);
  }

  /** Records what the 24-hour limit headers said on the latest answer. */
  async noteDailyLimit(reading: { remaining: number; resetAtMs: number }): Promise<void> {
    await this.redis.hset(this.keys.limits, 'hdrRemaining', reading.remaining, 'hdrReset', reading.resetAtMs);
  }

  /** After a 429: nothing is posted before `until` (epoch ms). */
  async blockUntil(until: number): Promise<void> {
    const current = Number((await this.redis.hget(this.keys.limits, 'blockedUntil')) ?? 0);
    if (until > current) await this.redis.hset(this.keys.limits, 'blockedUntil', until);
  }

  /** A short lock so that one job at a time posts for a group; returns a token, or null when someone holds it. */
  async lock(groupId: string, ttlMs: number): Promise<string | null> {
    const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    const ok = await this.redis.set(this.keys.lock(groupId), token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  /** Extends a held lock by `ttlMs`; false when it is no longer ours. */
  async extendLock(groupId: string, token: string, ttlMs: number): Promise<boolean> {
    return Number(await this.extendScript(this.keys.lock(groupId), token, ttlMs)) === 1;
  }

  async unlock(groupId: string, token: string): Promise<void> {
    await this.unlockScript(this.keys.lock(groupId), token);
  }

  /**
   * Drops groups from the outbox whose every milestone is already final in the ledger (their jobs gave up or were
   * settled elsewhere), so that a dead group never holds back the ones below it.
   */
  async pruneSettled(
    isSettled: (milestoneId: string, closesAt: number) => Promise<boolean>,
  ): Promise<string[]> {
    const ids = await this.redis.zrange(this.keys.outbox, '0', '-1');
    const dropped: string[] = [];
    for (const id of ids) {
      const hash = await this.redis.hgetall(this.keys.group(id));
      const closesAt = Number(hash.closesAt ?? 0);
      const members = Object.keys(hash)
        .filter((f) => f.startsWith('m:'))
        .map((f) => f.slice(2));
      const settled = await Promise.all(members.map((m) => isSettled(m, closesAt)));
      if (members.length > 0 && settled.every(Boolean)) {
        await this.redis.multi().zrem(this.keys.outbox, id).hdel(this.keys.need, id).exec();
        dropped.push(id);
      }
    }
    return dropped;
  }

  /** The media uploaded for part `index` of a group (its card), or null. */
  async media(groupId: string, index: number): Promise<UploadedMedia | null> {
    const stored = await this.redis.hget(this.keys.group(groupId), `media:${index}`);
    return stored === null ? null : (JSON.parse(stored) as UploadedMedia);
  }

  /** Remembers the media uploaded for part `index`, so that a retried post attaches it instead of uploading again. */
  async saveMedia(groupId: string, index: number, media: UploadedMedia): Promise<void> {
    await this.redis.hset(this.keys.group(groupId), `media:${index}`, JSON.stringify(media));
  }

  async forgetMedia(groupId: string, index: number): Promise<void> {
    await this.redis.hdel(this.keys.group(groupId), `media:${index}`);
  }
}
