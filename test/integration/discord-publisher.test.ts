import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedCards } from '../../src/cards/card-cache.js';
import { renderMilestoneCard } from '../../src/cards/milestone-card.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import type { PublishOutcome } from '../../src/jobs/post-settler.js';
import { createLogger } from '../../src/logger.js';
import { createDiscordRest } from '../../src/platforms/discord/discord-rest.js';
import { DiscordPublisher } from '../../src/platforms/discord/discord-publisher.js';
import { CrosspostQueue } from '../../src/jobs/crosspost-queue.js';
import { createRedis } from '../../src/redis.js';
import { GlobalRateLimiter } from '../../src/platforms/discord/global-rate-limiter.js';
import { RateLimitedError } from '../../src/platforms/publish-errors.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { setUpGuilds } from '../../emulators/discord-guilds.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));

/** Every track at 15M (a baseline), then Rainy Days at 21M: exactly one milestone, track 20M. */
const baseline = {
  capturedAt: '2023-09-20T23:00:00+09:00',
  tracks: Object.fromEntries(trackIds.map((id) => [id, 15e6])),
};
const crossing = {
  capturedAt: '2023-09-21T23:00:00+09:00',
  tracks: { ...baseline.tracks, 'rainy-days': 21e6 },
};
const milestoneId = 'v/track:rainy-days/20000000';

interface Stack {
  readonly prefix: string;
  readonly emulator: DiscordEmulator;
  readonly redis: Redis;
  readonly guilds: GuildSettingsStore;
  readonly crossposts: CrosspostQueue;
  readonly pipeline: Pipeline;
  readonly outcomes: PublishOutcome[];
  /** How many times this stack's publisher drew a card (its cache in front). */
  readonly cardRenders: { count: number };
}

const stacks: Stack[] = [];

/** A pipeline with its own Redis connection and REST client; `join` shares another stack's prefix and emulator. */
async function startStack(options: { timeoutMs?: number; join?: Stack } = {}): Promise<Stack> {
  const prefix = options.join?.prefix ?? uniquePrefix('discord');
  const emulator = options.join?.emulator ?? (await DiscordEmulator.start());
  const redis = testRedis();
  const keys = stateKeys(prefix);
  const guilds = new GuildSettingsStore(redis, keys);
  const rest = createDiscordRest({
    api: emulator.api,
    token: emulator.token,
    limiter: new GlobalRateLimiter(redis, keys.discordGlobalWindow(), {
      maxRequestMs: options.timeoutMs ?? 5000,
    }),
    timeoutMs: options.timeoutMs ?? 5000,
  });
  const logger = createLogger('silent');
  const outcomes: PublishOutcome[] = [];
  const cardRenders = { count: 0 };
  const cards = cachedCards((...args) => {
    cardRenders.count += 1;
    return renderMilestoneCard(...args);
  });
  const crossposts = new CrosspostQueue({
    redis,
    connect: () => createRedis(TEST_REDIS_URL),
    prefix,
    keys,
    rest,
    guilds,
    logger,
    stalledSweepMs: 0,
  });
  const pipeline = await startPipeline({
    redisUrl: TEST_REDIS_URL,
    prefix,
    trackings: [tracking],
    // The clock stands just after the snapshots: the milestone is fresh, so its posts ping the role.
    publishers: [
      new DiscordPublisher({
        rest,
        guilds,
        render: renderPosts,
        logger,
        cards,
        now: () => Date.parse('2023-09-22T00:00:00+09:00'),
        crossposts,
      }),
    ],
    logger,
    runSnapshotWorker: options.join === undefined,
    runPublishWorker: true,
    snapshotConcurrency: 2,
    publishConcurrency: 16,
    onPublished: (o) => outcomes.push(o),
  });
  const stack = { prefix, emulator, redis, guilds, crossposts, pipeline, outcomes, cardRenders };
  stacks.push(stack);
  return stack;
}

