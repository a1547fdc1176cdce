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
import type { DiscordApp } from '../../src/platforms/discord/discord-app.js';
import type { DiscordEmulator } from '../helpers/discord-emulator.js';
import { chatInputInteraction, interactionKeyPair, signedHeaders } from '../helpers/discord-interactions.js';
import { startInteractionsApp, type InteractionsApp } from '../helpers/interactions-app.js';
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
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    ({ emulator, discord, app } = harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  const signed = async (interaction: unknown): Promise<Answer> => {
    const body = JSON.stringify(interaction);
    const res = await app.inject({
      method: 'POST',
      url: '/interactions',
      payload: body,
      headers: signedHeaders(keys.privateKey, body),
    });
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
