import type { ReplyLanguage } from '../../src/platforms/discord/interactions/command-types.js';
import type { BudgetUsage } from '../../src/platforms/publisher.js';

/** The words of `/layover-mod status` in each reply language. */
const words = {
  en: {
    heading: (account: string, hours: number) => `**X (@${account})**, last ${hours} h:`,
    posts: (used: number, cap: number) => `Posts: ${used} of ${cap} (X_DAILY_POSTS)`,
    spend: (used: string, cap: string) => `Spend: ${used} of ${cap} (X_DAILY_SPEND_USD)`,
    spendNoCap: (used: string) => `Spend: ${used} (no cap: X_DAILY_SPEND_USD is not set)`,
    none: 'X is not connected here (no X credentials): X posts are printed to the console.',
  },
  ko: {
    heading: (account: string, hours: number) => `**X (@${account})**, 최근 ${hours}시간:`,
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

/**
 * What each budgeted destination (X) used of its rolling window, against its caps: posts against
 * `X_DAILY_POSTS`, dollars against `X_DAILY_SPEND_USD`.
 */
export function budgetStatusText(usages: readonly BudgetUsage[], language: ReplyLanguage): string {
  const w = words[language];
  if (usages.length === 0) return w.none;
  return usages
    .map((u) =>
      [
        w.heading(u.account, u.windowHours),
        w.posts(u.posts, u.postsCap),
        u.spendCapUsd === null
          ? w.spendNoCap(dollarsText(u.spendUsd))
          : w.spend(dollarsText(u.spendUsd), dollarsText(u.spendCapUsd)),
      ].join('\n'),
    )
    .join('\n\n');
}
