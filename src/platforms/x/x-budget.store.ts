import type { RedisClient } from '../../redis.js';
import { luaScript, type LuaScript } from '../../redis-scripts.js';
import type { XKeys } from './x-keys.js';

const lua = (name: string) => new URL(`./lua/${name}.lua`, import.meta.url);

/** What taking a slot is measured against. */
export interface XSlotRules {
  /** The rolling budget window (24 hours; tests shorten it). */
  readonly windowMs: number;
  /** `X_DAILY_POSTS`. */
  readonly dailyPosts: number;
  /** The longest a refused post waits before it asks again. */
  readonly recheckMs: number;
  /** `X_DAILY_SPEND_USD` in micro-dollars; 0 or absent for no money cap. */
  readonly spendCapMicros?: number;
  /** What this post costs, in micro-dollars. */
  readonly costMicros?: number;
}

/**
 * X's posting budget for one account: the rolling windows of posts and money, X's own limit headers and a 429's
 * block. Taking a slot is one Lua script that honours them all and the outbox's priority order, so any number of
 * publish workers share one budget.
 */
export class XBudgetStore {
  private readonly takeScript: LuaScript;
  private readonly releaseScript: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: XKeys,
  ) {
    this.takeScript = luaScript(redis, lua('x-take-slot'), 5);
    this.releaseScript = luaScript(redis, lua('x-release-need'), 2);
  }

  /**
   * Takes one budget slot for a post of `groupId`, if the rolling budget (posts, and money when
   * `spendCapMicros` > 0), the limit headers and any 429 allow it and the groups ranked above leave one free
   * (each counted at this post's `costMicros`). Returns 0 when taken (the post's cost is recorded), else when to
   * ask again (epoch ms).
   */
  async reserve(groupId: string, slotId: string, now: number, rules: XSlotRules): Promise<number> {
    const k = this.keys;
    const result = await this.takeScript(
      k.slots,
      k.limits,
      k.outbox,
      k.need,
      k.spend,
      groupId,
      now,
      rules.windowMs,
      rules.dailyPosts,
      slotId,
      rules.recheckMs,
      rules.spendCapMicros ?? 0,
      rules.costMicros ?? 0,
    );
    return Number(result);
  }

  /**
   * A request that took a slot did not post (an error): the group needs that post again, so it counts again
   * against the groups below it. (The slot itself stays spent: X counted the request.)
   */
  async releaseNeed(groupId: string): Promise<void> {
    await this.releaseScript(this.keys.outbox, this.keys.need, groupId);
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

  /** Records what the 24-hour limit headers said on the latest answer. */
  async noteDailyLimit(reading: { remaining: number; resetAtMs: number }): Promise<void> {
    await this.redis.hset(this.keys.limits, 'hdrRemaining', reading.remaining, 'hdrReset', reading.resetAtMs);
  }

  /** After a 429: nothing is posted before `until` (epoch ms). */
  async blockUntil(until: number): Promise<void> {
    const current = Number((await this.redis.hget(this.keys.limits, 'blockedUntil')) ?? 0);
    if (until > current) await this.redis.hset(this.keys.limits, 'blockedUntil', until);
  }
}
