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
  paused: null,
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

  it('says first that X publishing is paused, since when (UTC), why, and what lifts it', () => {
    const paused: BudgetUsage = {
      ...usage,
      paused: { reason: 'X answered 403: This account is suspended.', since: '2026-11-28T05:07:09.123Z' },
    };
    expect(budgetStatusText([paused], 'en').split('\n').slice(0, 4)).toEqual([
      '**X (@layovercharts)**, last 24 h:',
      '⚠️ X publishing is paused since 2026-11-28 05:07 UTC: nothing is sent to X.',
      'Why: X answered 403: This account is suspended.',
      expect.stringMatching(/^Until: someone fixes the account or its credentials and restarts the bot/),
    ]);
    expect(budgetStatusText([paused], 'ko').split('\n').slice(0, 4)).toEqual([
      '**X (@layovercharts)**, 최근 24시간:',
      '⚠️ X 게시가 2026-11-28 05:07 UTC부터 일시 중지되어 있습니다: X에는 아무것도 보내지 않습니다.',
      '사유: X answered 403: This account is suspended.',
      expect.stringMatching(/^재개: 누군가 X 계정이나 인증 정보를 고친 뒤 봇을 다시 시작해야 합니다/),
    ]);
    // A pause whose start was not recorded still says so, without a time.
    expect(budgetStatusText([{ ...paused, paused: { ...paused.paused!, since: null } }], 'en')).toContain(
      '⚠️ X publishing is paused: nothing is sent to X.',
    );
  });
});
