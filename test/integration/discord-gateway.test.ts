import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createDiscordApp, type DiscordApp } from '../../src/discord-app.js';
import { startGateway, type Gateway } from '../../src/platforms/discord/gateway.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { stateKeys } from '../../src/state/keys.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { DiscordGatewayEmulator } from '../../emulators/discord-gateway-emulator.js';
import { setUpGuilds } from '../../emulators/discord-guilds.js';
import { chatInputInteraction } from '../../emulators/discord-interactions.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; await sleep(20)) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error('timed out');
}

describe('the Discord gateway (role bot)', () => {
  const prefix = uniquePrefix('gateway');
  let redis: Redis;
  let emulator: DiscordEmulator;
  let gatewayServer: DiscordGatewayEmulator;
  let discord: DiscordApp;
  let gateway: Gateway;

  beforeAll(async () => {
    redis = testRedis();
    emulator = await DiscordEmulator.start();
    gatewayServer = await DiscordGatewayEmulator.start({
      interactions: emulator.interactions,
      botUserId: emulator.botUserId,
      applicationId: '400000000000000001',
    });
    emulator.gatewayUrl = gatewayServer.url;
    const logger = createLogger('silent');
    discord = createDiscordApp({
      token: emulator.token,
      apiUrl: emulator.api,
      redis,
      keys: stateKeys(prefix),
      trackings: [layoverTracking()],
      render: renderPosts,
      logger,
    });
    gateway = await startGateway({
      token: emulator.token,
      apiUrl: emulator.api,
      dispatch: discord.dispatch,
      rest: discord.interactionRest,
      guilds: discord.guilds,
      logger,
    });
    await gatewayServer.ready;
  });

  afterAll(async () => {
    await gateway.close();
    await gatewayServer.close();
    await emulator.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('runs slash commands through the same handlers and answers on the interaction callback', async () => {
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'milestones' });
    gatewayServer.dispatch('INTERACTION_CREATE', interaction);
    const callback = await until(() =>
      emulator.interactionReplies.find((r) => r.path.endsWith(`/${String(interaction.token)}/callback`)),
    );
    expect(callback.body).toEqual({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'Nothing announced yet.', allowed_mentions: { parse: [] } },
    });
  });

  it('forgets a server’s settings when the bot is removed from it', async () => {
    const [guild] = await setUpGuilds(emulator, discord.guilds, 1);
    const guildId = guild!.settings.guildId;
    gatewayServer.dispatch('GUILD_CREATE', {
      id: guildId,
      name: 'fans',
      icon: null,
      owner_id: '600000000000000001',
      roles: [],
      emojis: [],
      stickers: [],
      features: [],
      channels: [],
      threads: [],
      members: [],
      presences: [],
      voice_states: [],
      member_count: 1,
      joined_at: '2023-09-08T00:00:00.000Z',
      large: false,
      unavailable: false,
      premium_tier: 0,
      system_channel_flags: 0,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      preferred_locale: 'en-US',
    });
    gatewayServer.dispatch('GUILD_DELETE', { id: guildId });
    await until(async () => ((await discord.guilds.get(guildId)) === null ? true : undefined));
    expect(await redis.sismember(stateKeys(prefix).guilds(), guildId)).toBe(0);
  });
});
