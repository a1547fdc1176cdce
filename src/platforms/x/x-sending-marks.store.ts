import type { RedisClient } from '../../redis.js';
import type { XKeys } from './x-keys.js';

/**
 * Which parts of a group are being sent (`sending:<i>` in the group): a part is marked before its request and
 * cleared by X's definite answer, so a retry after a lost answer (a timeout, a reset, a 5xx, a crash mid-request)
 * knows to look for the post on X before sending it again.
 */
export class XSendingMarks {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: XKeys,
  ) {}

  async mark(groupId: string, index: number): Promise<void> {
    await this.redis.hset(this.keys.group(groupId), `sending:${index}`, '1');
  }

  async isMarked(groupId: string, index: number): Promise<boolean> {
    return (await this.redis.hexists(this.keys.group(groupId), `sending:${index}`)) === 1;
  }

  async clear(groupId: string, index: number): Promise<void> {
    await this.redis.hdel(this.keys.group(groupId), `sending:${index}`);
  }
}
