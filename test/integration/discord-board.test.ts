import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type APIEmbed,
} from 'discord-api-types/v10';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import type { SnapshotJobResult } from '../../src/jobs/contracts.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import type { BoardEditOutcome } from '../../src/platforms/discord/board/board-editor.js';
import { boardMessage as boardView } from '../../commands/handlers/board-view.js';
import { startBoards, type Boards } from '../../src/jobs/boards.js';
import { createDiscordApp, type DiscordApp } from '../../src/discord-app.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { BoardStore } from '../../src/state/board.store.js';
import { stateKeys } from '../../src/state/keys.js';
import {
  DiscordEmulator,
  type EmulatedMessage,
  type RecordedRequest,
} from '../../emulators/discord-emulator.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { postInteraction } from '../helpers/interactions-app.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

/** The edit interval under test: a minute in production, short here. */
const INTERVAL_MS = 1200;
const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const manageServer = String(PermissionFlagsBits.ManageGuild);
const botCanPost = String(
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks,
);
const logger = createLogger('silent');

/** Snapshot `n`: every song at 80 million + n million, a day after the previous one. */
function snapshot(n: number) {
  const day = String(1 + n).padStart(2, '0');
  return {
    capturedAt: `2023-10-${day}T23:00:00+09:00`,
    tracks: Object.fromEntries(trackIds.map((id) => [id, 80_000_000 + n * 1_000_000])),
  };
}

/** A message edit in a channel (not an interaction's answer, which is a webhook edit). */
const isBoardEdit = (r: RecordedRequest) => r.method === 'PATCH' && r.path.startsWith('/channels/');
const rainyDays = (n: number) => `**Rainy Days**: ${80 + n},000,000`;
const descriptionOf = (message: EmulatedMessage | undefined) =>
  ((message?.embeds[0] ?? {}) as APIEmbed).description ?? '';

/** One process's pipeline (snapshots worker) and boards (planning and, with an editor, editing). */
interface Process {
  readonly pipeline: Pipeline;
  readonly boards: Boards;
  readonly applied: Set<string>;
  readonly outcomes: BoardEditOutcome[];
  close(): Promise<void>;
}

