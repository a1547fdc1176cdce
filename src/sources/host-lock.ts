import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { luaScript } from '../redis-scripts.js';
import type { RedisClient } from '../redis.js';
import { SourceError } from './source.js';

/** Lets go of a host: it stays taken for `gapMs` more, so the next request to it waits that long. */
export type ReleaseHost = (gapMs: number) => Promise<void>;

/** Exclusive use of a host across every poller process sharing one Redis. */
export interface HostLock {
  /**
   * Waits until the host is free (at most `waitMs`), then holds it for at most `holdMs` (a crashed holder frees it
   * by expiry). Throws {@link SourceError} when the host stays busy.
   */
  acquire(host: string, holdMs: number, waitMs: number): Promise<ReleaseHost>;
}

const releaseLua = new URL('./lua/release-host.lua', import.meta.url);

/** A {@link HostLock} on one Redis key per host (`SET NX PX`, released by a token check). */
export class RedisHostLock implements HostLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (host: string) => string,
    private readonly retryMs = 50,
  ) {}

  async acquire(host: string, holdMs: number, waitMs: number): Promise<ReleaseHost> {
    const key = this.keyOf(host);
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await this.redis.set(key, token, 'PX', holdMs, 'NX')) === 'OK') {
        return async (gapMs) => {
          await luaScript(this.redis, releaseLua, 1)(key, token, String(Math.max(0, Math.round(gapMs))));
        };
      }
      if (Date.now() >= deadline) throw new SourceError(`${host}: busy with another poller for ${waitMs} ms`);
      await sleep(this.retryMs + Math.floor(Math.random() * this.retryMs));
    }
  }
}
