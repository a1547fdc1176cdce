import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { luaScript, type LuaScript } from '../../redis-scripts.js';
import type { RedisClient } from '../../redis.js';

/** The rolling-window scripts the crosspost window uses too (see their headers). */
const takeLua = new URL('./lua/take-window-slot.lua', import.meta.url);
const releaseLua = new URL('./lua/release-window-slot.lua', import.meta.url);

/** How often a waiter looks again while every slot is held by a request in flight. */
const IN_FLIGHT_POLL_MS = 15;

export interface GlobalRateLimiterOptions {
  /** Requests per window across every process; default 45 (Discord allows 50 per second). */
  readonly perWindow?: number;
  readonly windowMs?: number;
  /** Longest a request may take (its timeout); a slot whose holder died is freed after this plus one window. */
  readonly maxRequestMs?: number;
}

/**
 * Discord's global limit (50 requests per second per bot) holds across every process using the token, while
 * `@discordjs/rest` only counts its own requests. This limiter is shared through Redis and counts each request
 * from the moment it is started until one window after it finished. Discord sees the request somewhere in
 * between, so whatever the network delay, no one-second window at Discord can hold more than `perWindow`
 * requests of ours.
 */
export class GlobalRateLimiter {
  readonly perWindow: number;
  readonly windowMs: number;
  private readonly holdMs: number;
  private readonly acquireCommand: LuaScript;
  private readonly releaseCommand: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    options: GlobalRateLimiterOptions = {},
  ) {
    this.perWindow = options.perWindow ?? 45;
    this.windowMs = options.windowMs ?? 1000;
    this.holdMs = (options.maxRequestMs ?? 15_000) + this.windowMs;
    this.acquireCommand = luaScript(redis, takeLua, 1);
    this.releaseCommand = luaScript(redis, releaseLua, 1);
  }

  /** Runs `request` once a slot is free; rejects with the signal's reason when aborted while waiting. */
  async run<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const member = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = Number(
        await this.acquireCommand(
          this.key,
          String(this.perWindow),
          String(this.holdMs),
          member,
          String(this.windowMs),
        ),
      );
      if (waitMs === 0) break;
      const pause = waitMs < 0 ? IN_FLIGHT_POLL_MS + Math.random() * IN_FLIGHT_POLL_MS : waitMs;
      await sleep(pause, undefined, signal ? { signal } : {});
    }
    try {
      return await request();
    } finally {
      await this.releaseCommand(this.key, String(this.windowMs), member).catch(() => undefined);
    }
  }
}
