import { Socket } from 'node:net';
import { parseInfo } from '../src/ops/redis-requirements.js';
import { serverNodes, type RedisClient } from '../src/redis.js';

/**
 * Counts socket writes to Redis (to any of `redisPorts`: every node of a cluster) from this process. ioredis
 * (without auto-pipelining) writes once per command or per pipeline/MULTI batch, and waits for the answer, so
 * writes are the client's round trips.
 */
export class RoundTripCounter {
  private count = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back, and called with its socket
  private readonly original = Socket.prototype.write;

  constructor(redisPorts: readonly number[]) {
    const ports = new Set(redisPorts);
    const original = this.original;
    const bump = () => {
      this.count += 1;
    };
    Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (this.remotePort !== undefined && ports.has(this.remotePort)) bump();
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

/** CONFIG RESETSTAT on every master: zeroes INFO commandstats. */
export async function resetCommandStats(redis: RedisClient): Promise<void> {
  for (const node of await serverNodes(redis)) await node.config('RESETSTAT');
}

/**
 * Total calls in INFO commandstats, summed over every master, leaving out the bench's own CONFIG and INFO (and,
 * on a cluster, the CLUSTER commands clients use to learn the slot map).
 */
export async function commandCalls(
  redis: RedisClient,
): Promise<{ total: number; byCommand: Map<string, number> }> {
  const byCommand = new Map<string, number>();
  let total = 0;
  for (const node of await serverNodes(redis)) {
    for (const [key, value] of parseInfo(await node.info('commandstats'))) {
      const name = key.replace(/^cmdstat_/, '');
      if (name.startsWith('config') || name === 'info' || name.startsWith('cluster')) continue;
      const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
      byCommand.set(name, (byCommand.get(name) ?? 0) + calls);
      total += calls;
    }
  }
  return { total, byCommand };
}
