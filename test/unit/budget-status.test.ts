import { describe, expect, it } from 'vitest';
import { budgetStatusText, dollarsText } from '../../commands/handlers/budget-status.js';
import type { BudgetUsage } from '../../src/platforms/publisher.js';

const usage: BudgetUsage = {
  destination: 'x:4242',
  account: 'layovercharts',
  posts: 3,
  postsCap: 17,
  spendUsd: 0.245,
  spendCapUsd: null,
  windowHours: 24,
};

describe('/layover-mod status text', () => {
  it('writes dollars in cents, or in tenths of a cent when the amount has them', () => {
    expect(dollarsText(0)).toBe('$0.00');
    expect(dollarsText(1)).toBe('$1.00');
    expect(dollarsText(0.2)).toBe('$0.20');
    expect(dollarsText(0.015)).toBe('$0.015');
    expect(dollarsText(0.001)).toBe('$0.001');
    expect(dollarsText(12.345)).toBe('$12.345');
  });

  it('says when there is no money cap, in English and Korean', () => {
    expect(budgetStatusText([usage], 'en')).toBe(
      [
        '**X (@layovercharts)**, last 24 h:',
        'Posts: 3 of 17 (X_DAILY_POSTS)',
        'Spend: $0.245 (no cap: X_DAILY_SPEND_USD is not set)',
      ].join('\n'),
    );
    expect(budgetStatusText([usage], 'ko')).toBe(
      [
        '**X (@layovercharts)**, 최근 24시간:',
        '게시물: 17개 중 3개 (X_DAILY_POSTS)',
        '비용: $0.245 (한도 없음: X_DAILY_SPEND_USD 미설정)',
      ].join('\n'),
    );
  });
});
