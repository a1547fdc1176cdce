import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { XPublisher } from '../../src/platforms/x/x-publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { stateKeys } from '../../src/state/keys.js';
import { ledgerKeyOf, PostLedgerStore } from '../../src/state/post-ledger.store.js';
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

describe('/layover-mod status: what X posting used of its daily budget', () => {
  const prefix = uniquePrefix('mod-status');
  let harness: InteractionsApp;
  let emulator: XEmulator;

  beforeAll(async () => {
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    emulator = await XEmulator.start(xCredentials);
  });

  afterAll(async () => {
    await harness.close();
    await emulator.close();
  });

  const status = async (options: { permissions?: string; locale?: string } = {}): Promise<string> => {
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
  };

  it('shows posts and dollars spent against X_DAILY_POSTS and X_DAILY_SPEND_USD, in English and Korean', async () => {
    expect(await status()).toBe(
      'X is not connected here (no X credentials): X posts are printed to the console.',
    );
    const x = await XPublisher.connect({
      client: XHarness.client(emulator),
      redis: harness.redis,
      prefix,
      ledger: new PostLedgerStore(harness.redis, stateKeys(prefix)),
      render: renderPosts,
      notifier: { notify: () => Promise.resolve() },
      logger: createLogger('silent'),
      dailyPosts: 17,
      dailySpendUsd: 1,
      minThresholds: {},
      combineWindowMs: 0,
      maxWaitMs: 72 * 3_600_000,
    });
    harness.discord.showBudgets([x]);
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
    expect(emulator.posts).toHaveLength(2);
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
