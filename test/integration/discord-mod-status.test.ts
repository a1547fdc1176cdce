import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XPublisher } from '../../src/platforms/x/x-publisher.js';
import { ledgerKeyOf } from '../../src/state/post-ledger.store.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import { postInteraction, startInteractionsApp, type InteractionsApp } from '../helpers/interactions-app.js';
import { milestone } from '../helpers/posts-fixtures.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { XEmulator } from '../../emulators/x-emulator.js';
import { xCredentials, XHarness } from '../helpers/x-harness.js';

const tracking = layoverTracking();
const keys = interactionKeyPair();
/** Manage Server. */
const MANAGE_SERVER = '32';

/** `/layover-mod status` through the interactions endpoint, as a member with `permissions`; its (ephemeral) text. */
async function statusOf(
  harness: InteractionsApp,
  options: { permissions?: string; locale?: string } = {},
): Promise<string> {
  const interaction = {
    ...chatInputInteraction({
      command: 'layover-mod',
      subcommand: 'status',
      permissions: options.permissions ?? MANAGE_SERVER,
    }),
    locale: options.locale ?? 'en-US',
  };
  const res = await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
  const body = res.json<{ data: { content: string; flags?: number } }>();
  // Moderators' answers are ephemeral.
  expect(body.data.flags).toBe(64);
  return body.data.content;
}

/** An interactions app on a prefix of its own and an X emulator. */
interface AppAndEmulator {
  readonly prefix: string;
  harness: InteractionsApp;
  emulator: XEmulator;
}

/**
 * An interactions app and an X emulator for the describe block that calls it: started before its tests (the
 * fields are set then), closed after them.
 */
function appAndEmulator(name: string): AppAndEmulator {
  const at = { prefix: uniquePrefix(name) } as AppAndEmulator;
  beforeAll(async () => {
    at.harness = await startInteractionsApp({ prefix: at.prefix, publicKeyHex: keys.publicKeyHex, tracking });
    at.emulator = await XEmulator.start(xCredentials);
  });
  afterAll(async () => {
    await at.harness.close();
    await at.emulator.close();
  });
  return at;
}

describe('/layover-mod status: what X posting used of its daily budget', () => {
  const at = appAndEmulator('mod-status');

  const status = (options: { permissions?: string; locale?: string } = {}) => statusOf(at.harness, options);

  it('shows posts and dollars spent against X_DAILY_POSTS and X_DAILY_SPEND_USD, in English and Korean', async () => {
    expect(await status()).toBe(
      'X is not connected here (no X credentials): X posts are printed to the console.',
    );
    const x = await XPublisher.connect(
      XHarness.publisherOptions({
        emulator: at.emulator,
        redis: at.harness.redis,
        prefix: at.prefix,
        options: { dailySpendUsd: 1 },
      }),
    );
    at.harness.discord.showBudgets([x]);
    expect(await status()).toBe(
      [
        '**X (@layovercharts)**, last 24 h:',
        'Posts: 0 of 17 (X_DAILY_POSTS)',
        'Spend: $0.00 of $1.00 (X_DAILY_SPEND_USD)',
      ].join('\n'),
    );

    // Two real posts through the emulator: two slots, $0.015 each (no link in the text).
    for (const m of [milestone('album', { threshold: 100_000_000 }), milestone('track')]) {
      const [destination] = await x.destinationsFor(m, tracking);
      expect(destination).toBe(x.destination);
      await x.publish({
        milestone: m,
        tracking,
        destination: x.destination,
        ledgerKey: ledgerKeyOf(m.id, x.destination),
        attempt: 1,
      });
    }
    expect(at.emulator.posts).toHaveLength(2);
    expect(await status()).toBe(
      [
        '**X (@layovercharts)**, last 24 h:',
        'Posts: 2 of 17 (X_DAILY_POSTS)',
        'Spend: $0.03 of $1.00 (X_DAILY_SPEND_USD)',
      ].join('\n'),
    );
    expect(await status({ locale: 'ko' })).toBe(
      [
        '**X (@layovercharts)**, 최근 24시간:',
        '게시물: 17개 중 2개 (X_DAILY_POSTS)',
        '비용: $1.00 중 $0.03 (X_DAILY_SPEND_USD)',
      ].join('\n'),
    );
  });

  it('is for members with Manage Server only', async () => {
    expect(await status({ permissions: '0' })).toContain('You need the **Manage Server** permission');
  });
});

