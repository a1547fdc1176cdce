import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createDiscordApp, type DiscordApp } from '../../src/discord-app.js';
import { startGateway, type Gateway } from '../../src/platforms/discord/gateway.js';
import {
  redisInteractionClaims,
  type ClaimInteraction,
} from '../../src/platforms/discord/interactions/interaction-claims.js';
import type { ShardPlan } from '../../src/discord-shard-plan.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { stateKeys } from '../../src/state/keys.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { DiscordGatewayEmulator } from '../../emulators/discord-gateway-emulator.js';
import { chatInputInteraction } from '../../emulators/discord-interactions.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

interface Discord {
  readonly emulator: DiscordEmulator;
  readonly gatewayServer: DiscordGatewayEmulator;
  readonly app: DiscordApp;
  readonly redis: Redis;
  readonly prefix: string;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The REST and gateway emulators, with the app (handlers, REST clients) one or more gateways share. */
async function startDiscord(recommendedShards: number): Promise<Discord> {
  const emulator = await DiscordEmulator.start();
  cleanups.push(() => emulator.close());
  const gatewayServer = await DiscordGatewayEmulator.start({
    interactions: emulator.interactions,
    botUserId: emulator.botUserId,
    applicationId: '400000000000000001',
  });
  cleanups.push(() => gatewayServer.close());
  emulator.gatewayUrl = gatewayServer.url;
  emulator.recommendedShards = recommendedShards;
  // Shards in different identify buckets connect together (Discord's max_concurrency), which keeps this fast.
  emulator.maxConcurrency = 16;
  const redis = testRedis();
  const prefix = uniquePrefix('shards');
  cleanups.push(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });
  const app = createDiscordApp({
    token: emulator.token,
    apiUrl: emulator.api,
    redis,
    keys: stateKeys(prefix),
    trackings: [layoverTracking()],
    render: renderPosts,
    logger: createLogger('silent'),
  });
  return { emulator, gatewayServer, app, redis, prefix };
}

/** One `bot` process's gateway. */
async function connect(discord: Discord, shards: ShardPlan, claim?: ClaimInteraction): Promise<Gateway> {
  const gateway = await startGateway({
    token: discord.emulator.token,
    apiUrl: discord.emulator.api,
    dispatch: discord.app.dispatch,
    rest: discord.app.interactionRest,
    guilds: discord.app.guilds,
    logger: createLogger('silent'),
    shards,
    ...(claim === undefined ? {} : { claim }),
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

const identifiedShards = (server: DiscordGatewayEmulator) =>
  server.identified.map((c) => c.shard).sort((a, b) => a[0] - b[0]);

describe('gateway sharding (role bot)', () => {
  it('runs as many shards as GET /gateway/bot recommends when DISCORD_SHARDS is auto', async () => {
    const discord = await startDiscord(2);
    const gateway = await connect(discord, { mode: 'auto' });
    await until('two shards identified', () => discord.gatewayServer.identified.length === 2);
    expect(identifiedShards(discord.gatewayServer)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(gateway.shards).toEqual([0, 1]);
    expect(gateway.shardCount).toBe(2);
    expect(discord.emulator.requests.some((r) => r.route === 'GET /gateway/bot')).toBe(true);
  });

  it('runs only its own shard ids of the total when they are given, whatever Discord recommends', async () => {
    const discord = await startDiscord(1);
    const gateway = await connect(discord, { mode: 'some', ids: [1, 2], count: 4 });
    await until('two shards identified', () => discord.gatewayServer.identified.length === 2);
    expect(identifiedShards(discord.gatewayServer)).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(gateway.shards).toEqual([1, 2]);
    expect(gateway.shardCount).toBe(4);
  });

  it('answers an interaction once when two processes run the same shard', async () => {
    const discord = await startDiscord(1);
    const claims = redisInteractionClaims(discord.redis, stateKeys(discord.prefix));
    const taken: boolean[] = [];
    const claim: ClaimInteraction = async (id) => {
      const mine = await claims(id);
      taken.push(mine);
      return mine;
    };
    await connect(discord, { mode: 'auto' }, claim);
    await connect(discord, { mode: 'auto' }, claim);
    await until('both connected', () => discord.gatewayServer.identified.length === 2);

    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'milestones' });
    discord.gatewayServer.dispatch('INTERACTION_CREATE', interaction, 0);
    await until('both processes saw it', () => taken.length === 2);
    await until('the answer', () => discord.emulator.interactionReplies.length === 1);
    expect(taken.sort()).toEqual([false, true]);
    const callbacks = discord.emulator.requests.filter((r) => r.path.endsWith('/callback'));
    expect(callbacks.map((r) => r.status)).toEqual([204]);
  });

  it('without the claim, both processes would answer: Discord refuses the second, which then overwrites the first', async () => {
    const discord = await startDiscord(1);
    await connect(discord, { mode: 'auto' });
    await connect(discord, { mode: 'auto' });
    await until('both connected', () => discord.gatewayServer.identified.length === 2);
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'milestones' });
    discord.gatewayServer.dispatch('INTERACTION_CREATE', interaction, 0);
    // The loser's answer is refused (40060 already acknowledged); its fallback then edits the winner's message.
    const edit = await until('the second answer', () =>
      discord.emulator.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original')),
    );
    expect(edit.status).toBe(200);
    const callbacks = discord.emulator.requests.filter((r) => r.path.endsWith('/callback'));
    expect(callbacks[0]!.status).toBe(204);
    expect(callbacks.slice(1).map((r) => r.status)).toContain(400);
  });
});
