import { luaScript, type LuaScript } from '../redis-scripts.js';
import type { RedisClient } from '../redis.js';
import type { Milestone } from '../milestones/types.js';
import type { StateKeys } from './keys.js';
import { BACKFILL_REASON, parseLedgerEntry, type LedgerEntry } from './post-ledger.store.js';
import { orderMemberOf, subjectIdOf } from './publish-order.store.js';

export interface AnnouncedMilestone {
  readonly milestone: Milestone;
  readonly destinations: readonly string[];
  /** capturedAt of the snapshot that announced it, epoch ms (orders the artist's history). */
  readonly observedAtMs: number;
}

/** A recorded milestone and its ledger entries, destination -> entry. */
export interface MilestoneDeliveries {
  readonly milestone: Milestone;
  readonly deliveries: ReadonlyMap<string, LedgerEntry>;
}

/** Writes milestones, their first ledger entries and the publishing indexes at once (see the script's header). */
const recordLua = new URL('./lua/record-milestones.lua', import.meta.url);

/**
 * Announced milestones and their ledger entries, written together by one Lua script so that a milestone never
 * exists without its deliveries, along with the indexes publishing follows (see publish-order.store.ts). Writes
 * are idempotent (NX), so a retried snapshot job rewrites nothing.
 */
export class MilestoneStore {
  private readonly recordScript: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {
    // No numberOfKeys: the key count varies with the milestones, so it is passed first on each call.
    this.recordScript = luaScript(redis, recordLua);
  }

  /**
   * Records milestones with one ledger entry per destination: pending, and queued in each destination's order,
   * or with `backfill` final at once (`skipped`, reason `backfill`) so that nothing is posted.
   */
  async record(
    announced: readonly AnnouncedMilestone[],
    options: { readonly backfill?: boolean } = {},
  ): Promise<void> {
    if (announced.length === 0) return;
    const now = new Date().toISOString();
    const backfill = options.backfill === true;
    const first: LedgerEntry = backfill
      ? { state: 'skipped', reason: BACKFILL_REASON, createdAt: now, updatedAt: now }
      : { state: 'pending', createdAt: now };
    const keys: string[] = [];
    const args: string[] = [JSON.stringify(first), backfill ? '0' : '1'];
    for (const { milestone, destinations, observedAtMs } of announced) {
      keys.push(
        this.keys.milestone(milestone.id),
        this.keys.ledger(milestone.id),
        this.keys.artistMilestones(milestone.artistId),
        this.keys.subjectMilestones(subjectIdOf(milestone.id)),
        ...destinations.map((d) => this.keys.destinationPending(d)),
      );
      args.push(
        JSON.stringify(milestone),
        milestone.id,
        String(observedAtMs),
        String(milestone.threshold),
        orderMemberOf(milestone.id),
        String(destinations.length),
        ...destinations,
      );
    }
    await this.recordScript(keys.length, ...keys, ...args);
  }

  async get(milestoneId: string): Promise<Milestone | null> {
    const raw = await this.redis.get(this.keys.milestone(milestoneId));
    return raw === null ? null : (JSON.parse(raw) as Milestone);
  }

  /** Every announcement of the artist, oldest first (by the capturedAt that announced it, then by id). */
  async all(artistId: string): Promise<Milestone[]> {
    const ids = await this.redis.zrange(this.keys.artistMilestones(artistId), '0', '-1');
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.milestone(id)));
    return raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as Milestone]));
  }

  /** The artist's most recent announcements, newest first, each with its ledger entries (destination -> entry). */
  async recentWithDeliveries(artistId: string, limit: number): Promise<MilestoneDeliveries[]> {
    const ids = await this.redis.zrevrange(this.keys.artistMilestones(artistId), 0, limit - 1);
    return this.withDeliveries(ids);
  }

  /** One subject's milestones (`subjectKey` as in milestone ids), highest threshold first, with ledger entries. */
  async ofSubject(artistId: string, subjectKey: string, limit: number): Promise<MilestoneDeliveries[]> {
    const ids = await this.redis.zrevrange(
      this.keys.subjectMilestones(`${artistId}/${subjectKey}`),
      0,
      limit - 1,
    );
    return this.withDeliveries(ids);
  }

  private async withDeliveries(ids: readonly string[]): Promise<MilestoneDeliveries[]> {
    if (ids.length === 0) return [];
    const batch = this.redis.pipeline();
    for (const id of ids) batch.get(this.keys.milestone(id)).hgetall(this.keys.ledger(id));
    const replies = (await batch.exec()) ?? [];
    const out: MilestoneDeliveries[] = [];
    for (let i = 0; i < ids.length; i += 1) {
      const [milestoneError, raw] = replies[2 * i] ?? [null, null];
      const [ledgerError, hash] = replies[2 * i + 1] ?? [null, {}];
      if (milestoneError) throw milestoneError;
      if (ledgerError) throw ledgerError;
      if (typeof raw !== 'string') continue;
      const entries = new Map(
        Object.entries(hash as Record<string, string>).map(([d, e]) => [d, parseLedgerEntry(e)]),
      );
      out.push({ milestone: JSON.parse(raw) as Milestone, deliveries: entries });
    }
    return out;
  }

  /** How many announcements the artist has (it only grows: milestones are kept for good). */
  count(artistId: string): Promise<number> {
    return this.redis.zcard(this.keys.artistMilestones(artistId));
  }

  /** The artist's most recent announcements, newest first. */
  async recent(artistId: string, limit: number): Promise<Milestone[]> {
    const ids = await this.redis.zrevrange(this.keys.artistMilestones(artistId), 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.milestone(id)));
    return raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as Milestone]));
  }
}
