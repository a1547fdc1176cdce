import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIInteraction,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { DiscordApp } from '../../src/discord-app.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { enterAndDrain, entryFor } from '../helpers/store-drain.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { MilestoneStore } from '../../src/state/milestone.store.js';
import { layoverHandlers } from '../../commands/handlers/layover.handlers.js';
import { layoverCommand } from '../../commands/layover.command.js';
import type { LayoverServices } from '../../commands/services.js';
import { commandModule } from '../../src/platforms/discord/interactions/command-types.js';
import { createDispatcher } from '../../src/platforms/discord/interactions/dispatch-interaction.js';
import { restResponder } from '../../src/platforms/discord/interactions/responders.js';
import type { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { decodePng, distinctColours, pngSize } from '../helpers/png.js';
import {
  chatInputInteraction,
  interactionKeyPair,
  signedHeaders,
} from '../../emulators/discord-interactions.js';
import { postInteraction, startInteractionsApp, type InteractionsApp } from '../helpers/interactions-app.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverWithVideosTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

const tracking = layoverWithVideosTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const keys = interactionKeyPair();
const manageServer = String(PermissionFlagsBits.ManageGuild);
const botCanPost = String(
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks,
);

describe('POST /interactions', () => {
  const prefix = uniquePrefix('interactions');
  let redis: Redis;
  let emulator: DiscordEmulator;
  let discord: DiscordApp;
  let app: FastifyInstance;
  let harness: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    ({ redis, emulator, discord, app } = harness);
    // Two days of data: a baseline, then a day's gain, so status has counts, pace and ETAs.
    const store = new ArtistStateStore(redis, stateKeys(prefix));
    for (const [capturedAt, counts] of [
      ['2023-10-10T23:00:00+09:00', 80e6],
      ['2023-10-11T23:00:00+09:00', 81e6],
    ] as const) {
      const n = normalizeSnapshot(
        {
          capturedAt,
          tracks: Object.fromEntries(trackIds.map((id, i) => [id, counts + i * 1e6])),
          views: { 'slow-dancing-mv': counts + 20e6 },
        },
        new Map([[tracking.artist.id, tracking]]),
      );
      if (!n.ok) throw new Error('bad snapshot');
      await enterAndDrain(store, tracking, entryFor(n.snapshot, capturedAt));
    }
    // The album's 500M, announced by the second snapshot: a marker on the status chart.
    await new MilestoneStore(redis, stateKeys(prefix)).record([
      {
        milestone: {
          id: 'v/album:layover/500000000',
          artistId: 'v',
          kind: 'album',
          albumId: 'layover',
          trackId: null,
          videoId: null,
          threshold: 500_000_000,
          value: 501_000_000,
          observedAt: '2023-10-11T23:00:00+09:00',
          daysSinceRelease: 33,
          lastTrackId: null,
          record: null,
        },
        destinations: [],
        observedAtMs: Date.parse('2023-10-11T23:00:00+09:00'),
      },
    ]);
  });

  afterAll(async () => {
    await harness.close();
  });

  const post = (body: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/interactions', payload: body, headers });

  const signed = (interaction: Record<string, unknown>) =>
    postInteraction(app, emulator, keys.privateKey, interaction);

  it('answers a correctly signed PING with PONG', async () => {
    const res = await signed({ id: '1', application_id: '2', type: 1, token: 't', version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ type: InteractionResponseType.Pong });
  });

  /** The webhook edit that finished a deferred interaction (polls the emulator). */
  const editFor = (token: string) =>
    until(`the edit for ${token}`, () =>
      emulator.interactionReplies.find((r) => r.method === 'PATCH' && r.path.includes(token)),
    );

  interface StatusEdit {
    content?: string;
    embeds: { title: string; description: string; footer: { text: string }; image?: { url: string } }[];
    attachments: { id: number; filename: string; description: string }[];
  }

  it('answers a signed /layover status with the album total, each song’s progress, the data time and a chart with alt text', async () => {
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'status' });
    const res = await signed(interaction);
    expect(res.statusCode).toBe(200);
    // The chart is an upload, which goes through the webhook edit of a deferred (public) answer.
    expect(res.json()).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });
    const edit = await editFor(String(interaction.token));
    const body = edit.body as StatusEdit;
    const [embed] = body.embeds;
    // 81M + 82M + … + 86M = 501M.
    expect(embed?.title).toBe('Layover: 501,000,000 streams');
    expect(embed?.description).toContain(
      '**Blue**: 82,000,000 · ▰▰▱▱▱▱▱▱▱▱ 20% · +1,000,000/day · next 90,000,000',
    );
    // The album's videos have their own section.
    expect(embed?.description).toContain(
      '**YouTube views**\n**Slow Dancing MV**: 101,000,000 views · ▱▱▱▱▱▱▱▱▱▱ 2% · +1,000,000/day · next 150,000,000',
    );
    expect(embed?.footer.text).toContain('Data as of 2023-10-11T23:00:00+09:00');
    expect(embed?.image).toEqual({ url: 'attachment://status.png' });
    const [file, ...more] = edit.files;
    expect(more).toEqual([]);
    expect(file).toMatchObject({ field: 'files[0]', filename: 'status.png', contentType: 'image/png' });
    expect(pngSize(file!.data)).toEqual({ width: 1200, height: 630 });
    expect(distinctColours(await decodePng(file!.data))).toBeGreaterThan(20);
    // The alt text comes from the two stored history points: 80M+…+85M = 495M, then 501M.
    expect(body.attachments).toEqual([
      { id: 0, filename: 'status.png', description: expect.any(String) as string },
    ]);
    const alt = body.attachments[0]!.description;
    expect(alt).toMatch(
      /^Chart: cumulative Spotify streams of Layover and its \d+ tracks, Oct 10, 2023 to Oct 11, 2023\./,
    );
    expect(alt).toContain('Layover: 501 million');
    expect(alt).toContain('Milestones marked: 500 million (Layover, Oct 11, 2023)');
  });

  it('refuses a forged signature, a tampered body, an old timestamp and missing headers with 401', async () => {
    const interaction = JSON.stringify({ id: '1', application_id: '2', type: 1, token: 't', version: 1 });
    const stranger = interactionKeyPair();
    expect((await post(interaction, signedHeaders(stranger.privateKey, interaction))).statusCode).toBe(401);
    const headers = signedHeaders(keys.privateKey, interaction);
    expect((await post(interaction.replace('"t"', '"u"'), headers)).statusCode).toBe(401);
    const old = signedHeaders(keys.privateKey, interaction, Math.floor(Date.now() / 1000) - 600);
    expect((await post(interaction, old)).statusCode).toBe(401);
    expect((await post(interaction, { 'content-type': 'application/json' })).statusCode).toBe(401);
    // The same body and key with a fresh timestamp passes: the refusals above are about the signature alone.
    expect((await post(interaction, signedHeaders(keys.privateKey, interaction))).statusCode).toBe(200);
  });

  const setup = (permissions: string, appPermissions: string, guildId: string) => {
    const channelId = emulator.addChannel({ guildId }).id;
    return chatInputInteraction({
      command: 'layover-mod',
      subcommand: 'setup',
      guildId,
      permissions,
      options: [{ type: ApplicationCommandOptionType.Channel, name: 'channel', value: channelId }],
      resolved: {
        channels: {
          [channelId]: {
            id: channelId,
            name: 'announcements',
            type: ChannelType.GuildText,
            permissions: '0',
            app_permissions: appPermissions,
          },
        },
      },
    });
  };

  it('does not let a member without Manage Server change settings', async () => {
    const guildId = emulator.snowflake();
    const res = await signed(setup('0', botCanPost, guildId));
    const body = res.json<{ data: { content: string; flags: number } }>();
    expect(body.data.content).toContain('Manage Server');
    expect(body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(await discord.guilds.get(guildId)).toBeNull();
    const pause = chatInputInteraction({
      command: 'layover-mod',
      subcommand: 'pause',
      guildId,
      permissions: '0',
    });
    expect((await signed(pause)).json<{ data: { content: string } }>().data.content).toContain(
      'Manage Server',
    );
    // The same refusal in Korean for a Korean client (every other answer: discord-locale.test.ts).
    const inKorean = await signed({
      ...pause,
      token: `${String(pause.token)}-ko`,
      id: `${String(pause.id)}9`,
      locale: 'ko',
    });
    expect(inKorean.json<{ data: { content: string } }>().data.content).toBe(
      'Layover 설정을 바꾸려면 **서버 관리하기(Manage Server)** 권한이 필요합니다.',
    );
  });

  it('names the permission the bot lacks in the chosen channel, and sets up when it has them all', async () => {
    const guildId = emulator.snowflake();
    const noEmbeds = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
    const refused = await signed(setup(manageServer, noEmbeds, guildId));
    expect(refused.json<{ data: { content: string } }>().data.content).toContain('**Embed Links**');
    expect(await discord.guilds.get(guildId)).toBeNull();

    const accepted = await signed(setup(manageServer, botCanPost, guildId));
    expect(accepted.json<{ data: { content: string } }>().data.content).toContain('set up');
    expect(await discord.guilds.get(guildId)).toMatchObject({ guildId, paused: false, roleId: null });
  });

  it('answers a deferred command’s failure by editing the deferred reply', async () => {
    const guildId = emulator.snowflake();
    await signed(setup(manageServer, botCanPost, guildId));
    const settings = (await discord.guilds.get(guildId))!;
    emulator.deleteChannel(settings.channelId);
    const interaction = chatInputInteraction({
      command: 'layover-mod',
      subcommand: 'test',
      guildId,
      permissions: manageServer,
    });
    const res = await signed(interaction);
    expect(res.json()).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    const edit = await editFor(String(interaction.token));
    expect(edit.method).toBe('PATCH');
    expect(edit?.path).toMatch(/\/messages\/@original$/);
    expect((edit?.body as { content: string }).content).toContain('Unknown Channel');
    expect((await discord.guilds.get(guildId))?.health?.problem).toBe('gone');
  });

  it('defers on the handler’s behalf before Discord’s deadline, answering gateway interactions through the callback endpoint', async () => {
    const slow = commandModule<typeof layoverCommand, LayoverServices>(layoverCommand, {
      ...layoverHandlers,
      // Slower than the 50 ms deadline below: it answers only once the dispatcher has deferred on its behalf.
      status: async ({ reply, interaction: asked }) => {
        await until('the automatic deferral', () =>
          emulator.interactionReplies.some((r) => r.method === 'POST' && r.path.includes(asked.token)),
        );
        await reply({ content: 'late answer' });
      },
    });
    const dispatch = createDispatcher({
      modules: [slow],
      services: null as unknown as LayoverServices, // the slow handler reads none
      logger: createLogger('silent'),
      autoDeferMs: 50,
    });
    const interaction = chatInputInteraction({
      command: 'layover',
      subcommand: 'status',
    }) as unknown as APIInteraction;
    emulator.interactions.register(interaction);
    await dispatch(interaction, restResponder(discord.interactionRest, interaction));
    const mine = emulator.interactionReplies.filter((r) => r.path.includes(interaction.token));
    expect(mine.map((r) => [r.method, r.path.replace(/\d+/g, 'N')])).toEqual([
      ['POST', `/interactions/N/${interaction.token.replace(/\d+/g, 'N')}/callback`],
      ['PATCH', `/webhooks/N/${interaction.token.replace(/\d+/g, 'N')}/messages/@original`],
    ]);
    expect(mine[0]!.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: {},
    });
    expect(mine[1]!.body).toMatchObject({ content: 'late answer' });
  });

  it('tells a moderator in /layover status when announcements stopped reaching the channel', async () => {
    const guildId = emulator.snowflake();
    await signed(setup(manageServer, botCanPost, guildId));
    const settings = (await discord.guilds.get(guildId))!;
    await discord.guilds.markChannelUnhealthy(
      guildId,
      settings.channelId,
      'missing-permission',
      'Missing Permissions (50013)',
    );
    const asModerator = chatInputInteraction({
      command: 'layover',
      subcommand: 'status',
      guildId,
      permissions: manageServer,
    });
    await signed(asModerator);
    expect((await editFor(String(asModerator.token))).body).toMatchObject({
      content: expect.stringContaining('Missing Permissions (50013)') as string,
    });
    const asFan = chatInputInteraction({ command: 'layover', subcommand: 'status', guildId });
    await signed(asFan);
    expect((await editFor(String(asFan.token))).body).not.toHaveProperty('content');
  });

  it('explains in /layover why the last decision, a paused server and a kind turned off, privately', async () => {
    const guildId = emulator.snowflake();
    await signed(setup(manageServer, botCanPost, guildId));
    const mod = (subcommand: string, options: APIApplicationCommandInteractionDataBasicOption[] = []) =>
      signed(
        chatInputInteraction({
          command: 'layover-mod',
          subcommand,
          guildId,
          permissions: manageServer,
          options,
        }),
      );
    await mod('pause');
    await mod('kinds', [{ type: ApplicationCommandOptionType.Boolean, name: 'track', value: false }]);
    expect((await discord.guilds.get(guildId))?.kinds).toEqual([
      'album',
      'allTracks',
      'artist',
      'followers',
      'views',
    ]);
    const why = await signed(
      chatInputInteraction({
        command: 'layover',
        subcommand: 'why',
        guildId,
        options: [
          { type: ApplicationCommandOptionType.String, name: 'album', value: 'Layover' },
          { type: ApplicationCommandOptionType.String, name: 'track', value: 'blue' },
        ],
      }),
    );
    const { content, flags } = why.json<{ data: { content: string; flags: number } }>().data;
    expect(flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(content).toContain(
      'Below the next milestone: Blue is at 82,000,000; 80,000,000 was already reached, next is 90,000,000.',
    );
    expect(content).toContain('This server has paused announcements');
    expect(content).toContain('This server has track milestones turned off');
  });
});
