import type { FastifyInstance } from 'fastify';
import {
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  type RoleFlags,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/milestones/types.js';
import { DiscordPublisher } from '../../src/platforms/discord/discord-publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { createLogger } from '../../src/logger.js';
import type { DiscordApp } from '../../src/discord-app.js';
import type { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import { postInteraction, startInteractionsApp, type InteractionsApp } from '../helpers/interactions-app.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const keys = interactionKeyPair();
const manageServer = String(PermissionFlagsBits.ManageGuild);
const botCanPost = String(
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks,
);

const albumMilestone: Milestone = {
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
  record: null,
};

interface Answer {
  readonly type: number;
  readonly data: {
    readonly content: string;
    readonly flags?: number;
    readonly embeds?: { title?: string; description?: string }[];
  };
}

describe('server templates (/layover-mod template)', () => {
  const prefix = uniquePrefix('templates');
  let emulator: DiscordEmulator;
  let discord: DiscordApp;
  let app: FastifyInstance;
  let harness: InteractionsApp;

  beforeAll(async () => {
    // The clock stands an hour after the album milestone was observed: its posts are fresh, and ping.
    harness = await startInteractionsApp({
      prefix,
      publicKeyHex: keys.publicKeyHex,
      tracking,
      now: () => Date.parse('2023-10-12T00:00:00+09:00'),
    });
    ({ emulator, discord, app } = harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  const signed = async (interaction: Record<string, unknown>): Promise<Answer> => {
    const res = await postInteraction(app, emulator, keys.privateKey, interaction);
    expect(res.statusCode).toBe(200);
    return res.json<Answer>();
  };

  /** A guild set up through `/layover-mod setup` with a role to mention. */
  const setUpGuild = async (): Promise<{ guildId: string; channelId: string; roleId: string }> => {
    const guildId = emulator.snowflake();
    const channelId = emulator.addChannel({ guildId }).id;
    const roleId = emulator.snowflake();
    await signed(
      chatInputInteraction({
        command: 'layover-mod',
        subcommand: 'setup',
        guildId,
        permissions: manageServer,
        options: [
          { type: ApplicationCommandOptionType.Channel, name: 'channel', value: channelId },
          { type: ApplicationCommandOptionType.Role, name: 'role', value: roleId },
        ],
        resolved: {
          channels: {
            [channelId]: {
              id: channelId,
              name: 'announcements',
              type: ChannelType.GuildText,
              permissions: '0',
              app_permissions: botCanPost,
            },
          },
          roles: {
            [roleId]: {
              id: roleId,
              name: 'Layover',
              color: 0,
              colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
              hoist: false,
              position: 1,
              permissions: '0',
              managed: false,
              mentionable: true,
              flags: 0 as RoleFlags,
            },
          },
        },
      }),
    );
    expect((await discord.guilds.get(guildId))?.roleId).toBe(roleId);
    return { guildId, channelId, roleId };
  };

  const template = (
    guildId: string,
    subcommand: 'set' | 'preview' | 'reset',
    kind: string,
    text?: string,
    permissions = manageServer,
  ) =>
    signed(
      chatInputInteraction({
        command: 'layover-mod',
        group: 'template',
        subcommand,
        guildId,
        permissions,
        options: [
          { type: ApplicationCommandOptionType.String, name: 'kind', value: kind },
          ...(text === undefined
            ? []
            : [{ type: ApplicationCommandOptionType.String as const, name: 'text', value: text }]),
        ],
      }),
    );

  const publishAlbum = async (guildId: string, attempt: string) => {
    const receipt = await discord.publisher.publish({
      milestone: albumMilestone,
      tracking,
      destination: `discord:${guildId}`,
      ledgerKey: `${albumMilestone.id}|discord:${guildId}|${attempt}`,
      attempt: 1,
    });
    const message = emulator.messages.get(receipt.platformId);
    if (message === undefined) throw new Error('the emulator has no such message');
    return message;
  };

  it('refuses an unknown placeholder, naming it and the known ones, and saves nothing', async () => {
    const { guildId } = await setUpGuild();
    const answer = await template(guildId, 'set', 'album', '{{subject}} hit {{streamz}} streams!');
    expect(answer.data.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(answer.data.content).toContain('The album total template was not saved');
    expect(answer.data.content).toContain('unknown placeholder {{streamz}}');
    expect(answer.data.content).toContain('known placeholders: callName, artist, album');
    expect((await discord.guilds.get(guildId))?.templates).toEqual({});
  });

  it('refuses a text that is too long for Discord with the longest realistic values, saying by how much', async () => {
    const { guildId } = await setUpGuild();
    // 1,800 fixed characters fit Discord's 2,000; with the longest realistic record title and titles they do not.
    const text = `${'Layover forever. '.repeat(110)}{{recordTitle}} {{subject}} {{callName}} {{threshold}}`;
    expect(text.length).toBeLessThan(1968);
    const answer = await template(guildId, 'set', 'album', text);
    expect(answer.data.content).toMatch(
      /too long for Discord: renders to \d+ characters with the longest realistic English values; the limit for a template is 1968/,
    );
    expect((await discord.guilds.get(guildId))?.templates).toEqual({});
  });

  it('refuses @everyone and pointing at the role already mentioned', async () => {
    const { guildId, roleId } = await setUpGuild();
    const everyone = await template(guildId, 'set', 'track', '@everyone {{track}} passed {{threshold}}!');
    expect(everyone.data.content).toContain('mentions are not allowed in a template: it contains @everyone');
    expect(everyone.data.content).toContain(`The configured role <@&${roleId}> is mentioned before every`);
    const otherRole = await template(guildId, 'set', 'track', `<@&123456789012345678> {{track}}!`);
    expect(otherRole.data.content).toContain('a role mention (<@&…>)');
    expect((await discord.guilds.get(guildId))?.templates).toEqual({});
  });

  it('refuses templates that only become mentions or masked links once rendered, and never posts one', async () => {
    const { guildId } = await setUpGuild();
    const bypasses = [
      ['@every{{!x}}one {{subject}} passed {{threshold}}!', '@everyone'],
      ['@{{#record}}{{/record}}here {{subject}}!', '@here'],
      ['<{{!x}}@&123456789012345678> {{subject}}!', 'a role mention (<@&…>)'],
      [
        '{{^preRelease}}@every{{/preRelease}}{{#preRelease}}@every{{/preRelease}}one {{subject}}',
        '@everyone',
      ],
      ['[{{subject}}]({{!x}}https://example.com/phish) passed {{threshold}}', 'masked links'],
    ] as const;
    for (const [text, what] of bypasses) {
      const answer = await template(guildId, 'set', 'album', text);
      expect(answer.data.content, text).toContain('The album total template was not saved');
      expect(answer.data.content, text).toContain(what);
    }
    const masked = await template(guildId, 'set', 'album', '[Vote](https://example.com) {{subject}}');
    expect(masked.data.content).toContain('masked links ([text](url)) are not allowed in a template');
    expect((await discord.guilds.get(guildId))?.templates).toEqual({});

    // A template stored before this check (written straight to the store) is not used for a post.
    await discord.guilds.setTemplate(guildId, 'discord', 'album', bypasses[0][0]);
    const posted = await publishAlbum(guildId, 'stored-bypass');
    expect(posted.content).not.toMatch(/@everyone/i);
    expect(posted.content).toContain('Layover');
  });

  it('pings the role for a fresh milestone only: a catch-up post goes without the mention, silently', async () => {
    const { guildId, roleId } = await setUpGuild();
    const fresh = await publishAlbum(guildId, 'fresh');
    expect(fresh.pingedRoles).toEqual([roleId]);
    expect(fresh.notifies).toBe(true);
    // The same milestone posted 25 hours after it was observed (past ANNOUNCE_PING_MAX_AGE_HOURS=24).
    const late = new DiscordPublisher({
      rest: discord.rest,
      guilds: discord.guilds,
      render: renderPosts,
      logger: createLogger('silent'),
      pingMaxAgeMs: 24 * 3600_000,
      now: () => Date.parse(albumMilestone.observedAt) + 25 * 3600_000,
    });
    const receipt = await late.publish({
      milestone: albumMilestone,
      tracking,
      destination: `discord:${guildId}`,
      ledgerKey: `${albumMilestone.id}|discord:${guildId}|late`,
      attempt: 1,
    });
    const caughtUp = emulator.messages.get(receipt.platformId)!;
    expect(caughtUp.content).not.toContain(`<@&${roleId}>`);
    expect(caughtUp.pingedRoles).toEqual([]);
    expect(caughtUp.flags & MessageFlags.SuppressNotifications).toBe(MessageFlags.SuppressNotifications);
    expect(caughtUp.notifies).toBe(false);
  });

  it('does not let a member without Manage Server set a template', async () => {
    const { guildId } = await setUpGuild();
    const answer = await template(guildId, 'set', 'album', '{{subject}}!', '0');
    expect(answer.data.content).toContain('Manage Server');
    expect((await discord.guilds.get(guildId))?.templates).toEqual({});
  });

  it('uses a saved template in the next real post, previews it, and reset restores the built-in wording', async () => {
    const { guildId, roleId } = await setUpGuild();
    const before = await publishAlbum(guildId, 'before');
    expect(before.content).not.toContain('OUR SERVER SAYS');

    const text = 'OUR SERVER SAYS: {{subject}} passed {{thresholdCaps}} streams {{inDays}}! {{hashtags}}';
    const saved = await template(guildId, 'set', 'album', text);
    expect(saved.data.content).toContain('Saved.');
    expect((await discord.guilds.get(guildId))?.templates).toEqual({ discord: { album: text } });

    const posted = await publishAlbum(guildId, 'after');
    expect(posted.content).toBe(
      `<@&${roleId}> OUR SERVER SAYS: Layover passed 500 MILLION streams in just 33 days! #V #Layover`,
    );
    expect(posted.pingedRoles).toEqual([roleId]);

    const preview = await template(guildId, 'preview', 'album');
    expect(preview.data.content).toContain("with this server's template");
    expect(preview.data.embeds?.[0]?.description).toMatch(/^OUR SERVER SAYS: Layover passed \S+ MILLION/);

    // Other kinds keep the built-in wording.
    const trackPreview = await template(guildId, 'preview', 'track');
    expect(trackPreview.data.content).toContain('the built-in wording');
    expect(trackPreview.data.embeds?.[0]?.description).not.toContain('OUR SERVER SAYS');

    const reset = await template(guildId, 'reset', 'album');
    expect(reset.data.content).toContain('built-in wording again');
    expect((await discord.guilds.get(guildId))?.templates).toEqual({});
    const restored = await publishAlbum(guildId, 'restored');
    expect(restored.content).toBe(before.content);
  });
});
