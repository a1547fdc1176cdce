import { readStaleReason } from '../../src/jobs/publish-rules.js';
import type { ReplyLanguage, Texts } from '../../src/platforms/discord/interactions/reply-language.js';
import { groupDigits } from '../../src/posts/numbers.js';
import { BACKFILL_REASON, type LedgerEntry } from '../../src/state/post-ledger.store.js';
import { thresholdOf } from '../../src/state/publish-order.store.js';

/** Why a milestone was recorded but not posted, in words for fans. */
interface NotPostedTexts {
  readonly backfill: string;
  readonly stale: (hours: string, maxHours: string) => string;
  readonly superseded: (threshold: string) => string;
  /** Any other recorded reason, as it was recorded. */
  readonly other: (reason: string) => string;
}

const texts: Texts<NotPostedTexts> = {
  en: {
    backfill: 'seeded from past data (backfill), never posted',
    stale: (hours, maxHours) =>
      `stale data: observed ${hours} h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=${maxHours})`,
    superseded: (threshold) =>
      `superseded by ${threshold}: of one subject's milestones waiting together, only the highest is posted`,
    other: (reason) => reason,
  },
  ko: {
    backfill: '과거 데이터로 채운 기록(백필)이라 게시하지 않았습니다',
    stale: (hours, maxHours) =>
      `오래된 데이터: 게시하려던 시점보다 ${hours}시간 전에 집계된 기록입니다 (ANNOUNCE_MAX_AGE_HOURS=${maxHours} 초과)`,
    superseded: (threshold) =>
      `${threshold} 돌파에 밀렸습니다: 같은 대상의 마일스톤이 함께 기다리면 가장 높은 것만 게시합니다`,
    other: (reason) => `기록된 사유: ${reason}`,
  },
};

/**
 * Why a milestone was recorded but deliberately not posted to one destination (ledger states `skipped` and
 * `superseded`), in words for fans in `language`; null when it was posted, failed, or is still waiting.
 */
export function notPostedReason(entry: LedgerEntry, language: ReplyLanguage): string | null {
  const t = texts[language];
  if (entry.state === 'skipped') {
    if (entry.reason === BACKFILL_REASON) return t.backfill;
    const stale = readStaleReason(entry.reason);
    return stale === null ? t.other(entry.reason) : t.stale(stale.hours, stale.maxHours);
  }
  if (entry.state === 'superseded') return t.superseded(groupDigits(thresholdOf(entry.supersededBy)));
  return null;
}

/**
 * The not-posted reason that concerns the reader: this server's delivery when it has one; otherwise (a DM, or a
 * server the milestone did not go to) the first destination's, when no destination posted it.
 */
export function notPostedNote(
  deliveries: ReadonlyMap<string, LedgerEntry>,
  guildId: string | null,
  language: ReplyLanguage,
): string | null {
  const own = guildId === null ? undefined : deliveries.get(`discord:${guildId}`);
  if (own !== undefined) return notPostedReason(own, language);
  const reasons = [...deliveries.values()].map((entry) => notPostedReason(entry, language));
  if (reasons.length === 0 || reasons.some((r) => r === null)) return null;
  return reasons[0] ?? null;
}
