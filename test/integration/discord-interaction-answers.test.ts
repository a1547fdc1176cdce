import type { APIInteraction } from 'discord-api-types/v10';
import {
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoverHandlers } from '../../commands/handlers/layover.handlers.js';
import { layoverCommand } from '../../commands/layover.command.js';
import type { LayoverServices } from '../../commands/services.js';
import { createLogger } from '../../src/logger.js';
import { commandModule } from '../../src/platforms/discord/interactions/command-types.js';
import { createDispatcher } from '../../src/platforms/discord/interactions/dispatch-interaction.js';
import { restResponder } from '../../src/platforms/discord/interactions/responders.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import {
  postInteraction,
  seedSnapshots,
  startInteractionsApp,
  waitFor,
  type InteractionsApp,
} from '../helpers/interactions-app.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const keys = interactionKeyPair();
const FALLBACK = 'Sorry, Discord refused my answer. The error was logged.';

describe('every interaction gets an answer, even when Discord refuses the first one', () => {
  const prefix = uniquePrefix('answers');
  let harness: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    await seedSnapshots(harness.redis, prefix, tracking, [
      {
        capturedAt: '2023-10-10T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id, i) => [id, 80e6 + i * 1e6])),
      },
      {
        capturedAt: '2023-10-11T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id, i) => [id, 81e6 + i * 1e6])),
      },
    ]);
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Discord's record of the interaction once it no longer shows "thinking…" and has an answer. */
  const answered = (token: string) =>
    waitFor(() => {
      const record = harness.emulator.interactions.get(token);
      return record !== undefined && !record.thinking && record.original !== null ? record : undefined;
    }, `an answer to ${token}`);

  it('falls back to a short text edit when the edit of a deferred /layover status is refused', async () => {
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'status' });
    const token = String(interaction.token);
    harness.emulator.interactions.failNextEdit(token, {
      status: 400,
      code: 50035,
      message: 'Invalid Form Body',
    });
    const res = await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
    expect(res.json()).toMatchObject({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    const record = await answered(token);
    expect(record.refusals.map((r) => [r.what, r.status])).toEqual([['edit', 400]]);
    expect(record.original).toMatchObject({ content: FALLBACK, embeds: [], attachments: [] });
    expect(record.followUps).toEqual([]);
  });

  it('sends a follow-up, which replaces "thinking…", when every edit is refused', async () => {
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'status' });
    const token = String(interaction.token);
    harness.emulator.interactions.failNextEdit(token, {
      status: 400,
      code: 50035,
      message: 'Invalid Form Body',
    });
    harness.emulator.interactions.failNextEdit(token, {
      status: 404,
      code: 10008,
      message: 'Unknown Message',
    });
    await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
    const record = await answered(token);
    expect(record.refusals.map((r) => [r.what, r.status])).toEqual([
      ['edit', 400],
      ['edit', 404],
    ]);
    expect(record.followUps).toEqual([expect.objectContaining({ content: FALLBACK })]);
    expect(record.original).toMatchObject({ content: FALLBACK });
  });

  it('answers with a short text when Discord refuses a first response, and tells the user about a later error', async () => {
    // Over the gateway the first response is a callback Discord may refuse (here: a row of six buttons, one
    // more than Discord allows; texts are cut to the limits before sending, so they cannot provoke it).
    const overfullRow = [
      {
        type: ComponentType.ActionRow as const,
        components: Array.from({ length: 6 }, (_, i) => ({
          type: ComponentType.Button as const,
          style: ButtonStyle.Secondary as const,
          custom_id: `b${i}`,
          label: String(i),
        })),
      },
    ];
    const module = commandModule<typeof layoverCommand, LayoverServices>(layoverCommand, {
      ...layoverHandlers,
      milestones: async ({ reply }) => {
        await reply({ content: 'six buttons in a row', components: overfullRow });
      },
      next: async ({ defer, reply }) => {
        await defer({ ephemeral: false });
        await reply({ content: 'six buttons in a row', components: overfullRow });
        throw new Error('a step after the reply failed');
      },
    });
    const dispatch = createDispatcher({
      modules: [module],
      services: null as unknown as LayoverServices, // these handlers read none
      logger: createLogger('silent'),
    });
    const run = async (subcommand: string) => {
      const interaction = chatInputInteraction({
        command: 'layover',
        subcommand,
        permissions: String(PermissionFlagsBits.ManageGuild),
      }) as unknown as APIInteraction;
      harness.emulator.interactions.register(interaction);
      await dispatch(interaction, restResponder(harness.discord.interactionRest, interaction));
      return harness.emulator.interactions.get(interaction.token)!;
    };

    const refusedFirst = await run('milestones');
    expect(refusedFirst.refusals.map((r) => [r.what, r.status])).toEqual([['callback', 400]]);
    expect(refusedFirst.responseType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(refusedFirst.original).toMatchObject({ content: FALLBACK });

    const refusedEdit = await run('next');
    expect(refusedEdit.refusals.map((r) => [r.what, r.status])).toEqual([['edit', 400]]);
    expect(refusedEdit.thinking).toBe(false);
    expect(refusedEdit.original).toMatchObject({ content: FALLBACK });
  });

  const contentOf = async (interaction: Record<string, unknown>) => {
    const res = await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
    return res.json<{ data: { content: string } }>().data.content;
  };

  it('reads permissions as decimal digits only: "-1", "0x20", " 32 " and "3.2e1" are not Manage Server', async () => {
    const guildId = harness.emulator.snowflake();
    for (const permissions of ['-1', '0x20', ' 32 ', '3.2e1', '32n', '']) {
      const content = await contentOf(
        chatInputInteraction({ command: 'layover-mod', subcommand: 'pause', guildId, permissions }),
      );
      expect(content, permissions).toContain('You need the **Manage Server** permission');
    }
    // The same request with the decimal bitfield passes the permission check (and asks for setup).
    const content = await contentOf(
      chatInputInteraction({ command: 'layover-mod', subcommand: 'pause', guildId, permissions: '32' }),
    );
    expect(content).toContain('Run `/layover-mod setup` first.');
  });

  it('looks subcommands up among the handlers’ own names only', async () => {
    for (const subcommand of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const content = await contentOf(chatInputInteraction({ command: 'layover', subcommand }));
      expect(content, subcommand).toBe(
        'This command is not known to this version of the bot. Try again in a minute.',
      );
    }
  });
});

