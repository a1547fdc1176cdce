import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../redis.js';
import { luaScript, type LuaScript } from '../../redis-scripts.js';
import type { StateKeys } from '../../state/keys.js';

const lua = (name: string) => new URL(`./lua/${name}.lua`, import.meta.url);

/** Discord allows about 10 crossposts per Announcement channel per hour. */
export const DEFAULT_CROSSPOSTS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

export interface CrosspostWindowOptions {
  /** Crossposts per channel per window (`DISCORD_CROSSPOSTS_PER_HOUR`); default 10. */
  readonly perWindow?: number;
  /** The rolling window, ms; default one hour (tests shorten it, with the emulator's). */
  readonly windowMs?: number;
  /** Longest a crosspost request may take (the REST timeout); default 15 s. */
  readonly maxRequestMs?: number;
}

/** A taken slot, to be released once its request has finished (whatever the outcome). */
export interface CrosspostSlot {
  readonly channelId: string;
  readonly id: string;
}

/**
 * What {@link CrosspostWindow.take} answers: a slot, or how long to wait. `waitMs` is exact when the earliest slot
 * has been released, and null while every slot is held by a request still in flight (look again shortly).
 */
export type TakeAnswer =
  { readonly slot: CrosspostSlot } | { readonly slot: null; readonly waitMs: number | null };

/**
 * Each Announcement channel's crossposts of the rolling window, shared by every process through Redis (one sorted
 * set per channel). A slot counts from the moment it is taken until one window after its request finished, so
 * whatever the network delay, no window at Discord sees more than `perWindow` crossposts of ours in one channel.
 */
export class CrosspostWindow {
  readonly perWindow: number;
  readonly windowMs: number;
  private readonly holdMs: number;
  private readonly takeScript: LuaScript;
  private readonly releaseScript: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    options: CrosspostWindowOptions = {},
  ) {
    this.perWindow = options.perWindow ?? DEFAULT_CROSSPOSTS_PER_HOUR;
    this.windowMs = options.windowMs ?? HOUR_MS;
    this.holdMs = (options.maxRequestMs ?? 15_000) + this.windowMs;
    this.takeScript = luaScript(redis, lua('take-window-slot'), 1);
    this.releaseScript = luaScript(redis, lua('release-window-slot'), 1);
  }

  /** Takes a slot in the channel's window when one is free. */
  async take(channelId: string): Promise<TakeAnswer> {
    const id = randomUUID();
    const answer = Number(
      await this.takeScript(
        this.keys.discordCrosspostWindow(channelId),
        this.perWindow,
        this.holdMs,
        id,
        this.windowMs,
      ),
    );
    if (answer === 0) return { slot: { channelId, id } };
    return { slot: null, waitMs: answer < 0 ? null : answer };
  }

  /** The slot's request has finished: it counts for one window from now. */
  async release(slot: CrosspostSlot): Promise<void> {
    await this.releaseScript(this.keys.discordCrosspostWindow(slot.channelId), this.windowMs, slot.id);
  }

  /** How many slots of the channel still count (taken or in flight), for tests and operators. */
  async used(channelId: string): Promise<number> {
    const time = await this.redis.time();
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    return this.redis.zcount(this.keys.discordCrosspostWindow(channelId), `(${now}`, '+inf');
  }
}