describe('/layover-mod board: a live status board edited after applied snapshots', () => {
  const prefix = uniquePrefix('board');
  const keys = interactionKeyPair();
  const guildId = '200000000000000311';
  const notices: string[] = [];
  let redis: Redis;
  let emulator: DiscordEmulator;
  let discord: DiscordApp;
  let app: FastifyInstance;
  let current: Process;
  let channelId: string;

  const startProcess = async (): Promise<Process> => {
    const applied = new Set<string>();
    const outcomes: BoardEditOutcome[] = [];
    const boards = await startBoards({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [tracking],
      logger,
      intervalMs: INTERVAL_MS,
      editor: {
        messages: discord.boardMessages!,
        view: boardView,
        notifier: { notify: (text) => Promise.resolve(void notices.push(text)) },
      },
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    const pipeline = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [tracking],
      publishers: [],
      logger,
      runSnapshotWorker: true,
      runPublishWorker: false,
      snapshotConcurrency: 2,
      publishConcurrency: 1,
      stalledSweepMs: 0,
      afterApplied: (result) => boards.afterApplied(result),
      onApplied: (_result: SnapshotJobResult, jobId) => void applied.add(jobId ?? ''),
    });
    return {
      pipeline,
      boards,
      applied,
      outcomes,
      close: async () => {
        await pipeline.close(5000);
        await boards.close();
      },
    };
  };

  /** Enqueues the snapshots as one batch and waits until every job has its result (edits planned). */
  const apply = async (...ns: number[]) => {
    const ids = await enqueueRaw(current.pipeline, ns.map(snapshot));
    await until(`snapshots ${ns.join(', ')} applied`, () => ids.every((id) => current.applied.has(id)));
  };

  /** Until the boards queue holds no job: every planned edit has been made (or found stale). */
  const boardsIdle = () =>
    until('no board job left', async () => {
      const counts = await current.boards.queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });

  const command = async (
    subcommand: 'on' | 'off',
    options: { readonly channel?: string; readonly appPermissions?: string; readonly locale?: string } = {},
  ): Promise<string> => {
    const interaction = chatInputInteraction({
      command: 'layover-mod',
      group: 'board',
      subcommand,
      guildId,
      permissions: manageServer,
      ...(options.channel === undefined
        ? {}
        : {
            options: [
              { type: ApplicationCommandOptionType.Channel, name: 'channel', value: options.channel },
            ],
            resolved: {
              channels: {
                [options.channel]: {
                  id: options.channel,
                  name: 'board',
                  type: ChannelType.GuildText,
                  permissions: '0',
                  app_permissions: options.appPermissions ?? botCanPost,
                },
              },
            },
          }),
    });
    if (options.locale !== undefined) interaction.locale = options.locale;
    await postInteraction(app, emulator, keys.privateKey, interaction);
    const original = await until('an answer', () => {
      const r = emulator.interactions.get(String(interaction.token));
      return r !== undefined && !r.thinking && r.original !== null ? r.original : undefined;
    });
    return typeof original.content === 'string' ? original.content : '';
  };

  const boardMessage = async (): Promise<EmulatedMessage> => {
    const board = await new BoardStore(redis, stateKeys(prefix)).get(guildId);
    const message = board === null ? undefined : emulator.messages.get(board.messageId);
    if (message === undefined) throw new Error('no board message');
    return message;
  };

  beforeAll(async () => {
    redis = testRedis();
    emulator = await DiscordEmulator.start({ messagesPerChannel: 100 });
    channelId = emulator.addChannel({ guildId }).id;
    discord = createDiscordApp({
      token: emulator.token,
      publicKey: keys.publicKeyHex,
      apiUrl: emulator.api,
      redis,
      keys: stateKeys(prefix),
      trackings: [tracking],
      render: renderPosts,
      logger,
      boardEditIntervalMs: INTERVAL_MS,
    });
    app = await createHttpServer({ logger, routes: [discord.interactionsRoute!] });
    current = await startProcess();
    await apply(0);
  });

  afterAll(async () => {
    await current.close();
    await app.close();
    await emulator.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('refuses a channel where the bot cannot embed, and says when there is no board to remove', async () => {
    const noEmbeds = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
    expect(await command('on', { channel: channelId, appPermissions: noEmbeds })).toContain(
      '**Embed Links**',
    );
    expect(emulator.messagesIn(channelId)).toEqual([]);
    expect(await command('off')).toBe('This server has no live board.');
    expect(await command('off', { locale: 'ko' })).toBe('이 서버에는 실시간 현황판이 없습니다.');
  });

  it('posts the board, then gathers snapshots into one edit, no sooner than the interval after the last', async () => {
    const reply = await command('on', { channel: channelId });
    expect(reply).toContain(`The live board of Layover is posted in <#${channelId}>`);
    const [posted, ...others] = emulator.messagesIn(channelId);
    expect(others).toEqual([]);
    expect((posted!.embeds[0] as APIEmbed).title).toBe('📊 Layover · live');
    expect(descriptionOf(posted)).toContain(rainyDays(0));
    expect(posted!.allowedMentions).toEqual({ parse: [] });

    // Three snapshots at once: one edit shows the newest, one interval after the post.
    await apply(1, 2, 3);
    await boardsIdle();
    const message = await boardMessage();
    expect(message.id).toBe(posted!.id);
    expect(message.edits).toHaveLength(1);
    expect(descriptionOf(message)).toContain(rainyDays(3));
    expect(message.edits[0]! - posted!.createdAt).toBeGreaterThanOrEqual(INTERVAL_MS);

    // One more right after the edit: it waits for the interval to pass again.
    await apply(4);
    await until('the second edit', () => message.edits.length === 2);
    expect(descriptionOf(message)).toContain(rainyDays(4));
    expect(message.edits[1]! - message.edits[0]!).toBeGreaterThanOrEqual(INTERVAL_MS);
    const patches = emulator.requests.filter((r) => r.method === 'PATCH' && r.path.includes(message.id));
    expect(patches.map((r) => r.status)).toEqual([200, 200]);
  });

  it('makes an edit planned before a restart once the pipeline runs again', async () => {
    const message = await boardMessage();
    const editsBefore = message.edits.length;
    // This process stops editing (as if it were going down) but still applies a snapshot and plans the edit.
    await current.boards.workers[0]!.close();
    await apply(5);
    expect(await current.boards.queue.count()).toBe(1);
    await current.close();
    expect(message.edits).toHaveLength(editsBefore);

    current = await startProcess();
    await until('the edit after the restart', () => message.edits.length === editsBefore + 1);
    expect(descriptionOf(message)).toContain(rainyDays(5));
    // The editor reports its outcome once Discord has answered the edit, a moment after the emulator saw it.
    await until('the edit reported by the new process', () => current.outcomes.includes('edited'));
  });

  it('deletes the message on `board off` and makes no edit after it', async () => {
    const message = await boardMessage();
    await apply(6);
    const reply = await command('off');
    expect(reply).toBe(`The live board in <#${channelId}> is deleted; it is no longer updated.`);
    expect(emulator.messages.has(message.id)).toBe(false);
    const deletedAt = emulator.requests.find(
      (r) => r.method === 'DELETE' && r.path === `/channels/${channelId}/messages/${message.id}`,
    )!.at;
    await boardsIdle();
    await apply(7);
    await boardsIdle();
    const later = emulator.requests.filter((r) => isBoardEdit(r) && r.at >= deletedAt);
    expect(later).toEqual([]);
    expect(await new BoardStore(redis, stateKeys(prefix)).get(guildId)).toBeNull();
    expect(notices).toEqual([]);
  });

  it('drops a board whose message was deleted by hand, telling the moderators once', async () => {
    await command('on', { channel: channelId });
    const message = await boardMessage();
    emulator.deleteMessage(message.id);
    await apply(8);
    await until('the board dropped', () => current.outcomes.includes('dropped'));
    expect(await new BoardStore(redis, stateKeys(prefix)).get(guildId)).toBeNull();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('the message was deleted');
    expect(notices[0]).toContain('/layover-mod board on');

    const edits = emulator.requests.filter(isBoardEdit).length;
    await apply(9);
    await boardsIdle();
    expect(emulator.requests.filter(isBoardEdit).length).toBe(edits);
    expect(notices).toHaveLength(1);
  });
});
