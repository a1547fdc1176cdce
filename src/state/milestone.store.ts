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
 * Writes milestones with their pending ledger entries, atomically. Per milestone, KEYS are the milestone, its
 * ledger and its artist's milestone index; ARGV holds the pending entry once, then per milestone its JSON, id,
 * capturedAt (ms), the number of destinations and the destinations. Every write is NX: nothing is overwritten.
 */
const recordLua = `
local pending = ARGV[1]
local a = 2
for k = 1, #KEYS, 3 do
  redis.call('SET', KEYS[k], ARGV[a], 'NX')
  redis.call('ZADD', KEYS[k + 2], 'NX', ARGV[a + 2], ARGV[a + 1])
  local n = tonumber(ARGV[a + 3])
  for d = 1, n do
    redis.call('HSETNX', KEYS[k + 1], ARGV[a + 3 + d], pending)
  end
  a = a + 4 + n
end
return 1
`;

type RecordCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<number>;

/**
 * Announced milestones and their pending ledger entries, written together by one Lua script so that a milestone
 * never exists without its deliveries. Writes are idempotent (NX), so a retried snapshot job rewrites nothing.
 */
export class MilestoneStore {
  private readonly recordScript: RecordCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {
    // No numberOfKeys: the key count varies with the milestones, so it is passed first on each call.
    if (!('layoverRecordMilestones' in redis))
      redis.defineCommand('layoverRecordMilestones', { lua: recordLua });
    const command = (redis as unknown as Record<string, RecordCommand>).layoverRecordMilestones;
    if (command === undefined) throw new Error('could not define the record-milestones script');
    this.recordScript = command.bind(redis);
  }

  async record(announced: readonly AnnouncedMilestone[]): Promise<void> {
    if (announced.length === 0) return;
    const pending: LedgerEntry = { state: 'pending', createdAt: new Date().toISOString() };
    const keys: string[] = [];
    const args: string[] = [JSON.stringify(pending)];
    for (const { milestone, destinations, observedAtMs } of announced) {
      keys.push(
        this.keys.milestone(milestone.id),
        this.keys.ledger(milestone.id),
        this.keys.artistMilestones(milestone.artistId),
      );
      args.push(
        JSON.stringify(milestone),
        milestone.id,
        String(observedAtMs),
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

  /** The artist's most recent announcements, newest first. */
  async recent(artistId: string, limit: number): Promise<Milestone[]> {
    const ids = await this.redis.zrevrange(this.keys.artistMilestones(artistId), 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.milestone(id)));
    return raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as Milestone]));
  }
}
