import type { Milestone } from '../../milestones/types.js';
import type { RedisClient } from '../../redis.js';
import { luaScript, type LuaScript } from '../../redis-scripts.js';
import type { XKeys } from './x-keys.js';
import type { XPostPart } from './x-text.js';

/**
 * One post of a group that is settled: its id, or null when X said it already had the text or a moderator
 * skipped it (`skipped`); `text` when what went out differs from the plan (a moderator's edit).
 */
export interface PostedPart {
  readonly id: string | null;
  readonly duplicate: boolean;
  readonly skipped?: boolean;
  readonly text?: string;
}

export interface GroupView {
  readonly id: string;
  readonly state: 'open' | 'closed' | 'done' | 'failed';
  /** When the group's first milestone entered (epoch ms). */
  readonly createdAt: number;
  readonly closesAt: number;
  /** Every milestone that entered the group, including those the publishing rules later held back. */
  readonly milestones: Milestone[];
  readonly plan: XPostPart[] | null;
  /** How often the plan's unposted parts were made again (0: the first plan). */
  readonly revision: number;
  readonly posted: ReadonlyMap<number, PostedPart>;
  readonly reason: string | null;
}

/** How long finished groups are kept for audits (and for late member jobs to find their post). */
const FINISHED_GROUP_TTL_S = 30 * 86_400;

const lua = (name: string) => new URL(`./lua/${name}.lua`, import.meta.url);

/**
 * The groups of X's outbox: milestones gather into groups (one album within the combine window, or a milestone
 * alone) that wait in a priority-ordered set; each group holds its milestones, its plan (the texts packed into
 * posts) and a record of each part posted. Joining, closing and revising a plan are each one Lua script, so any
 * number of publish workers agree.
 */
export class XGroupStore {
  private readonly joinScript: LuaScript;
  private readonly closeScript: LuaScript;
  private readonly reviseScript: LuaScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: XKeys,
  ) {
    this.joinScript = luaScript(redis, lua('x-join-group'), 4);
    this.closeScript = luaScript(redis, lua('x-close-group'), 1);
    this.reviseScript = luaScript(redis, lua('x-revise-plan'), 3);
  }

  /**
   * Puts `milestone` into a group and returns the group id: the open group of the same combine key if one is still
   * gathering, else a new group (closing `windowMs` from `now`). Idempotent: a milestone always gets its first group.
   */
  async enter(
    milestone: Milestone,
    combineKey: string | null,
    priority: number,
    now: number,
    windowMs: number,
  ): Promise<string> {
    const k = this.keys;
    const result = await this.joinScript(
      k.memberOf,
      k.open(combineKey ?? '-'),
      k.outbox,
      k.need,
      milestone.id,
      now,
      windowMs,
      priority,
      JSON.stringify(milestone),
      k.groupPrefix,
      combineKey === null || windowMs <= 0 ? '0' : '1',
    );
    return String(result);
  }

  /** The group `milestoneId` entered, or null when it never entered one. */
  async groupOf(milestoneId: string): Promise<string | null> {
    return this.redis.hget(this.keys.memberOf, milestoneId);
  }

  /** Marks an open group closed once its window has passed (no one joins after); returns its state. */
  async close(groupId: string, now: number): Promise<GroupView['state']> {
    return String(await this.closeScript(this.keys.group(groupId), now)) as GroupView['state'];
  }

  async group(groupId: string): Promise<GroupView> {
    const hash = await this.redis.hgetall(this.keys.group(groupId));
    const milestones: Milestone[] = [];
    const posted = new Map<number, PostedPart>();
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('m:')) milestones.push(JSON.parse(value) as Milestone);
      else if (field.startsWith('posted:'))
        posted.set(Number(field.slice(7)), JSON.parse(value) as PostedPart);
    }
    return {
      id: groupId,
      state: (hash.state ?? 'open') as GroupView['state'],
      createdAt: Number(hash.createdAt ?? 0),
      closesAt: Number(hash.closesAt ?? 0),
      milestones,
      plan: hash.plan === undefined ? null : (JSON.parse(hash.plan) as XPostPart[]),
      revision: Number(hash.revision ?? 0),
      posted,
      reason: hash.reason ?? null,
    };
  }

  /** Stores the group's plan unless one exists (the first plan wins); returns the plan in force. */
  async savePlan(groupId: string, plan: readonly XPostPart[]): Promise<XPostPart[]> {
    const key = this.keys.group(groupId);
    await this.redis.hsetnx(key, 'plan', JSON.stringify(plan));
    const stored = await this.redis.hget(key, 'plan');
    const inForce = JSON.parse(stored ?? '[]') as XPostPart[];
    await this.redis.hset(this.keys.need, groupId, inForce.length);
    return inForce;
  }

  /**
   * Replaces the parts of the plan from `from` on (none posted yet) with `tail`, if the plan is still at
   * `revision`; the media stored for the replaced parts is forgotten. Returns the group as it now stands.
   */
  async revisePlan(
    group: GroupView,
    from: number,
    tail: readonly XPostPart[],
    postedCount: number,
  ): Promise<GroupView> {
    const old = group.plan ?? [];
    const plan = [...old.slice(0, from), ...tail];
    await this.reviseScript(
      this.keys.group(group.id),
      this.keys.outbox,
      this.keys.need,
      group.id,
      group.revision,
      JSON.stringify(plan),
      from,
      old.length,
      Math.max(plan.length - postedCount, 0),
    );
    return this.group(group.id);
  }

  /** Records a posted part; the first record of a part wins. Returns the record in force. */
  async recordPosted(
    groupId: string,
    index: number,
    part: PostedPart,
    partsLeft: number,
  ): Promise<PostedPart> {
    const key = this.keys.group(groupId);
    const field = `posted:${index}`;
    const results = await this.redis
      .multi()
      .hsetnx(key, field, JSON.stringify(part))
      .hget(key, field)
      .hset(this.keys.need, groupId, Math.max(partsLeft, 0))
      .exec();
    const stored = results?.[1]?.[1];
    return typeof stored === 'string' ? (JSON.parse(stored) as PostedPart) : part;
  }

  /** Ends a group (all posted, or failed for good): it leaves the outbox and expires after a while. */
  async finish(groupId: string, state: 'done' | 'failed', reason: string | null = null): Promise<void> {
    const key = this.keys.group(groupId);
    const multi = this.redis.multi().hset(key, 'state', state);
    if (reason !== null) multi.hset(key, 'reason', reason);
    await multi
      .expire(key, FINISHED_GROUP_TTL_S)
      .zrem(this.keys.outbox, groupId)
      .hdel(this.keys.need, groupId)
      .exec();
  }

  /**
   * Drops groups from the outbox whose every milestone is already final in the ledger (their jobs gave up or were
   * settled elsewhere), so that a dead group never holds back the ones below it.
   */
  async pruneSettled(
    isSettled: (milestoneId: string, closesAt: number) => Promise<boolean>,
  ): Promise<string[]> {
    const ids = await this.redis.zrange(this.keys.outbox, '0', '-1');
    const dropped: string[] = [];
    for (const id of ids) {
      const hash = await this.redis.hgetall(this.keys.group(id));
      const closesAt = Number(hash.closesAt ?? 0);
      const members = Object.keys(hash)
        .filter((f) => f.startsWith('m:'))
        .map((f) => f.slice(2));
      const settled = await Promise.all(members.map((m) => isSettled(m, closesAt)));
      if (members.length > 0 && settled.every(Boolean)) {
        await this.redis.multi().zrem(this.keys.outbox, id).hdel(this.keys.need, id).exec();
        dropped.push(id);
      }
    }
    return dropped;
  }
}