async function announce(stack: Stack): Promise<void> {
  for (const snapshot of [baseline, crossing]) {
    const [id] = await enqueueRaw(stack.pipeline, [snapshot]);
    const job = await stack.pipeline.snapshotQueue.getJob(id ?? '');
    if (job === undefined) throw new Error('snapshot job not found');
    for (let waited = 0; !(await job.isCompleted()); waited += 20) {
      if (waited > 10_000) throw new Error('snapshot job did not complete');
      await sleep(20);
    }
  }
}

/** Waits until every ledger entry of the milestone is final (sent or failed). */
async function settled(stack: Stack, expected: number, timeoutMs = 40_000): Promise<void> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; await sleep(50)) {
    const entries = await stack.pipeline.ledger.entries(milestoneId);
    if (entries.size === expected && [...entries.values()].every((e) => e.state !== 'pending')) return;
  }
  throw new Error('ledger did not settle');
}

afterEach(async () => {
  for (const stack of stacks.splice(0)) {
    await stack.pipeline.close(5000);
    await stack.crossposts.close();
    await stack.emulator.close();
    stack.redis.disconnect();
    await cleanupPrefix(stack.prefix);
  }
});

describe('the Discord publisher against the emulator', () => {
  it('fans one milestone out to 300 channels exactly once without a non-shared 429, through timeouts and a shared limit', async () => {
    const stack = await startStack({ timeoutMs: 1000 });
    const guilds = await setUpGuilds(stack.emulator, stack.guilds, 300);
    // Three channels answer too late on the first try (the message exists, the client gives up) ...
    for (const g of guilds.slice(0, 3)) {
      stack.emulator.failNext(g.channel.id, { kind: 'timeout', createFirst: true, holdMs: 2500 });
    }
    // ... and one is busy for everyone (a shared-scope 429, which Discord does not count against the bot).
    stack.emulator.failNext(guilds[10]!.channel.id, { kind: 'shared429', retryAfterMs: 300 });

    await announce(stack);
    await settled(stack, 300);

    const entries = await stack.pipeline.ledger.entries(milestoneId);
    expect([...entries.values()].every((e) => e.state === 'sent')).toBe(true);
    for (const g of guilds) {
      const messages = stack.emulator.messagesIn(g.channel.id);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.content.startsWith(`<@&${g.roleId}> `)).toBe(true);
      expect(messages[0]!.pingedRoles).toEqual([g.roleId]);
      expect(messages[0]!.pingsEveryone).toBe(false);
      expect(messages[0]!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['card.png', 'image/png'],
      ]);
      expect(entries.get(`discord:${g.settings.guildId}`)).toMatchObject({ platformId: messages[0]!.id });
    }
    // One card for the milestone (every guild is English), drawn once and uploaded with each post.
    expect(stack.cardRenders.count).toBe(1);
    expect(stack.emulator.rateLimitCount('global')).toBe(0);
    expect(stack.emulator.rateLimitCount('user')).toBe(0);
    expect(stack.emulator.rateLimitCount('shared')).toBe(1);
    expect(stack.emulator.peakPerSecond()).toBeLessThanOrEqual(50);
    // The timed-out channels were posted to once: the job's retry looked among the channel's latest messages,
    // found the post the timed-out request had made, and adopted it instead of posting again.
    for (const g of guilds.slice(0, 3)) {
      const onChannel = stack.emulator.requests.filter(
        (r) => r.path === `/channels/${g.channel.id}/messages`,
      );
      expect(onChannel.filter((r) => r.route === 'POST /channels/:id/messages')).toHaveLength(1);
      expect(onChannel.filter((r) => r.route === 'GET /channels/:id/messages').length).toBeGreaterThanOrEqual(
        1,
      );
    }
  });

  it('keeps two publishers with their own REST clients together under the global limit', async () => {
    const first = await startStack();
    const second = await startStack({ join: first });
    const guilds = await setUpGuilds(first.emulator, first.guilds, 200);
    await announce(first);
    await settled(first, 200);
    for (const g of guilds) expect(first.emulator.messagesIn(g.channel.id)).toHaveLength(1);
    // Both took part, and together they never drew a 429 nor exceeded Discord's 50 a second. (A job reports its
    // outcome just after it settles the ledger entry: wait for the last report.)
    await until('200 outcomes', () => first.outcomes.length + second.outcomes.length >= 200);
    expect(first.outcomes.length).toBeGreaterThan(20);
    expect(second.outcomes.length).toBeGreaterThan(20);
    expect(first.outcomes.length + second.outcomes.length).toBe(200);
    expect(first.emulator.rateLimitHits).toEqual([]);
    expect(first.emulator.peakPerSecond()).toBeLessThanOrEqual(50);
  });

  it('a retry after a timeout returns the first message instead of posting a second one', async () => {
    const stack = await startStack({ timeoutMs: 400 });
    const [guild] = await setUpGuilds(stack.emulator, stack.guilds, 1);
    stack.emulator.failNext(guild!.channel.id, { kind: 'timeout', createFirst: true, holdMs: 1500 });
    await announce(stack);
    await settled(stack, 1);
    const posts = stack.emulator.requests.filter((r) => r.route === 'POST /channels/:id/messages');
    // The retry first looks for its own post among the channel's recent messages (by the marker derived from the
    // ledger key), finds the one the timed-out request created, and does not post again.
    expect(posts.length).toBe(1);
    expect((posts[0]!.body as { enforce_nonce: boolean }).enforce_nonce).toBe(true);
    const lookups = stack.emulator.requests.filter((r) => r.route === 'GET /channels/:id/messages');
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    const messages = stack.emulator.messagesIn(guild!.channel.id);
    expect(messages).toHaveLength(1);
    const entry = await stack.pipeline.ledger.get(milestoneId, `discord:${guild!.settings.guildId}`);
    expect(entry).toMatchObject({ state: 'sent', platformId: messages[0]!.id });
  });

  it('records a deleted channel and a lost permission on the guild, fails those deliveries once, and skips them afterwards', async () => {
    const stack = await startStack();
    const [healthy, forbidden, deleted] = await setUpGuilds(stack.emulator, stack.guilds, 3);
    stack.emulator.revoke(forbidden!.channel.id, 'SendMessages');
    stack.emulator.deleteChannel(deleted!.channel.id);
    await announce(stack);
    await settled(stack, 3);

    const entries = await stack.pipeline.ledger.entries(milestoneId);
    expect(entries.get(`discord:${healthy!.settings.guildId}`)?.state).toBe('sent');
    expect(entries.get(`discord:${forbidden!.settings.guildId}`)).toMatchObject({ state: 'failed' });
    expect(entries.get(`discord:${deleted!.settings.guildId}`)).toMatchObject({ state: 'failed' });
    // No retries of a permanent failure; a 50013 is first taken as a refused card (Attach Files), so the
    // forbidden channel is asked once with the card and once without it, then never again.
    const postsTo = (g: typeof healthy) =>
      stack.emulator.requests
        .filter((r) => r.path === `/channels/${g!.channel.id}/messages`)
        .map((r) => r.files.length);
    expect(postsTo(forbidden)).toEqual([1, 0]);
    expect(postsTo(deleted)).toEqual([1]);
    expect((await stack.guilds.get(forbidden!.settings.guildId))?.health).toMatchObject({
      problem: 'missing-permission',
      detail: expect.stringContaining('50013') as string,
    });
    expect((await stack.guilds.get(deleted!.settings.guildId))?.health).toMatchObject({
      problem: 'gone',
      detail: expect.stringContaining('10003') as string,
    });
    const publisher = new DiscordPublisher({
      rest: createDiscordRest({ api: stack.emulator.api, token: stack.emulator.token }),
      guilds: stack.guilds,
      render: renderPosts,
      logger: createLogger('silent'),
    });
    const next = (await stack.pipeline.milestones.get(milestoneId))!;
    expect(await publisher.destinationsFor(next, tracking)).toEqual([`discord:${healthy!.settings.guildId}`]);
  });

  it('crossposts in an announcement channel when the guild asked for it, through the crosspost queue', async () => {
    const stack = await startStack();
    const [guild] = await setUpGuilds(stack.emulator, stack.guilds, 1, { channelType: 5, crosspost: true });
    await announce(stack);
    await settled(stack, 1);
    // The pipeline runs the publisher's crosspost worker next to the publish worker.
    await until('the crosspost', () => stack.emulator.messagesIn(guild!.channel.id)[0]?.crossposted === true);
    expect(stack.emulator.crossposts(guild!.channel.id)).toHaveLength(1);
  });
});

