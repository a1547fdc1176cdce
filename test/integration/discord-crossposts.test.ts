import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { crosspostQueue, type CrosspostJobData } from '../../src/jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import type { CrosspostOutcome } from '../../src/jobs/crosspost.job.js';
import { CrosspostQueue } from '../../src/jobs/crosspost-queue.js';
import { createDiscordRest } from '../../src/platforms/discord/discord-rest.js';
import { DiscordPublisher } from '../../src/platforms/discord/discord-publisher.js';
import type { PlatformWorker } from '../../src/platforms/publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { setUpGuilds, type EmulatedGuild } from '../../emulators/discord-guilds.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';
import { createRedis } from '../../src/redis.js';

const tracking = layoverTracking();

/** The crosspost window of these tests, at the emulator and in the queue alike (Discord's is an hour). */
const WINDOW_MS = 3000;

/** Milestone `n` of Rainy Days (n × 10M), a distinct announcement each. */
function milestone(n: number): Milestone {
  return {
    id: `v/track:rainy-days/${n * 10_000_000}`,
    artistId: 'v',
    kind: 'track',
    albumId: 'layover',
    trackId: 'rainy-days',
    videoId: null,
    threshold: n * 10_000_000,
    value: n * 10_000_000 + 123_456,
    observedAt: '2023-09-21T23:00:00+09:00',
    daysSinceRelease: 41,
    lastTrackId: null,
    record: null,
  };
}

