import type { ReplyLanguage } from '../../src/platforms/discord/interactions/command-types.js';
import type { BudgetUsage, PublishingPause } from '../../src/platforms/publisher.js';

/** The words of `/layover-mod status` in each reply language. */
const words = {
  en: {
    heading: (account: string, hours: number) => `**X (@${account})**, last ${hours} h:`,
    paused: (since: string | null) =>
      `⚠️ X publishing is paused${since === null ? '' : ` since ${since} UTC`}: nothing is sent to X.`,
    pauseReason: (reason: string) => `Why: ${reason}`,
    pauseUntil:
      'Until: someone fixes the account or its credentials and restarts the bot (start-up checks the ' +
      'credentials with X and lifts the pause). Milestones wait meanwhile, each given up (recorded as failed) ' +
      'X_MAX_WAIT_HOURS after its announcement.',
    posts: (used: number, cap: number) => `Posts: ${used} of ${cap} (X_DAILY_POSTS)`,
    spend: (used: string, cap: string) => `Spend: ${used} of ${cap} (X_DAILY_SPEND_USD)`,
    spendNoCap: (used: string) => `Spend: ${used} (no cap: X_DAILY_SPEND_USD is not set)`,
    none: 'X is not connected here (no X credentials): X posts are printed to the console.',
  },
  ko: {
    heading: (account: string, hours: number) => `**X (@${account})**, 최근 ${hours}시간:`,
    paused: (since: string | null) =>
      `⚠️ X 게시가 ${since === null ? '' : `${since} UTC부터 `}일시 중지되어 있습니다: X에는 아무것도 보내지 않습니다.`,
    pauseReason: (reason: string) => `사유: ${reason}`,
    pauseUntil:
      '재개: 누군가 X 계정이나 인증 정보를 고친 뒤 봇을 다시 시작해야 합니다 (시작할 때 X에 인증 정보를 확인하고 ' +
      '일시 중지를 풉니다). 그동안 마일스톤은 기다리며, 알림 후 X_MAX_WAIT_HOURS가 지나면 각각 실패로 기록됩니다.',
    posts: (used: number, cap: number) => `게시물: ${cap}개 중 ${used}개 (X_DAILY_POSTS)`,
    spend: (used: string, cap: string) => `비용: ${cap} 중 ${used} (X_DAILY_SPEND_USD)`,
    spendNoCap: (used: string) => `비용: ${used} (한도 없음: X_DAILY_SPEND_USD 미설정)`,
    none: '여기서는 X가 연결되어 있지 않습니다 (X 인증 정보 없음): X 게시물은 콘솔에 출력됩니다.',
  },
} as const;

/** Dollars in cents, or in tenths of a cent when the amount has them (X bills $0.015 a post). */
export function dollarsText(amount: number): string {
  const mills = amount.toFixed(3);
  return `$${mills.endsWith('0') ? amount.toFixed(2) : mills}`;
}

/** `2026-11-28 14:05` (UTC) from an ISO 8601 time; null when there is none. */
function utcMinute(iso: string | null): string | null {
  if (iso === null || Number.isNaN(Date.parse(iso))) return null;
  return new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
}

/** The lines that say publishing is paused: since when, why, and what lifts it. */
function pauseLines(pause: PublishingPause, language: ReplyLanguage): string[] {
  const w = words[language];
  return [w.paused(utcMinute(pause.since)), w.pauseReason(pause.reason), w.pauseUntil];
}

/**
 * What each budgeted destination (X) used of its rolling window, against its caps: posts against
 * `X_DAILY_POSTS`, dollars against `X_DAILY_SPEND_USD`; first, when publishing to it is paused, why and until when.
 */
export function budgetStatusText(usages: readonly BudgetUsage[], language: ReplyLanguage): string {
  const w = words[language];
  if (usages.length === 0) return w.none;
  return usages
    .map((u) =>
      [
        w.heading(u.account, u.windowHours),
        ...(u.paused === null ? [] : pauseLines(u.paused, language)),
        w.posts(u.posts, u.postsCap),
        u.spendCapUsd === null
          ? w.spendNoCap(dollarsText(u.spendUsd))
          : w.spend(dollarsText(u.spendUsd), dollarsText(u.spendCapUsd)),
      ].join('\n'),
    )
    .join('\n\n');
}