describe('POST /interactions without a bot token', () => {
  const prefix = uniquePrefix('answers-tokenless');
  let harness: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({
      prefix,
      publicKeyHex: keys.publicKeyHex,
      tracking,
      withoutBotToken: true,
    });
    await seedSnapshots(harness.redis, prefix, tracking, [
      {
        capturedAt: '2023-10-11T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id) => [id, 81e6])),
      },
    ]);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('answers commands through the interaction token alone, and says why it cannot post a sample', async () => {
    expect(harness.discord.interactionsRoute).not.toBeNull();
    expect(harness.discord.canPost).toBe(false);
    const status = chatInputInteraction({ command: 'layover', subcommand: 'status' });
    await postInteraction(harness.app, harness.emulator, keys.privateKey, status);
    const record = await waitFor(() => {
      const r = harness.emulator.interactions.get(String(status.token));
      return r !== undefined && !r.thinking && r.original !== null ? r : undefined;
    }, 'the status answer');
    expect(record.refusals).toEqual([]);
    expect((record.original as { embeds: { title: string }[] }).embeds[0]?.title).toMatch(/^Layover: /);
    // Every request reached Discord without a bot token, and none was refused.
    expect(harness.emulator.requests.length).toBeGreaterThan(0);
    expect(harness.emulator.requests.every((r) => r.authorization === undefined && r.status === 200)).toBe(
      true,
    );

    const guildId = harness.emulator.snowflake();
    await harness.discord.guilds.setup(guildId, {
      channelId: harness.emulator.addChannel({ guildId }).id,
      channelType: 0,
      roleId: null,
      language: 'en',
      crosspost: false,
    });
    const res = await postInteraction(
      harness.app,
      harness.emulator,
      keys.privateKey,
      chatInputInteraction({
        command: 'layover-mod',
        subcommand: 'test',
        guildId,
        permissions: String(PermissionFlagsBits.ManageGuild),
      }),
    );
    expect(res.json<{ data: { content: string } }>().data.content).toContain(
      'without a bot token (DISCORD_TOKEN is not set), so it cannot post',
    );
  });
});
