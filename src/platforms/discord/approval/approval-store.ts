import { createHash } from 'node:crypto';
import type { StateKeys } from '../../../state/keys.js';
import type { ApprovalDecision, ApprovalDraft, NotPosted } from '../../approval-gate.js';
import type { RedisClient } from '../../../redis.js';

/** How long a draft and its decision are kept (the X side gives up on a post after `X_MAX_WAIT_HOURS`). */
const DRAFT_TTL_SECONDS = 30 * 24 * 3600;
/** How long one process may hold the right to post a draft before another may try. */
const POSTING_CLAIM_MS = 60_000;

/** Why the X side will never post a draft, as stored, with when it said so. */
export type StoredNotPosted = NotPosted & { readonly at: number };

/**
 * A settled draft, as stored: who decided, and the edited text when there is one; or, for a draft settled before
 * anyone decided, why the X side will never post it (`replaced`, `withdrawn`, `givenUp`, `failed`).
 */
export type StoredDecision = (Exclude<ApprovalDecision, { readonly state: 'pending' }> | NotPosted) & {
  readonly at: number;
};

export interface StoredDraft {
  readonly key: string;
  readonly text: string;
  readonly milestoneIds: readonly string[];
  readonly messageId: string | null;
  readonly decision: StoredDecision | null;
  /** For an approved draft the X side then did not post (replaced, withdrawn, given up, failed): why. */
  readonly notPosted: StoredNotPosted | null;
}

/**
 * A short, stable id for a draft key, used in `custom_id`s (100 characters at most) and Discord nonces
 * (25 at most): the first 20 hex digits of the key's SHA-256.
 */
export function draftIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 20);
}

/**
 * X drafts awaiting moderators, in Redis (one hash per draft under `<prefix>:discord:approval:<draft id>`), shared
 * by every process: the publish workers that ask, and the bot / http roles that receive the clicks. The decision is
 * written with HSETNX, so the first decision wins and later ones see it.
 */
export class ApprovalStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  private hashKey(draftId: string): string {
    return this.keys.discordApproval(draftId);
  }

  /** Records the draft's text and milestones the first time (later calls change nothing). */
  async remember(draft: ApprovalDraft): Promise<void> {
    const key = this.hashKey(draftIdOf(draft.key));
    await this.redis
      .multi()
      .hsetnx(key, 'key', draft.key)
      .hsetnx(key, 'text', draft.text)
      .hsetnx(key, 'milestones', JSON.stringify(draft.milestoneIds))
      .expire(key, DRAFT_TTL_SECONDS)
      .exec();
  }

  async get(draftId: string): Promise<StoredDraft | null> {
    const hash = await this.redis.hgetall(this.hashKey(draftId));
    if (hash.key === undefined) return null;
    return {
      key: hash.key,
      text: hash.text ?? '',
      milestoneIds: JSON.parse(hash.milestones ?? '[]') as string[],
      messageId: hash.messageId ?? null,
      decision: hash.decision === undefined ? null : (JSON.parse(hash.decision) as StoredDecision),
      notPosted: hash.notPosted === undefined ? null : (JSON.parse(hash.notPosted) as StoredNotPosted),
    };
  }

  /**
   * Takes the right to post the draft's message (true for one caller at a time). A claim that was not followed by
   * {@link posted} within a minute (a crash) lapses, so the draft is posted by the next review.
   */
  async claimPosting(draftId: string): Promise<boolean> {
    const key = this.hashKey(draftId);
    if ((await this.redis.hexists(key, 'messageId')) === 1) return false;
    const claimed = await this.redis.set(`${key}:posting`, '1', 'PX', POSTING_CLAIM_MS, 'NX');
    return claimed === 'OK';
  }

  /** Marks the draft's message as posted. */
  async posted(draftId: string, messageId: string): Promise<void> {
    const key = this.hashKey(draftId);
    await this.redis.multi().hset(key, 'messageId', messageId).del(`${key}:posting`).exec();
  }

  /** Gives the claim back after a failed post, so the next review tries again. */
  async releasePosting(draftId: string): Promise<void> {
    await this.redis.del(`${this.hashKey(draftId)}:posting`);
  }

  /**
   * Records `decision` unless one exists. Returns `{ won: true }` for the first decision, else the one that
   * stands; null when the draft is unknown (expired, or not ours).
   */
  async decide(
    draftId: string,
    decision: StoredDecision,
  ): Promise<{ readonly won: boolean; readonly decision: StoredDecision } | null> {
    const key = this.hashKey(draftId);
    const [[, set], [, current], [, known]] = (await this.redis
      .multi()
      .hsetnx(key, 'decision', JSON.stringify(decision))
      .hget(key, 'decision')
      .hexists(key, 'key')
      .exec()) as [[null, number], [null, string | null], [null, number]];
    if (known !== 1) {
      if (set === 1) await this.redis.del(key);
      return null;
    }
    return { won: set === 1, decision: JSON.parse(current ?? 'null') as StoredDecision };
  }

  /**
   * Records why an approved draft was not posted, unless that is recorded already (the first reason stands).
   * Returns true when this call recorded it; false when it was recorded before or the draft is unknown.
   */
  async markNotPosted(draftId: string, why: StoredNotPosted): Promise<boolean> {
    const key = this.hashKey(draftId);
    const [[, set], [, known]] = (await this.redis
      .multi()
      .hsetnx(key, 'notPosted', JSON.stringify(why))
      .hexists(key, 'key')
      .exec()) as [[null, number], [null, number]];
    if (known !== 1) {
      if (set === 1) await this.redis.del(key);
      return false;
    }
    return set === 1;
  }
}
