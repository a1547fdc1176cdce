import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../redis.js';

/**
 * A sorted set of slots scored by the time each stops counting, on the Redis clock. Acquire drops expired slots
 * and takes one (scored "now + hold", an upper bound until release) when fewer than the limit remain; otherwise it
 * returns how many ms until the earliest slot expires, or -1 when every slot is still held by a request in flight.
 */
const acquireLua = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 0
end
local earliest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]) - now
if earliest > tonumber(ARGV[4]) then return -1 end
return math.max(1, earliest + 1)
`;

/** Release: the slot now counts for one window from the moment the request finished. */
const releaseLua = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
return 1
`;

type AcquireCommand = (
  key: string,
  limit: string,
  holdMs: string,
  member: string,
  windowMs: string,
) => Promise<number>;

/** How often a waiter looks again while every slot is held by a request in flight. */
const IN_FLIGHT_POLL_MS = 15;
type ReleaseCommand = (key: string, windowMs: string, member: string) => Promise<number>;

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
  private readonly acquireCommand: AcquireCommand;
  private readonly releaseCommand: ReleaseCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    options: GlobalRateLimiterOptions = {},
  ) {
    this.perWindow = options.perWindow ?? 45;
    this.windowMs = options.windowMs ?? 1000;
    this.holdMs = (options.maxRequestMs ?? 15_000) + this.windowMs;
    if (!('layoverDiscordAcquire' in redis)) {
      redis.defineCommand('layoverDiscordAcquire', { numberOfKeys: 1, lua: acquireLua });
      redis.defineCommand('layoverDiscordRelease', { numberOfKeys: 1, lua: releaseLua });
    }
    const commands = redis as unknown as Record<string, AcquireCommand & ReleaseCommand>;
    const acquire = commands.layoverDiscordAcquire;
    const release = commands.layoverDiscordRelease;
    if (acquire === undefined || release === undefined)
      throw new Error('could not define the rate-limit scripts');
    this.acquireCommand = acquire.bind(redis);
    this.releaseCommand = release.bind(redis);
  }

  /** Runs `request` once a slot is free; rejects with the signal's reason when aborted while waiting. */
  async run<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const member = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = await this.acquireCommand(
        this.key,
        String(this.perWindow),
        String(this.holdMs),
        member,
        String(this.windowMs),
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
