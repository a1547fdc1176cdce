import type { RedisClient } from '../../src/redis.js';
import type { Milestone } from '../../src/milestones/types.js';
import type {
  DestinationKey,
  PublishReceipt,
  PublishRequest,
  Publisher,
} from '../../src/platforms/publisher.js';

/**
 * A platform stand-in that records every publish call in a Redis list shared by all processes of a test, so a
 * test can count real deliveries across processes. Optionally slow, to widen race windows. Like Discord (a
 * marker looked up among the channel's messages), a try that says an earlier one may have reached it
 * (`attempt` > 1) gets the post it already has instead of a second one; a first try is always recorded.
 */
export class RecordingPublisher implements Publisher {
  constructor(
    readonly platform: string,
    private readonly redis: RedisClient,
    private readonly listKey: string,
    private readonly delayMs = 0,
  ) {}

  destinationsFor(_milestone: Milestone): Promise<DestinationKey[]> {
    return Promise.resolve([`${this.platform}:rec`]);
  }

  async publish(request: PublishRequest): Promise<PublishReceipt> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (request.attempt > 1) {
      const at = await this.redis.lpos(this.listKey, request.ledgerKey);
      if (at !== null)
        return { platformId: `rec-${at + 1}`, text: `${request.milestone.id} @ ${this.platform}` };
    }
    const n = await this.redis.rpush(this.listKey, request.ledgerKey);
    return { platformId: `rec-${n}`, text: `${request.milestone.id} @ ${this.platform}` };
  }
}