/** One process's Discord side: its own Redis connection, REST client, crosspost queue and publisher. */
interface Process {
  readonly redis: Redis;
  readonly guilds: GuildSettingsStore;
  readonly crossposts: CrosspostQueue;
  readonly publisher: DiscordPublisher;
  readonly outcomes: { outcome: CrosspostOutcome; data: CrosspostJobData }[];
  readonly notices: string[];
  worker: PlatformWorker | null;
  stop(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];

async function startProcess(
  prefix: string,
  emulator: DiscordEmulator,
  options: { maxRateLimitWaitMs?: number; startWorker?: boolean } = {},
): Promise<Process> {
  const redis = testRedis();
  const keys = stateKeys(prefix);
  const logger = createLogger('silent');
  const rest = createDiscordRest({
    api: emulator.api,
    token: emulator.token,
    timeoutMs: 2000,
    ...(options.maxRateLimitWaitMs === undefined ? {} : { maxRateLimitWaitMs: options.maxRateLimitWaitMs }),
  });
  const guilds = new GuildSettingsStore(redis, keys);
  const outcomes: Process['outcomes'] = [];
  const notices: string[] = [];
  const crossposts = new CrosspostQueue({
    redis,
    connect: () => createRedis(TEST_REDIS_URL),
    prefix,
    keys,
    rest,
    guilds,
    logger,
    notifier: {
      notify: (text) => {
        notices.push(text);
        return Promise.resolve();
      },
    },
    windowMs: WINDOW_MS,
    maxRequestMs: 2000,
    jobOptions: {
      attempts: 3,
      backoff: { type: 'fixed', delay: 100 },
      removeOnComplete: 100,
      removeOnFail: 100,
    },
    onCrossposted: (outcome, data) => outcomes.push({ outcome, data }),
    stalledSweepMs: 0,
  });
  const publisher = new DiscordPublisher({ rest, guilds, render: renderPosts, logger, crossposts });
  const proc: Process = {
    redis,
    guilds,
    crossposts,
    publisher,
    outcomes,
    notices,
    worker: null,
    stop: async () => {
      await proc.worker?.close();
      proc.worker = null;
      await crossposts.close();
      redis.disconnect();
    },
  };
  if (options.startWorker !== false) proc.worker = await publisher.startWorker();
  cleanups.push(() => proc.stop());
  return proc;
}

async function startEmulator(): Promise<DiscordEmulator> {
  const emulator = await DiscordEmulator.start({
    crosspostWindowMs: WINDOW_MS,
    // Posting is not what these tests are about: let 13 posts to one channel go at once.
    messagesPerChannel: 50,
  });
  cleanups.push(() => emulator.close());
  return emulator;
}

function freshPrefix(): string {
  const prefix = uniquePrefix('crosspost');
  cleanups.push(() => cleanupPrefix(prefix));
  return prefix;
}

/** Posts milestones `from`..`to` to the guild, one after the other, as the publish jobs would. */
async function announce(publisher: DiscordPublisher, guild: EmulatedGuild, from: number, to: number) {
  const destination = `discord:${guild.settings.guildId}` as const;
  for (let n = from; n <= to; n += 1) {
    const m = milestone(n);
    await publisher.publish({
      milestone: m,
      tracking,
      destination,
      ledgerKey: `${m.id}|${destination}`,
      attempt: 1,
    });
  }
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('Discord crossposts', () => {
  it('crossposts 10 of 13 announcements in one channel at once and the other 3 once the window frees, through a restart, without a 429', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    const first = await startProcess(prefix, emulator);
    const [guild] = await setUpGuilds(emulator, first.guilds, 1, { channelType: 5, crosspost: true });
    const channelId = guild!.channel.id;

    await announce(first.publisher, guild!, 1, 13);
    expect(emulator.messagesIn(channelId)).toHaveLength(13);
    await until('10 crossposts', () => emulator.crossposts(channelId).length === 10);
    // The other three wait in Redis as delayed jobs, none of them refused by Discord.
    await until('3 delayed crossposts', async () => (await first.crossposts.queue.getDelayedCount()) === 3);

    // The process stops while they wait; another takes over.
    await first.stop();
    expect(emulator.crossposts(channelId)).toHaveLength(10);
    const second = await startProcess(prefix, emulator);

    await until('13 crossposts', () => emulator.crossposts(channelId).length === 13, { timeoutMs: 20_000 });
    const times = emulator.crossposts(channelId).map((r) => r.at);
    const start = times[0]!;
    // The first ten went as their posts went out, within one window ...
    expect(times.slice(0, 10).every((t) => t - start < WINDOW_MS)).toBe(true);
    // ... and the last three only after Discord's window had freed slots.
    expect(times.slice(10).every((t) => t - start >= WINDOW_MS)).toBe(true);
    await until('3 outcomes', () => second.outcomes.length === 3);
    expect(second.outcomes.map((o) => o.outcome)).toEqual(['crossposted', 'crossposted', 'crossposted']);
    // Every message crossposted exactly once, and Discord never answered 429.
    for (const message of emulator.messagesIn(channelId)) expect(message.crossposted).toBe(true);
    const perMessage = new Map<string, number>();
    for (const r of emulator.crossposts(channelId)) perMessage.set(r.path, (perMessage.get(r.path) ?? 0) + 1);
    expect([...perMessage.values()]).toEqual(Array.from({ length: 13 }, () => 1));
    expect(emulator.rateLimitHits).toEqual([]);
    expect(await second.crossposts.queue.getFailedCount()).toBe(0);
  });

  it('keeps two processes together under one channel’s limit', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    const first = await startProcess(prefix, emulator);
    const second = await startProcess(prefix, emulator);
    const [guild] = await setUpGuilds(emulator, first.guilds, 1, { channelType: 5, crosspost: true });
    const channelId = guild!.channel.id;
    await Promise.all([announce(first.publisher, guild!, 1, 6), announce(second.publisher, guild!, 7, 12)]);
    await until('12 crossposts', () => emulator.crossposts(channelId).length === 12, { timeoutMs: 20_000 });
    await until('12 outcomes', () => first.outcomes.length + second.outcomes.length === 12);
    expect(emulator.rateLimitHits).toEqual([]);
  });

  it('waits for Discord’s retry_after when crossposts it did not count (a moderator’s own) used the channel’s limit', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    // The client hands any wait longer than 200 ms to the job, as it does a long one in production.
    const bot = await startProcess(prefix, emulator, { maxRateLimitWaitMs: 200, startWorker: false });
    const [guild] = await setUpGuilds(emulator, bot.guilds, 1, { channelType: 5, crosspost: true });
    const channelId = guild!.channel.id;
    // A moderator publishes ten messages by hand: Discord's limit for the channel is spent.
    for (let i = 0; i < 10; i += 1) {
      const own = emulator.messagesIn(channelId).length;
      const response = await fetch(`${emulator.api}/v10/channels/${channelId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: `news ${i}` }),
      });
      const { id } = (await response.json()) as { id: string };
      expect(emulator.messagesIn(channelId)).toHaveLength(own + 1);
      await fetch(`${emulator.api}/v10/channels/${channelId}/messages/${id}/crosspost`, {
        method: 'POST',
        headers: { authorization: `Bot ${emulator.token}` },
      });
    }
    expect(emulator.crossposts(channelId)).toHaveLength(10);
    const firstByHand = emulator.crossposts(channelId)[0]!.at;
    await announce(bot.publisher, guild!, 1, 1);
    bot.worker = await bot.publisher.startWorker();
    await until('the crosspost', () => emulator.crossposts(channelId).length === 11, { timeoutMs: 20_000 });
    // One 429, then the job waited as Discord asked (a delayed job, no attempt spent) and the crosspost went.
    expect(emulator.rateLimitCount('user')).toBe(1);
    expect(emulator.crossposts(channelId)[10]!.at).toBeGreaterThanOrEqual(firstByHand + WINDOW_MS);
    await until('the outcome', () => bot.outcomes.length === 1);
    expect(bot.outcomes.map((o) => o.outcome)).toEqual(['crossposted']);
  });

  it('retries a crosspost that met a 5xx', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    const bot = await startProcess(prefix, emulator);
    const [guild] = await setUpGuilds(emulator, bot.guilds, 1, { channelType: 5, crosspost: true });
    const channelId = guild!.channel.id;
    emulator.failNextCrosspost(channelId, { kind: 'status', status: 502, code: 0, message: 'Bad Gateway' });
    await announce(bot.publisher, guild!, 1, 1);
    await until('the crosspost', () => emulator.crossposts(channelId).length === 1);
    const attempts = emulator.requests.filter((r) => r.route === 'POST /channels/:id/messages/:id/crosspost');
    expect(attempts.map((r) => r.status)).toEqual([502, 200]);
    expect(emulator.messagesIn(channelId)[0]!.crossposted).toBe(true);
  });

  it('records a refused crosspost (missing permission, message gone), reports it once and does not retry it', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    const bot = await startProcess(prefix, emulator, { startWorker: false });
    const [forbidden, deleted] = await setUpGuilds(emulator, bot.guilds, 2, {
      channelType: 5,
      crosspost: true,
    });
    // The posts go out; before their crossposts run, one channel loses Send Messages and one message is deleted.
    await announce(bot.publisher, forbidden!, 1, 2);
    await announce(bot.publisher, deleted!, 1, 1);
    emulator.revoke(forbidden!.channel.id, 'SendMessages');
    const [gone] = emulator.messagesIn(deleted!.channel.id);
    emulator.deleteMessage(gone!.id);
    bot.worker = await bot.publisher.startWorker();

    await until('3 failed crossposts', async () => (await bot.crossposts.queue.getFailedCount()) === 3);
    const failed = await bot.crossposts.queue.getFailed();
    const reasons = failed.map((job) => [job.data.channelId, job.failedReason]).sort();
    expect(reasons).toEqual(
      [
        [forbidden!.channel.id, 'missing permission: Missing Permissions (50013)'],
        [forbidden!.channel.id, 'missing permission: Missing Permissions (50013)'],
        [deleted!.channel.id, 'message gone: Unknown Message (10008)'],
      ].sort(),
    );
    // One request each: a refusal is not retried.
    const requests = emulator.requests.filter((r) => r.route === 'POST /channels/:id/messages/:id/crosspost');
    expect(requests.map((r) => r.status).sort()).toEqual([403, 403, 404]);
    // Reported once per channel that refuses, once per message that is gone.
    expect(bot.notices).toHaveLength(2);
    expect(bot.notices.filter((n) => n.includes(`<#${forbidden!.channel.id}>`))).toHaveLength(1);
    expect(bot.notices.filter((n) => n.includes(gone!.id))).toHaveLength(1);
    // The posts themselves stay sent.
    expect(emulator.messagesIn(forbidden!.channel.id)).toHaveLength(2);
  });

  it('queues nothing for a text channel or a server that did not ask, and drops a crosspost the server turned off meanwhile', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    const bot = await startProcess(prefix, emulator, { startWorker: false });
    const [text] = await setUpGuilds(emulator, bot.guilds, 1, { channelType: 0, crosspost: true });
    const [notAsked] = await setUpGuilds(emulator, bot.guilds, 1, { channelType: 5, crosspost: false });
    const [turnedOff] = await setUpGuilds(emulator, bot.guilds, 1, { channelType: 5, crosspost: true });
    await announce(bot.publisher, text!, 1, 1);
    await announce(bot.publisher, notAsked!, 1, 1);
    await announce(bot.publisher, turnedOff!, 1, 1);
    expect(await bot.crossposts.queue.getWaitingCount()).toBe(1);
    await bot.guilds.setup(turnedOff!.settings.guildId, {
      channelId: turnedOff!.channel.id,
      channelType: 5,
      roleId: null,
      language: 'en',
      crosspost: false,
    });
    bot.worker = await bot.publisher.startWorker();
    await until('the dropped crosspost', () => bot.outcomes.length === 1);
    expect(bot.outcomes[0]!.outcome).toBe('not wanted');
    expect(emulator.crossposts()).toHaveLength(0);
  });

  it('queues one crosspost per message, however often the publisher asks', async () => {
    const emulator = await startEmulator();
    const prefix = freshPrefix();
    const bot = await startProcess(prefix, emulator, { startWorker: false });
    const data = {
      guildId: '200000000000000001',
      channelId: '200000000000000002',
      messageId: '200000000000000003',
    };
    await bot.crossposts.enqueue(data);
    await bot.crossposts.enqueue(data);
    expect(await bot.crossposts.queue.getWaitingCount()).toBe(1);
    expect(() => crosspostQueue.schema.parse({ ...data, messageId: 'not-an-id' })).toThrow();
  });
});
