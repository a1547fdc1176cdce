import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedCards, type CardSource } from '../../src/cards/card-cache.js';
import { renderMilestoneCard } from '../../src/cards/milestone-card.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import { createDiscordRest } from '../../src/platforms/discord/discord-rest.js';
import { DiscordPublisher } from '../../src/platforms/discord/discord-publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { setUpGuilds } from '../../emulators/discord-guilds.js';
import { decodePng, distinctColours, pngSize } from '../helpers/png.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();

const milestone: Milestone = {
  id: 'v/album:layover/500000000',
  artistId: 'v',
  kind: 'album',
  albumId: 'layover',
  trackId: null,
  videoId: null,
  threshold: 500_000_000,
  value: 503_012_345,
  observedAt: '2023-10-11T23:00:00+09:00',
  daysSinceRelease: 33,
  lastTrackId: null,
  record: {
    title: 'fastest K-pop solo album to 500 million Spotify streams',
    holder: 'FACE',
    previousDays: 58,
  },
};

describe('milestone cards on Discord', () => {
  const prefix = uniquePrefix('discord-cards');
  let redis: Redis;
  let emulator: DiscordEmulator;
  let guilds: GuildSettingsStore;

  beforeAll(async () => {
    redis = testRedis();
    emulator = await DiscordEmulator.start();
    guilds = new GuildSettingsStore(redis, stateKeys(prefix));
  });

  afterAll(async () => {
    await emulator.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  const publisherWith = (cards: CardSource, logger = createLogger('silent')) =>
    new DiscordPublisher({
      rest: createDiscordRest({ api: emulator.api, token: emulator.token }),
      guilds,
      render: renderPosts,
      logger,
      cards,
    });

  const publishTo = (publisher: DiscordPublisher, guildId: string, m: Milestone = milestone) =>
    publisher.publish({
      milestone: m,
      tracking,
      destination: `discord:${guildId}`,
      ledgerKey: `${m.id}|discord:${guildId}`,
      attempt: 1,
    });

  it('attaches a 1200×630 PNG card with alt text in the server’s language, once per channel, drawn once per language', async () => {
    const servers = await setUpGuilds(emulator, guilds, 3);
    const korean = servers[2]!;
    await guilds.setup(korean.channel.guildId, {
      channelId: korean.channel.id,
      channelType: 0,
      roleId: korean.roleId,
      language: 'ko',
      crosspost: false,
    });
    let renders = 0;
    const publisher = publisherWith(
      cachedCards((...args) => {
        renders += 1;
        return renderMilestoneCard(...args);
      }),
    );
    for (const server of servers) await publishTo(publisher, server.channel.guildId);
    // A retried delivery (same ledger key, so the same nonce) gets the first message back: still one per channel.
    await publishTo(publisher, servers[0]!.channel.guildId);

    const expected = {
      en: await renderMilestoneCard(milestone, tracking, { language: 'en' }),
      ko: await renderMilestoneCard(milestone, tracking, { language: 'ko' }),
    };
    expect(expected.ko.altText).not.toBe(expected.en.altText);
    for (const [i, server] of servers.entries()) {
      const messages = emulator.messagesIn(server.channel.id);
      expect(messages).toHaveLength(1);
      const [attachment, ...others] = messages[0]!.attachments;
      expect(others).toEqual([]);
      expect(attachment).toMatchObject({ filename: 'card.png', contentType: 'image/png' });
      expect(attachment!.size).toBe(attachment!.data.length);
      expect(pngSize(attachment!.data)).toEqual({ width: 1200, height: 630 });
      expect(distinctColours(await decodePng(attachment!.data))).toBeGreaterThan(50);
      expect(attachment!.description).toBe(i === 2 ? expected.ko.altText : expected.en.altText);
      expect(attachment!.description).toMatch(i === 2 ? /[\uAC00-\uD7A3]/ : /^Card: Layover by V passed/);
      expect(messages[0]!.embeds[0]).toMatchObject({ image: { url: 'attachment://card.png' } });
    }
    expect(renders).toBe(2);
  });

  it('posts without the card, and logs why, when the card cannot be drawn', async () => {
    const [server] = await setUpGuilds(emulator, guilds, 1);
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const publisher = publisherWith(
      cachedCards(() => Promise.reject(new Error('canvas exploded'))),
      logger,
    );
    const receipt = await publishTo(publisher, server!.channel.guildId);
    const message = emulator.messages.get(receipt.platformId)!;
    expect(message.attachments).toEqual([]);
    expect(message.embeds[0]).not.toHaveProperty('image');
    expect(message.content).toContain('500');
    expect(lines.join('')).toContain('canvas exploded');
    expect(lines.join('')).toContain('posting without it');
  });

  it('posts without the card, and keeps the channel, when the bot may not attach files there', async () => {
    const [server] = await setUpGuilds(emulator, guilds, 1);
    emulator.revoke(server!.channel.id, 'AttachFiles');
    const publisher = publisherWith(cachedCards());
    const receipt = await publishTo(publisher, server!.channel.guildId);
    expect(emulator.messages.get(receipt.platformId)?.attachments).toEqual([]);
    expect((await guilds.get(server!.channel.guildId))?.health).toBeNull();
  });
});
