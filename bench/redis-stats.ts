import { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { parseInfo } from '../src/ops/redis-requirements.js';

/**
 * Counts socket writes to Redis from this process. ioredis (without auto-pipelining) writes once per command or
 * per pipeline/MULTI batch, and waits for the answer, so writes are the client's round trips.
 */
export class RoundTripCounter {
  private count = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back, and called with its socket
  private readonly original = Socket.prototype.write;

  constructor(redisPort: number) {
    const original = this.original;
    const bump = () => {
      this.count += 1;
    };
    Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (this.remotePort === redisPort) bump();
      return original.apply(this, args);
    } as Socket['write'];
  }

  reset(): void {
    this.count = 0;
  }

  get value(): number {
    return this.count;
  }

  restore(): void {
    Socket.prototype.write = this.original;
  }
}

/** CONFIG RESETSTAT: zeroes INFO commandstats. */
export async function resetCommandStats(redis: Redis): Promise<void> {
  await redis.config('RESETSTAT');
}

/** Total calls in INFO commandstats, leaving out the bench's own CONFIG and INFO. */
export async function commandCalls(redis: Redis): Promise<{ total: number; byCommand: Map<string, number> }> {
  const stats = parseInfo(await redis.info('commandstats'));
  const byCommand = new Map<string, number>();
  let total = 0;
  for (const [key, value] of stats) {
    const name = key.replace(/^cmdstat_/, '');
    if (name.startsWith('config') || name === 'info') continue;
    const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
    byCommand.set(name, calls);
    total += calls;
  }
  return { total, byCommand };
}
