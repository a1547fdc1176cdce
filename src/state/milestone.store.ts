import type { RedisClient } from '../redis.js';
import type { Milestone } from '../milestones/types.js';
import type { StateKeys } from './keys.js';
import type { LedgerEntry } from './post-ledger.store.js';

export interface AnnouncedMilestone {
  readonly milestone: Milestone;
  readonly destinations: readonly string[];
  /** capturedAt of the snapshot that announced it, epoch ms (orders the artist's history). */
  readonly observedAtMs: number;
}

/**
 * Announced milestones and their pending ledger entries, written together in one MULTI so that a milestone never
 * exists without its deliveries. Writes are idempotent (NX), so a retried snapshot job rewrites nothing.
 */
export class MilestoneStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async record(announced: readonly AnnouncedMilestone[]): Promise<void> {
    if (announced.length === 0) return;
    const now = new Date().toISOString();
    const pending: LedgerEntry = { state: 'pending', createdAt: now };
    const multi = this.redis.multi();
    for (const { milestone, destinations, observedAtMs } of announced) {
      multi.set(this.keys.milestone(milestone.id), JSON.stringify(milestone), 'NX');
      multi.zadd(this.keys.artistMilestones(milestone.artistId), 'NX', observedAtMs, milestone.id);
      for (const destination of destinations) {
        multi.hsetnx(this.keys.ledger(milestone.id), destination, JSON.stringify(pending));
      }
    }
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0] as Error;
  }

  async get(milestoneId: string): Promise<Milestone | null> {
    const raw = await this.redis.get(this.keys.milestone(milestoneId));
    return raw === null ? null : (JSON.parse(raw) as Milestone);
  }

  /** The artist's most recent announcements, newest first. */
  async recent(artistId: string, limit: number): Promise<Milestone[]> {
    const ids = await this.redis.zrevrange(this.keys.artistMilestones(artistId), 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.milestone(id)));
    return raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as Milestone]));
  }
}
