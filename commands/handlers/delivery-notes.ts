import { groupDigits } from '../../src/posts/numbers.js';
import { BACKFILL_REASON, type LedgerEntry } from '../../src/state/post-ledger.store.js';
import { thresholdOf } from '../../src/state/publish-order.store.js';

/**
 * Why a milestone was recorded but deliberately not posted to one destination (ledger states `skipped` and
 * `superseded`), in words for fans; null when it was posted, failed, or is still waiting.
 */
export function notPostedReason(entry: LedgerEntry): string | null {
  if (entry.state === 'skipped') {
    return entry.reason === BACKFILL_REASON ? 'seeded from past data (backfill), never posted' : entry.reason;
  }
  if (entry.state === 'superseded') {
    return `superseded by ${groupDigits(thresholdOf(entry.supersededBy))}: of one subject's milestones waiting together, only the highest is posted`;
  }
  return null;
}

/**
 * The not-posted reason that concerns the reader: this server's delivery when it has one; otherwise (a DM, or a
 * server the milestone did not go to) the first destination's, when no destination posted it.
 */
export function notPostedNote(
  deliveries: ReadonlyMap<string, LedgerEntry>,
  guildId: string | null,
): string | null {
  const own = guildId === null ? undefined : deliveries.get(`discord:${guildId}`);
  if (own !== undefined) return notPostedReason(own);
  const reasons = [...deliveries.values()].map(notPostedReason);
  if (reasons.length === 0 || reasons.some((r) => r === null)) return null;
  return reasons[0] ?? null;
}
