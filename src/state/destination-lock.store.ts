import { luaScript } from '../redis-scripts.js';
import type { RedisClient } from '../redis.js';
import type { StateKeys } from './keys.js';

/** How long a holder that stops answering (a `kill -9`) keeps a destination before another may post there. */
export const DESTINATION_LOCK_TTL_MS = 30_000;

const takeLua = new URL('./lua/take-destination-lock.lua', import.meta.url);
const refreshLua = new URL('./lua/refresh-lock.lua', import.meta.url);
const releaseLua = new URL('./lua/release-drain.lua', import.meta.url);

/**
 * One poster per destination at a time, across processes: every post to a destination that keeps an order is made
 * by the holder of this lock, so two posts can never overtake each other on the way to the platform. The token is
 * `<jobId>|<uuid>`: a job that runs again after its process died takes its own lock over at once.
 */
export class DestinationLockStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    private readonly ttlMs = DESTINATION_LOCK_TTL_MS,
  ) {}

  /** A new token for `jobId`. */
  static tokenFor(jobId: string): string {
    return `${jobId}|${crypto.randomUUID()}`;
  }

  async take(destination: string, token: string): Promise<boolean> {
    const jobPart = token.slice(0, token.lastIndexOf('|') + 1);
    const reply = await luaScript(this.redis, takeLua, 1)(
      this.keys.destinationLock(destination),
      token,
      String(this.ttlMs),
      jobPart,
    );
    return Number(reply) === 1;
  }

  /** Extends the hold; false when the lock expired and someone else may be posting. */
  async refresh(destination: string, token: string): Promise<boolean> {
    const reply = await luaScript(this.redis, refreshLua, 1)(
      this.keys.destinationLock(destination),
      token,
      String(this.ttlMs),
    );
    return Number(reply) === 1;
  }

  /** Puts the destination on hold for `ms` (after a failed post): drainers post only their own milestone meanwhile. */
  async hold(destination: string, ms: number): Promise<void> {
    await this.redis.set(this.keys.destinationHold(destination), '1', 'PX', ms);
  }

  async onHold(destination: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.destinationHold(destination))) === 1;
  }

  async release(destination: string, token: string): Promise<void> {
    await luaScript(this.redis, releaseLua, 1)(this.keys.destinationLock(destination), token);
  }
}
