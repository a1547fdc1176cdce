import type { RedisClient } from '../../redis.js';
import { luaScript, type LuaScript } from '../../redis-scripts.js';
import type { XKeys } from './x-keys.js';

const lua = (name: string) => new URL(`./lua/${name}.lua`, import.meta.url);

/**
 * A short Redis lock per outbox group, so that one publish job at a time posts for a group. It expires on its own
 * (a crashed worker holds nothing for long); the holder extends it before each request.
 */
export class XGroupLock {
  private readonly extendScript: LuaScript;
  private readonly unlockScript: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: XKeys,
  ) {
    this.extendScript = luaScript(redis, lua('x-extend-lock'), 1);
    this.unlockScript = luaScript(redis, lua('x-unlock-group'), 1);
  }

  /** Takes the lock for `ttlMs`; returns a token, or null when someone holds it. */
  async lock(groupId: string, ttlMs: number): Promise<string | null> {
    const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    const ok = await this.redis.set(this.keys.lock(groupId), token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  /** Extends a held lock by `ttlMs`; false when it is no longer ours. */
  async extend(groupId: string, token: string, ttlMs: number): Promise<boolean> {
    return Number(await this.extendScript(this.keys.lock(groupId), token, ttlMs)) === 1;
  }

  async unlock(groupId: string, token: string): Promise<void> {
    await this.unlockScript(this.keys.lock(groupId), token);
  }
}
