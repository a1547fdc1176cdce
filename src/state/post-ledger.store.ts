import { luaScript } from '../redis-scripts.js';
import type { RedisClient } from '../redis.js';
import type { StateKeys } from './keys.js';
import { orderMemberOf } from './publish-order.store.js';

/**
 * One (milestone, destination) delivery: pending → sent(platform id), failed(reason), skipped(reason: stale data,
 * backfill) or superseded(by a higher milestone of the same subject). Every state but pending is final.
 */
export type LedgerEntry =
  | { readonly state: 'pending'; readonly createdAt: string }
  | {
      readonly state: 'sent';
      readonly platformId: string;
      readonly text: string;
      readonly createdAt: string;
      readonly updatedAt: string;
      /** Set when the platform said it already had this post (a crash between its answer and our write). */
      readonly duplicate?: boolean;
    }
  | {
      readonly state: 'failed';
      readonly reason: string;
      readonly createdAt: string;
      readonly updatedAt: string;
    }
  | {
      /** Recorded, deliberately not posted: the data was too old when it would have been posted, or a backfill. */
      readonly state: 'skipped';
      readonly reason: string;
      readonly createdAt: string;
      readonly updatedAt: string;
    }
  | {
      /** Not posted because a higher milestone of the same subject went (or was going) to this destination. */
      readonly state: 'superseded';
      readonly supersededBy: string;
      readonly reason: string;
      readonly createdAt: string;
      readonly updatedAt: string;
    };

export type LedgerState = LedgerEntry['state'];

/** The reason of a backfilled milestone's entries. */
export const BACKFILL_REASON = 'backfill';

/** Moves a pending entry to a final state, never a final one (see the script's header). */
const finishLua = new URL('./lua/finish-ledger-entry.lua', import.meta.url);

type FinishCommand = (
  ledgerKey: string,
  pendingKey: string,
  destination: string,
  entry: string,
  orderMember: string,
) => Promise<string>;

/** Parses a stored ledger entry. */
export function parseLedgerEntry(raw: string): LedgerEntry {
  return JSON.parse(raw) as LedgerEntry;
}

/** `<milestoneId>|<destination>`: the ledger's name for one delivery, stable across retries. */
export function ledgerKeyOf(milestoneId: string, destination: string): string {
  return `${milestoneId}|${destination}`;
}

/**
 * The post ledger: one Redis hash per milestone, one field per destination. The only place that says whether a
 * post went out; publishers consult it before posting and record the outcome after.
 */
export class PostLedgerStore {
  private readonly finishCommand: FinishCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {
    const script = luaScript(redis, finishLua, 2);
    this.finishCommand = (...args) => script(...args) as Promise<string>;
  }

  async get(milestoneId: string, destination: string): Promise<LedgerEntry | null> {
    const raw = await this.redis.hget(this.keys.ledger(milestoneId), destination);
    return raw === null ? null : parseLedgerEntry(raw);
  }

  /**
   * Counts one more try to post (milestone, destination), before its request goes out, and returns the count (1 on
   * the first). Kept apart from the entry so that it survives whoever made the try: a job, a destination's drainer,
   * or a process killed mid-request.
   */
  async startTry(milestoneId: string, destination: string): Promise<number> {
    return this.redis.hincrby(this.keys.ledgerTries(milestoneId), destination, 1);
  }

  async entries(milestoneId: string): Promise<Map<string, LedgerEntry>> {
    const hash = await this.redis.hgetall(this.keys.ledger(milestoneId));
    return new Map(Object.entries(hash).map(([destination, raw]) => [destination, parseLedgerEntry(raw)]));
  }

  async markSent(
    milestoneId: string,
    destination: string,
    receipt: { platformId: string; text: string; duplicate?: boolean },
  ): Promise<LedgerEntry> {
    return this.finish(milestoneId, destination, (createdAt, now) => ({
      state: 'sent',
      platformId: receipt.platformId,
      text: receipt.text,
      createdAt,
      updatedAt: now,
      ...(receipt.duplicate === true ? { duplicate: true } : {}),
    }));
  }

  async markFailed(milestoneId: string, destination: string, reason: string): Promise<LedgerEntry> {
    return this.finish(milestoneId, destination, (createdAt, now) => ({
      state: 'failed',
      reason,
      createdAt,
      updatedAt: now,
    }));
  }

  /** Recorded, not posted: `reason` says why (stale data with its age, or a backfill). */
  async markSkipped(milestoneId: string, destination: string, reason: string): Promise<LedgerEntry> {
    return this.finish(milestoneId, destination, (createdAt, now) => ({
      state: 'skipped',
      reason,
      createdAt,
      updatedAt: now,
    }));
  }

  /** Not posted because `supersededBy`, a higher milestone of the same subject, goes to this destination. */
  async markSuperseded(
    milestoneId: string,
    destination: string,
    supersededBy: string,
    reason: string,
  ): Promise<LedgerEntry> {
    return this.finish(milestoneId, destination, (createdAt, now) => ({
      state: 'superseded',
      supersededBy,
      reason,
      createdAt,
      updatedAt: now,
    }));
  }

  private async finish(
    milestoneId: string,
    destination: string,
    build: (createdAt: string, now: string) => LedgerEntry,
  ): Promise<LedgerEntry> {
    const now = new Date().toISOString();
    const current = await this.get(milestoneId, destination);
    const entry = build(current?.createdAt ?? now, now);
    const stored = await this.finishCommand(
      this.keys.ledger(milestoneId),
      this.keys.destinationPending(destination),
      destination,
      JSON.stringify(entry),
      orderMemberOf(milestoneId),
    );
    return parseLedgerEntry(stored);
  }
}