describe('/layover-mod status: X publishing paused by an account problem', () => {
  const at = appAndEmulator('mod-status-paused');

  const connect = () =>
    XPublisher.connect(
      XHarness.publisherOptions({ emulator: at.emulator, redis: at.harness.redis, prefix: at.prefix }),
    );

  it('shows that X is paused, since when, why and what lifts it, in English and Korean, until a start-up lifts it', async () => {
    const x = await connect();
    at.harness.discord.showBudgets([x]);
    const running = [
      '**X (@layovercharts)**, last 24 h:',
      'Posts: 0 of 17 (X_DAILY_POSTS)',
      'Spend: $0.00 (no cap: X_DAILY_SPEND_USD is not set)',
    ];
    expect(await statusOf(at.harness, { locale: 'en-US' })).toBe(running.join('\n'));

    // X answers a post that the account is suspended: X publishing pauses, and the milestone waits.
    at.emulator.setAccountState('suspended');
    const m = milestone('album', { threshold: 200_000_000 });
    await x.destinationsFor(m, tracking);
    await expect(
      x.publish({
        milestone: m,
        tracking,
        destination: x.destination,
        ledgerKey: ledgerKeyOf(m.id, x.destination),
        attempt: 1,
      }),
    ).rejects.toThrow(/X publishing paused/);
    const pause = await x.pause();
    expect(pause?.reason).toMatch(/^X answered 403: .*suspended/);
    const since = new Date(pause!.at).toISOString().slice(0, 16).replace('T', ' ');
    expect(await statusOf(at.harness, { locale: 'en-US' })).toBe(
      [
        '**X (@layovercharts)**, last 24 h:',
        `⚠️ X publishing is paused since ${since} UTC: nothing is sent to X.`,
        `Why: ${pause!.reason}`,
        'Until: someone fixes the account or its credentials and restarts the bot (start-up checks the ' +
          'credentials with X and lifts the pause). Milestones wait meanwhile, each given up (recorded as ' +
          'failed) X_MAX_WAIT_HOURS after its announcement.',
        'Posts: 1 of 17 (X_DAILY_POSTS)',
        'Spend: $0.015 (no cap: X_DAILY_SPEND_USD is not set)',
      ].join('\n'),
    );
    expect(await statusOf(at.harness, { locale: 'ko' })).toBe(
      [
        '**X (@layovercharts)**, 최근 24시간:',
        `⚠️ X 게시가 ${since} UTC부터 일시 중지되어 있습니다: X에는 아무것도 보내지 않습니다.`,
        `사유: ${pause!.reason}`,
        '재개: 누군가 X 계정이나 인증 정보를 고친 뒤 봇을 다시 시작해야 합니다 (시작할 때 X에 인증 정보를 ' +
          '확인하고 일시 중지를 풉니다). 그동안 마일스톤은 기다리며, 알림 후 X_MAX_WAIT_HOURS가 지나면 각각 ' +
          '실패로 기록됩니다.',
        '게시물: 17개 중 1개 (X_DAILY_POSTS)',
        '비용: $0.015 (한도 없음: X_DAILY_SPEND_USD 미설정)',
      ].join('\n'),
    );

    // Fixed, and started again: the start-up check lifts the pause for every process, and the status says so.
    at.emulator.setAccountState('ok');
    await connect();
    expect(await statusOf(at.harness, { locale: 'en-US' })).toBe(
      [
        running[0],
        'Posts: 1 of 17 (X_DAILY_POSTS)',
        'Spend: $0.015 (no cap: X_DAILY_SPEND_USD is not set)',
      ].join('\n'),
    );
  });
});
