import type { RedisClient } from '../../redis.js';

export interface XPause {
  readonly reason: string;
  /** ISO 8601. */
  readonly at: string;
}

/**
 * Whether X publishing is paused (after a 401 or a suspended or locked account), and why. Kept in Redis so that
 * every publish worker stops together and the pause survives restarts; lifted by {@link XPauseStore.resume}.
 */
export class XPauseStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
  ) {}

  async get(): Promise<XPause | null> {
    const [reason, at] = await this.redis.hmget(this.key, 'reason', 'at');
    return reason === null || reason === undefined ? null : { reason, at: at ?? '' };
  }

  /** Pauses with `reason`; returns true only for the call that paused (so moderators are told once). */
  async pause(reason: string, now: Date = new Date()): Promise<boolean> {
    const [[, set] = []] = (await this.redis
      .multi()
      .hsetnx(this.key, 'reason', reason)
      .hsetnx(this.key, 'at', now.toISOString())
      .exec()) ?? [[null, 0]];
    return set === 1;
  }

  async resume(): Promise<void> {
    await this.redis.del(this.key);
  }
}
