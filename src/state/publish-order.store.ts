import type { RedisClient } from '../redis.js';
import type { StateKeys } from './keys.js';

/** Zero-padded width of a threshold in an order member: counts stop at 2^53 − 1, which has 16 digits. */
const THRESHOLD_DIGITS = 16;

/** `<artistId>/<subjectKey>` of a milestone id `<artistId>/<subjectKey>/<threshold>`. */
export function subjectIdOf(milestoneId: string): string {
  const i = milestoneId.lastIndexOf('/');
  return i === -1 ? milestoneId : milestoneId.slice(0, i);
}

/** The threshold at the end of a milestone id. */
export function thresholdOf(milestoneId: string): number {
  return Number(milestoneId.slice(milestoneId.lastIndexOf('/') + 1));
}

/**
 * A milestone's member in a destination's pending set. The score is the milestone's `observedAt` (epoch ms); members
 * of equal score sort by this string, so the zero-padded threshold breaks ties (then the id, for a total order).
 */
export function orderMemberOf(milestoneId: string): string {
  return `${String(thresholdOf(milestoneId)).padStart(THRESHOLD_DIGITS, '0')}|${milestoneId}`;
}

/**
 * Publish order between milestones: `observedAt`, then threshold, then id (as a destination's pending set sorts).
 * Publish jobs added in this order are taken in it, so fewer of them have to wait for an older one.
 */
export function byPublishOrder(
  a: { readonly id: string; readonly observedAtMs: number },
  b: { readonly id: string; readonly observedAtMs: number },
): number {
  const x = orderMemberOf(a.id);
  const y = orderMemberOf(b.id);
  return a.observedAtMs - b.observedAtMs || (x < y ? -1 : x > y ? 1 : 0);
}

function milestoneIdOfMember(member: string): string {
  return member.slice(member.indexOf('|') + 1);
}

/**
 * Reads the two indexes that publishing follows, both written when milestones are recorded (MilestoneStore):
 *
 * - per destination, the milestones still pending there, by `observedAt` then threshold; the ledger removes a
 *   milestone when its entry for that destination becomes final, so the first member is the one to post next;
 * - per subject, every recorded milestone by threshold, so a lower one can see that a higher one exists.
 */
export class PublishOrderStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  /** Recorded milestones of the same subject with a higher threshold, highest first. */
  async higher(milestoneId: string): Promise<string[]> {
    return this.redis.zrevrangebyscore(
      this.keys.subjectMilestones(subjectIdOf(milestoneId)),
      '+inf',
      `(${thresholdOf(milestoneId)}`,
    );
  }

  /** The milestone at `index` (0 = oldest) of the destination's pending ones, or null past the end. */
  async at(destination: string, index: number): Promise<string | null> {
    const [member] = await this.redis.zrange(
      this.keys.destinationPending(destination),
      String(index),
      String(index),
    );
    return member === undefined ? null : milestoneIdOfMember(member);
  }

  /** Whether (milestone, destination) is in the destination's pending set. */
  async isPending(milestoneId: string, destination: string): Promise<boolean> {
    return (
      (await this.redis.zscore(this.keys.destinationPending(destination), orderMemberOf(milestoneId))) !==
      null
    );
  }

  /** The milestone to post next to `destination`, or null when nothing is pending there. */
  async next(destination: string): Promise<string | null> {
    const [first] = await this.redis.zrange(this.keys.destinationPending(destination), '0', '0');
    return first === undefined ? null : milestoneIdOfMember(first);
  }
}