describe('the Discord publisher under a long rate limit', () => {
  it('hands a wait longer than the client should hold to the job as RateLimitedError', async () => {
    const stack = await startStack();
    const [guild] = await setUpGuilds(stack.emulator, stack.guilds, 1);
    stack.emulator.failNext(guild!.channel.id, { kind: 'shared429', retryAfterMs: 30_000 });
    const publisher = new DiscordPublisher({
      rest: createDiscordRest({ api: stack.emulator.api, token: stack.emulator.token }),
      guilds: stack.guilds,
      render: renderPosts,
      logger: createLogger('silent'),
    });
    const milestone = {
      id: milestoneId,
      artistId: 'v',
      kind: 'track' as const,
      albumId: 'layover',
      trackId: 'rainy-days',
      videoId: null,
      threshold: 20e6,
      value: 21e6,
      observedAt: crossing.capturedAt,
      daysSinceRelease: 41,
      lastTrackId: null,
      record: null,
    };
    const destination = `discord:${guild!.settings.guildId}` as const;
    const before = Date.now();
    const error = await publisher
      .publish({ milestone, tracking, destination, ledgerKey: `${milestoneId}|${destination}`, attempt: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(stack.emulator.messagesIn(guild!.channel.id)).toHaveLength(0);
  });
});

describe('a publish retry past the nonce window', () => {
  it('finds its own earlier post by the marker derived from the ledger key, and posts nothing again', async () => {
    const stack = await startStack();
    const [guild] = await setUpGuilds(stack.emulator, stack.guilds, 1);
    const channelId = guild!.channel.id;
    const publisher = new DiscordPublisher({
      rest: createDiscordRest({ api: stack.emulator.api, token: stack.emulator.token, timeoutMs: 300 }),
      guilds: stack.guilds,
      render: renderPosts,
      logger: createLogger('silent'),
    });
    const milestone = (await stack.pipeline.milestones.get(milestoneId)) ?? {
      id: milestoneId,
      artistId: 'v',
      kind: 'track' as const,
      albumId: 'layover',
      trackId: 'rainy-days',
      videoId: null,
      threshold: 20e6,
      value: 21e6,
      observedAt: crossing.capturedAt,
      daysSinceRelease: 41,
      lastTrackId: null,
      record: null,
    };
    const destination = `discord:${guild!.settings.guildId}` as const;
    const request = { milestone, tracking, destination, ledgerKey: `${milestoneId}|${destination}` };
    // Attempt 1: Discord creates the message but the answer never arrives.
    stack.emulator.failNext(channelId, { kind: 'timeout', createFirst: true, holdMs: 2000 });
    await expect(publisher.publish({ ...request, attempt: 1 })).rejects.toThrow();
    expect(stack.emulator.messagesIn(channelId)).toHaveLength(1);
    // Discord has forgotten the nonce by the time of the retry (more than a few minutes later).
    stack.emulator.forgetNonces();
    const receipt = await publisher.publish({ ...request, attempt: 2 });
    const messages = stack.emulator.messagesIn(channelId);
    expect(messages).toHaveLength(1);
    expect(receipt.platformId).toBe(messages[0]!.id);
    // A different ledger key (another delivery) is not mistaken for it.
    await publisher.publish({ ...request, ledgerKey: `${request.ledgerKey}|other`, attempt: 2 });
    expect(stack.emulator.messagesIn(channelId)).toHaveLength(2);
  });
});
