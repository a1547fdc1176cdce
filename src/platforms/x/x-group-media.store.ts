import type { RedisClient } from '../../redis.js';
import type { UploadedMedia } from './x-client.js';
import type { XKeys } from './x-keys.js';

/**
 * The media uploaded for a part of a group (its card, `media:<i>` in the group), so that a retried post attaches
 * the same upload instead of uploading again.
 */
export class XGroupMediaStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: XKeys,
  ) {}

  /** The media uploaded for part `index` of a group, or null. */
  async get(groupId: string, index: number): Promise<UploadedMedia | null> {
    const stored = await this.redis.hget(this.keys.group(groupId), `media:${index}`);
    return stored === null ? null : (JSON.parse(stored) as UploadedMedia);
  }

  async save(groupId: string, index: number, media: UploadedMedia): Promise<void> {
    await this.redis.hset(this.keys.group(groupId), `media:${index}`, JSON.stringify(media));
  }

  async forget(groupId: string, index: number): Promise<void> {
    await this.redis.hdel(this.keys.group(groupId), `media:${index}`);
  }
}
