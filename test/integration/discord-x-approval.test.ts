import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import {
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type APIInteraction,
} from 'discord-api-types/v10';
import twitterText from 'twitter-text';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interactionsRoute } from '../../src/http/interactions.route.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createDiscordApp, type DiscordApp } from '../../src/discord-app.js';
import { startGateway, type Gateway } from '../../src/platforms/discord/gateway.js';
import type { ApprovalGate } from '../../src/platforms/approval-gate.js';
import { approvalComponentHandler } from '../../src/platforms/discord/approval/approval-interactions.js';
import { ApprovalStore } from '../../src/platforms/discord/approval/approval-store.js';
import {
  createDispatcher,
  type DispatchInteraction,
} from '../../src/platforms/discord/interactions/dispatch-interaction.js';
import { restResponder } from '../../src/platforms/discord/interactions/responders.js';
import type { Publisher } from '../../src/platforms/publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { stateKeys } from '../../src/state/keys.js';
import { buttonInteraction, modalSubmitInteraction } from '../helpers/discord-component-interactions.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { DiscordGatewayEmulator } from '../../emulators/discord-gateway-emulator.js';
import { interactionKeyPair } from '../../emulators/discord-interactions.js';
import { postInteraction } from '../helpers/interactions-app.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';
import { baselineSnapshot, XHarness } from '../helpers/x-harness.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { day2, day3, everyTrackAt, twoDays } from '../helpers/x-two-days.js';

const keys = interactionKeyPair();
const manageServer = String(PermissionFlagsBits.ManageGuild);
const guildId = '200000000000000077';
const HOUR = 3_600_000;
const COMBINE_MS = 300;

interface Draft {
  readonly messageId: string;
  readonly content: string;
  readonly customIds: readonly string[];
}

describe('X approval in the moderators’ Discord channel (X_APPROVAL=discord)', () => {
  const prefix = uniquePrefix('x-approval-discord');
  let redis: Redis;
  let emulator: DiscordEmulator;
  let discord: DiscordApp;
  let app: FastifyInstance;
  let modChannel: string;
  let harness: XHarness | undefined;
  let gatewayServer: DiscordGatewayEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    redis = testRedis();
    emulator = await DiscordEmulator.start({ messagesPerChannel: 100 });
    modChannel = emulator.addChannel({ guildId }).id;
    discord = createDiscordApp({
      token: emulator.token,
      publicKey: keys.publicKeyHex,
      apiUrl: emulator.api,
      redis,
      keys: stateKeys(prefix),
      trackings: [layoverTracking()],
      render: renderPosts,
      logger: createLogger('silent'),
      modChannelId: modChannel,
    });
    app = await createHttpServer({ logger: createLogger('silent'), routes: [discord.interactionsRoute!] });
    gatewayServer = await DiscordGatewayEmulator.start({
      interactions: emulator.interactions,
      botUserId: emulator.botUserId,
      applicationId: '400000000000000001',
    });
    emulator.gatewayUrl = gatewayServer.url;
    gateway = await startGateway({
      token: emulator.token,
      apiUrl: emulator.api,
      dispatch: discord.dispatch,
      rest: discord.interactionRest,
      guilds: discord.guilds,
      logger: createLogger('silent'),
    });
    await gatewayServer.ready;
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  afterAll(async () => {
    await gateway.close();
    await gatewayServer.close();
    await app.close();
    await emulator.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  /** Through POST /interactions (of the app, unless `server` is given), signed as Discord signs. */
  const viaHttp = async (interaction: Record<string, unknown>, server: FastifyInstance = app) => {
    const res = await postInteraction(server, emulator, keys.privateKey, interaction);
    expect(res.statusCode).toBe(200);
    return res.json<{ type: number; data: Record<string, unknown> }>();
  };

  /** Over the gateway (role `bot`): INTERACTION_CREATE, answered on the interaction callback endpoint. */
  const viaGateway = async (interaction: Record<string, unknown>) => {
    gatewayServer.dispatch('INTERACTION_CREATE', interaction);
    const token = String(interaction.token);
    for (let waited = 0; waited < 5000; waited += 20) {
      const reply = emulator.interactionReplies.find((r) => r.path.endsWith(`/${token}/callback`));
      if (reply !== undefined) return reply.body as { type: number; data: Record<string, unknown> };
      await sleep(20);
    }
    throw new Error('no answer over the gateway');
  };

  /** The drafts posted to the moderators' channel so far, as first posted, with their buttons' custom ids. */
  const drafts = (): Draft[] => {
    // One entry per message that exists in the channel, found by the draft's nonce (the message may have been
    // edited since, by a click or by the bot): a request replayed with the same nonce (a retry under load) returns
    // the existing message and is not a second draft.
    const byMessage = new Map<string, Draft>();
    for (const r of emulator.requests) {
      if (r.method !== 'POST' || r.path !== `/channels/${modChannel}/messages` || r.status !== 200) continue;
      const b = r.body as {
        content: string;
        nonce?: string;
        components?: { components: { custom_id: string }[] }[];
      };
      if (b.components === undefined) continue;
      const message = emulator.messagesIn(modChannel).find((m) => m.nonce === b.nonce);
      const messageId = message?.id ?? '';
      if (byMessage.has(messageId)) continue;
      byMessage.set(messageId, {
        messageId,
        content: b.content,
        customIds: b.components.flatMap((row) => row.components.map((c) => c.custom_id)),
      });
    }
    return [...byMessage.values()];
  };

  /** Drafts posted since `seen` was taken, as first posted. */
  const freshDrafts = (seen: ReadonlySet<string>) =>
    drafts().filter((d) => d.messageId !== '' && !seen.has(d.messageId));
  /** The message as it now stands in the moderators' channel. */
  const messageNow = (messageId: string) => emulator.messagesIn(modChannel).find((m) => m.id === messageId);
  /** Waits until the message stands under `header` (its first line), and returns it. */
  const settledAs = (draft: Draft, header: string) =>
    until(`the draft ${draft.messageId} under “${header}”`, () => {
      const message = messageNow(draft.messageId);
      return message?.content.split('\n')[0] === header ? message : undefined;
    });
  /** The bot's own edits (PATCH) of a message; a click's update is an interaction response, not one of them. */
  const editsOf = (draft: Draft) =>
    emulator.requests.filter(
      (r) => r.method === 'PATCH' && r.path === `/channels/${modChannel}/messages/${draft.messageId}`,
    );
  const quotedLines = (content: string) => content.split('\n').filter((l) => l.startsWith('> '));
  const milestonesOf = (content: string) => {
    const line = content.split('\n').find((l) => l.startsWith('Milestones: ')) ?? '';
    return [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
  };

  const click = (draft: Draft, action: 'approve' | 'edit' | 'skip', permissions = manageServer) =>
    buttonInteraction({
      customId: draft.customIds.find((id) => id.startsWith(`xapproval:${action}:`)) ?? '',
      permissions,
      channelId: modChannel,
      guildId,
      messageId: draft.messageId,
    });

  it('drafts each X post once; approve, edit and skip decide what X gets, and only moderators decide', async () => {
    const gate = discord.moderators!.approval;
    // Counts how often X asks about each draft, so the test can wait for reviews instead of for time.
    const reviews = new Map<string, number>();
    const counted: ApprovalGate = {
      review: (draft) => {
        reviews.set(draft.key, (reviews.get(draft.key) ?? 0) + 1);
        return gate.review(draft);
      },
      notPosted: (key, why) => gate.notPosted(key, why),
    };
    const reviewedAgain = async (times: number) => {
      const from = new Map(reviews);
      await until(`every draft reviewed ${times} more times`, () =>
        [...reviews].every(([key, n]) => n >= (from.get(key) ?? 0) + times),
      );
    };
    harness = await XHarness.start({ combineWindowMs: 1000, approval: counted });
    const h = harness;
    const milestones = await h.announce();
    await until('three drafts in the moderators’ channel', () => drafts().length >= 3 && reviews.size >= 3);
    // Several reviews of each draft (a recheck every 200 ms): still one message per draft, nothing posted.
    await reviewedAgain(2);
    expect(h.emulator.posts).toHaveLength(0);
    const first = drafts();
    expect(first).toHaveLength(3);
    for (const d of first) {
      expect(d.customIds.map((id) => id.split(':')[1])).toEqual(['approve', 'edit', 'skip']);
      expect(d.content).toMatch(/^\*\*X post waiting for approval\*\*\n> /);
    }
    expect(emulator.messagesIn(modChannel).every((m) => m.pingsEveryone === false)).toBe(true);
    const album = first.find((d) => d.content.includes('`v/album:'))!;
    const artist = first.find((d) => d.content.includes('/artist/'))!;
    const followers = first.find((d) => d.content.includes('/followers/'))!;
    expect([album, artist, followers].every((d) => d !== undefined)).toBe(true);

    // A member without Manage Server is refused, privately, and decides nothing.
    const refused = await viaHttp(click(artist, 'approve', String(PermissionFlagsBits.SendMessages)));
    expect(refused.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(refused.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(refused.data.content).toMatch(/Only members with Manage Server/);
    await reviewedAgain(2);
    expect(h.emulator.posts).toHaveLength(0);

    // A click from another guild (with Manage Server there), or from another channel of the moderators' guild,
    // decides nothing: decisions count only in the moderators' channel.
    const elsewhere = emulator.addChannel({ guildId }).id;
    for (const [otherGuild, otherChannel] of [
      ['200000000000000099', modChannel],
      [guildId, elsewhere],
    ] as const) {
      const stray = await viaHttp({
        ...click(artist, 'skip'),
        guild_id: otherGuild,
        channel_id: otherChannel,
        channel: { id: otherChannel, type: 0 },
      });
      expect(stray.data.content).toMatch(/decided in the moderators’ channel only/);
    }
    // (The artist draft is approved below: a stray skip above would have made that "Already decided".)

    // Edit: a modal holding the draft's text; its submission approves the edited text.
    const modal = await viaHttp(click(album, 'edit'));
    expect(modal.type).toBe(InteractionResponseType.Modal);
    const quotedText = album.content
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .map((l) => l.slice(2))
      .join('\n');
    expect(quotedText).toMatch(/Layover just crossed 100 million/);
    const modalField = (modal.data.components as { component: { custom_id: string; value: string } }[])[0]
      ?.component;
    expect(modalField).toMatchObject({ custom_id: 'text', value: quotedText });
    const modalId = String(modal.data.custom_id);
    const edited = '레이오버 Layover passed 100 million streams on Spotify 💜 (edited by a moderator) #V';
    const submitted = await viaHttp(
      modalSubmitInteraction({
        customId: modalId,
        fieldId: 'text',
        value: edited,
        permissions: manageServer,
        channelId: modChannel,
        guildId,
        messageId: album.messageId,
      }),
    );
    expect(submitted.type).toBe(InteractionResponseType.UpdateMessage);
    expect(submitted.data.content).toContain(`> ${edited}`);
    expect(submitted.data.components).toEqual([]);

    // Skip through the gateway path, approve through HTTP; a second click is told it is already decided.
    const skipped = await viaGateway(click(followers, 'skip'));
    expect(skipped.type).toBe(InteractionResponseType.UpdateMessage);
    expect(skipped.data.content).toMatch(/Skipped by mod/);
    expect((await viaHttp(click(artist, 'approve'))).type).toBe(InteractionResponseType.UpdateMessage);
    const again = await viaGateway(click(artist, 'skip'));
    expect(again.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(again.data.content).toMatch(/^Already decided: Approved by mod/);

    // The album's thread: approve each further part as it comes up.
    const decided = new Set([album, artist, followers].map((d) => d.messageId));
    for (let waited = 0; waited < 15_000; waited += 100) {
      for (const d of drafts()) {
        if (decided.has(d.messageId)) continue;
        decided.add(d.messageId);
        expect((await viaHttp(click(d, 'approve'))).type).toBe(InteractionResponseType.UpdateMessage);
      }
      const entries = await h.entries(milestones);
      if ([...entries.values()].every((e) => e.state !== 'pending')) break;
      await sleep(100);
    }
    const entries = await h.settled(milestones);
    const followersEntry = [...entries].find(([id]) => id.includes('/followers/'))?.[1];
    expect(followersEntry).toMatchObject({ state: 'failed', reason: 'skipped by a moderator' });
    h.expectPostedExactlyOnce(new Map([...entries].filter(([id]) => !id.includes('/followers/'))));
    const texts = h.emulator.posts.map((p) => p.text);
    expect(texts).toContain(edited);
    expect(twitterText.parseTweet(edited).valid).toBe(true);
    expect(texts.some((t) => t.includes('16 million followers'))).toBe(false);
    for (const id of ['v/album:layover/100000000', 'v/allTracks:layover/20000000'])
      expect(entries.get(id)).toMatchObject({ state: 'sent', text: edited });
    // One draft message per post that X was asked about: never re-posted by later reviews.
    const ids = drafts().map((d) => d.customIds[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(h.emulator.posts.length + 1);
  }, 40_000);

  it('settles the draft of a post planned again as replaced: its message says so without buttons, a late click is told so, and the new draft decides', async () => {
    const clock = new ManualClock(Date.parse(day3) + HOUR);
    const seen = new Set(drafts().map((d) => d.messageId));
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      clock: clock.now,
      publishRules: { announceMaxAgeMs: 48 * HOUR, supersede: false },
      approval: discord.moderators!.approval,
    });
    const h = harness;
    // Drafts of this test, as first posted.
    const fresh = () => drafts().filter((d) => d.messageId !== '' && !seen.has(d.messageId));
    // Other milestones than the first test's (tracks at 40M then 60M, the album at 200M then 300M): a draft's key
    // names its group, and a group is named after a milestone; this channel keeps the first test's decisions.
    const milestones = await h.feed(twoDays(45_000_000, 65_000_000));
    const older = new Set(milestones.filter((m) => m.observedAt === day2).map((m) => m.id));
    const newer = milestones.filter((m) => m.observedAt === day3);
    // Both days join the album's one group; its thread starts with the oldest news (day 2).
    clock.advance(COMBINE_MS);
    const old = await until('the first draft of the album’s thread', () => fresh()[0]);
    seen.add(old.messageId);
    const milestonesLine = old.content.split('\n').find((l) => l.startsWith('Milestones: ')) ?? '';
    const oldIds = [...milestonesLine.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
    expect(oldIds.length).toBeGreaterThan(0);
    expect(oldIds.every((id) => older.has(id))).toBe(true);
    expect(h.emulator.posts).toHaveLength(0);

    // 30 hours on, day 2 is stale (55 h old, past the 48 h limit): the thread is planned again without it.
    clock.advance(30 * HOUR);
    const replaced = await until('the first draft marked replaced', () =>
      emulator
        .messagesIn(modChannel)
        .find((m) => m.id === old.messageId && m.content.startsWith('**X post replaced**')),
    );
    const oldText = old.content.split('\n').filter((l) => l.startsWith('> '));
    expect(replaced.content.split('\n').filter((l) => l.startsWith('> '))).toEqual(oldText);
    expect(replaced.content).toContain(
      `Replaced by a new draft: ${oldIds.map((id) => `\`${id}\``).join(', ')} no longer go out`,
    );
    expect(replaced.content).toContain('Nothing goes to X from this draft.');
    const edits = emulator.requests.filter(
      (r) => r.method === 'PATCH' && r.path === `/channels/${modChannel}/messages/${old.messageId}`,
    );
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body).toMatchObject({ components: [], allowed_mentions: { parse: [] } });

    // A late click on the old draft, through either transport: told privately, in the clicker's language.
    const late = await viaHttp(click(old, 'approve'));
    expect(late.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(late.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(late.data.content).toMatch(/^This draft was replaced by a new one/);
    const lateKo = await viaGateway({ ...click(old, 'edit'), locale: 'ko' });
    expect(lateKo.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(lateKo.data.content).toMatch(/^이 초안은 새 초안으로 대체되었습니다/);

    // The new plan's drafts carry only day 3; approved as they come up, they are what X gets.
    const approved = new Set<string>();
    for (let waited = 0; waited < 15_000; waited += 100) {
      for (const d of fresh()) {
        if (approved.has(d.messageId)) continue;
        approved.add(d.messageId);
        expect(d.content).toMatch(/^\*\*X post waiting for approval\*\*/);
        expect((await viaHttp(click(d, 'approve'))).type).toBe(InteractionResponseType.UpdateMessage);
      }
      const entries = await h.entries(milestones);
      if ([...entries.values()].every((e) => e.state !== 'pending')) break;
      await sleep(100);
    }
    const entries = await h.settled(milestones);
    for (const id of oldIds) expect(entries.get(id)?.state, id).toBe('skipped');
    for (const m of newer) expect(entries.get(m.id)?.state, m.id).toBe('sent');
    expect(approved.size).toBe(h.emulator.posts.length);
    // The late clicks decided nothing: the old draft is still the replaced one, edited once.
    expect(emulator.messagesIn(modChannel).find((m) => m.id === old.messageId)?.content).toBe(
      replaced.content,
    );
  }, 40_000);

  it('gives up a post still undecided after X_MAX_WAIT_HOURS, and one approved that never found budget: each draft says so without buttons, and a late click is told so', async () => {
    const clock = new ManualClock(Date.parse(day2) + HOUR);
    const seen = new Set(drafts().map((d) => d.messageId));
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      clock: clock.now,
      maxWaitMs: 2 * HOUR,
      // Less than one post costs: nothing can be posted, so an approved post waits for budget.
      dailySpendUsd: 0.001,
      approval: discord.moderators!.approval,
    });
    const h = harness;
    // Milestones no other test here announces (a draft's key names its group, named after a milestone): the
    // album's (tracks at 70M, the album at 400M) in one group, the followers at 17M in a group of its own.
    const milestones = await h.feed([
      baselineSnapshot,
      { ...everyTrackAt(day2, 75_000_000), artistStreams: 950_000_000, followers: 17_200_000 },
    ]);
    clock.advance(COMBINE_MS);
    const both = await until('the album’s and the followers’ drafts', () => {
      const found = freshDrafts(seen);
      return found.length >= 2 ? found : undefined;
    });
    expect(both).toHaveLength(2);
    const followers = both.find((d) => d.content.includes('/followers/'))!;
    const album = both.find((d) => d !== followers)!;
    expect(milestonesOf(followers.content)).toEqual(['v/followers/17000000']);
    expect(milestonesOf(album.content).every((id) => !id.includes('/followers/'))).toBe(true);
    expect((await viaHttp(click(followers, 'approve'))).type).toBe(InteractionResponseType.UpdateMessage);

    // Past X_MAX_WAIT_HOURS: nobody decided on the album's post, and the followers' never found budget.
    clock.advance(2 * HOUR);
    const givenUp = await settledAs(album, '**X post given up**');
    expect(quotedLines(givenUp.content)).toEqual(quotedLines(album.content));
    expect(givenUp.content).toContain(
      'Not posted: not approved within 2 h (X_MAX_WAIT_HOURS). Its milestones are recorded as failed; nothing ' +
        'goes to X from this draft.',
    );
    const notPosted = await settledAs(followers, '**X post approved, not posted**');
    expect(quotedLines(notPosted.content)).toEqual(quotedLines(followers.content));
    expect(notPosted.content).toContain(
      'Approved by mod.\nNot posted: no X budget (X_DAILY_POSTS, X_DAILY_SPEND_USD) within 2 h (X_MAX_WAIT_HOURS)',
    );
    for (const draft of [album, followers]) {
      const edits = editsOf(draft);
      expect(edits).toHaveLength(1);
      expect(edits[0]?.body).toMatchObject({ components: [], allowed_mentions: { parse: [] } });
    }

    // A late click on the album's draft, through either transport: told privately, in the clicker's language.
    const late = await viaHttp(click(album, 'approve'));
    expect(late.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(late.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(late.data.content).toBe(
      'This X post was given up (not approved within 2 h (X_MAX_WAIT_HOURS)): nothing was decided here, and ' +
        'nothing goes to X.',
    );
    const lateKo = await viaGateway({ ...click(album, 'skip'), locale: 'ko' });
    expect(lateKo.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(lateKo.data.content).toMatch(/^이 X 게시물은 포기되었습니다 \(not approved within 2 h/);

    const entries = await h.settled(milestones);
    for (const [id, entry] of entries) {
      expect(entry.state, id).toBe('failed');
      expect(entry.state === 'failed' ? entry.reason : '', id).toMatch(
        id.includes('/followers/')
          ? /^no X budget .* within 2 h \(X_MAX_WAIT_HOURS\)/
          : /^not approved within 2 h/,
      );
    }
    expect(h.emulator.posts).toHaveLength(0);
    // The late clicks decided nothing: the message is still the given-up one, edited once.
    expect(messageNow(album.messageId)?.content).toBe(givenUp.content);
    expect(editsOf(album)).toHaveLength(1);
  }, 40_000);

  it('withdraws the draft of a post whose every milestone no longer goes out, when no new plan follows: its message says why, without buttons, and a late click is told so', async () => {
    const seen = new Set(drafts().map((d) => d.messageId));
    harness = await XHarness.start({
      approval: discord.moderators!.approval,
      publishRules: { announceMaxAgeMs: Number.POSITIVE_INFINITY, supersede: true },
    });
    const h = harness;
    const counts = { tracks: baselineSnapshot.tracks, artistStreams: 950_000_000 };
    // The followers pass 18M (a group of its own: followers are never combined); its draft waits for a decision.
    await h.feed([baselineSnapshot, { capturedAt: day2, ...counts, followers: 18_300_000 }]);
    const old = await until('the 18M followers draft', () => freshDrafts(seen)[0]);
    seen.add(old.messageId);
    expect(milestonesOf(old.content)).toEqual(['v/followers/18000000']);

    // A day later they pass 19M: the 18M milestone is superseded, and its group has nothing left to post.
    const milestones = await h.feed([{ capturedAt: day3, ...counts, followers: 19_100_000 }]);
    const withdrawn = await settledAs(old, '**X post withdrawn**');
    expect(quotedLines(withdrawn.content)).toEqual(quotedLines(old.content));
    expect(withdrawn.content).toContain(
      'Withdrawn: none of its milestones go out any more (`v/followers/18000000`: superseded by ' +
        'v/followers/19000000, a higher milestone of the same subject for this destination), and no other post ' +
        'is planned in its place. Nothing goes to X from this draft.',
    );
    const edits = editsOf(old);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body).toMatchObject({ components: [], allowed_mentions: { parse: [] } });

    // A late click, through either transport: told privately, in the clicker's language.
    const late = await viaHttp(click(old, 'approve'));
    expect(late.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(late.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(late.data.content).toMatch(/^This draft was withdrawn: none of its milestones go out any more/);
    const lateKo = await viaGateway({ ...click(old, 'edit'), locale: 'ko' });
    expect(lateKo.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(lateKo.data.content).toMatch(/^이 초안은 철회되었습니다/);

    // The 19M milestone is a draft of its own; approved, it is what X gets.
    const next = await until('the 19M followers draft', () => freshDrafts(seen)[0]);
    expect(milestonesOf(next.content)).toEqual(['v/followers/19000000']);
    expect((await viaHttp(click(next, 'approve'))).type).toBe(InteractionResponseType.UpdateMessage);
    const entries = await h.settled(milestones.filter((m) => m.kind === 'followers'));
    expect(entries.get('v/followers/18000000')).toMatchObject({ state: 'superseded' });
    expect(entries.get('v/followers/19000000')).toMatchObject({ state: 'sent' });
    expect(h.emulator.posts).toHaveLength(1);
    expect(messageNow(old.messageId)?.content).toBe(withdrawn.content);
  }, 40_000);

  it('plans a post again without milestones whose jobs gave up, and settles the draft as failed once the last job runs out of attempts, saying why, and tells a late click so', async () => {
    const seen = new Set(drafts().map((d) => d.messageId));
    // Publish jobs of these milestones fail before any request goes to X (injected here: the X side cannot read
    // its outbox), on each of their two attempts.
    const failing = new Set<string>();
    const trouble = 'the X outbox could not be read (connection reset)';
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      approval: discord.moderators!.approval,
      publishAttempts: 2,
      publishVia: (x): Publisher => ({
        platform: x.platform,
        ordersItsOwnPosts: x.ordersItsOwnPosts,
        destinationsFor: (milestone, tracking) => x.destinationsFor(milestone, tracking),
        postedAlready: (request) => x.postedAlready(request),
        settledUnposted: (milestoneId) => x.settledUnposted(milestoneId),
        publish: (request) =>
          failing.has(request.milestone.id) ? Promise.reject(new Error(trouble)) : x.publish(request),
      }),
    });
    const h = harness;
    // Milestones no other test here announces: every track past 100M, all tracks and the album past 600M, one group.
    const milestones = await h.feed([baselineSnapshot, everyTrackAt(day2, 105_000_000)]);
    expect(milestones.length).toBeGreaterThan(1);
    const draft = await until('the first draft of the album’s post', () => freshDrafts(seen)[0]);
    const draftIds = milestonesOf(draft.content);
    expect(draftIds.length).toBeGreaterThan(0);

    // Every job but one runs out of attempts. Their milestones are not posted (the ledger says failed), so the one
    // left plans the post again without them: the draft is replaced by one that carries its milestone alone.
    const last = milestones.find((m) => m.kind === 'album')!;
    expect(draftIds).toContain(last.id);
    for (const m of milestones) if (m.id !== last.id) failing.add(m.id);
    await until(
      'every job but one out of attempts',
      async () => (await h.pipeline.publishQueue.getFailedCount()) === failing.size,
    );
    expect((await h.entries([last])).get(last.id)?.state).toBe('pending');
    // Replaced as soon as the first of them was recorded failed; one that failed later was in a new draft, which
    // was replaced in turn. In the end one draft carries the album alone.
    const leftOut = new Set(draftIds.filter((id) => id !== last.id));
    const namedIn = (content: string) => {
      const line = content.split('\n').find((l) => l.startsWith('Replaced by a new draft: ')) ?? '';
      return milestonesOf(`Milestones: ${line.slice(0, line.indexOf(' no longer go out'))}`);
    };
    const replaced = await settledAs(draft, '**X post replaced**');
    expect(namedIn(replaced.content).length).toBeGreaterThan(0);
    for (const id of namedIn(replaced.content)) expect(leftOut.has(id), id).toBe(true);
    seen.add(draft.messageId);
    const alone = await until('the draft of the album’s post alone', () =>
      freshDrafts(seen).find((d) => milestonesOf(d.content).join() === last.id),
    );
    for (const between of freshDrafts(seen).filter((d) => d.messageId !== alone.messageId)) {
      const settled = await settledAs(between, '**X post replaced**');
      for (const id of namedIn(settled.content)) expect(failing.has(id), id).toBe(true);
    }

    // The last one too: nothing is left to post the group, and its draft says why, without buttons.
    failing.add(last.id);
    const failed = await settledAs(alone, '**X post failed**');
    expect(quotedLines(failed.content)).toEqual(quotedLines(alone.content));
    expect(failed.content).toContain(
      `Failed: \`${last.id}\`: gave up after 2 attempts: ${trouble}. No other post is planned in its place, and ` +
        'nothing goes to X from this draft.',
    );
    const edits = editsOf(alone);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body).toMatchObject({ components: [], allowed_mentions: { parse: [] } });

    // A late click, through either transport: told privately, in the clicker's language.
    const late = await viaHttp(click(alone, 'approve'));
    expect(late.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(late.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(late.data.content).toBe(
      'This X post failed: its milestones could not be posted (the draft says why). Nothing was decided here, ' +
        'and nothing goes to X.',
    );
    const lateKo = await viaGateway({ ...click(alone, 'skip'), locale: 'ko' });
    expect(lateKo.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(lateKo.data.content).toMatch(/^이 X 게시물은 실패했습니다: /);

    const entries = await h.settled(milestones);
    for (const [id, entry] of entries) {
      expect(entry, id).toMatchObject({ state: 'failed', reason: `gave up after 2 attempts: ${trouble}` });
    }
    expect(h.emulator.posts).toHaveLength(0);
    expect(messageNow(alone.messageId)?.content).toBe(failed.content);
    expect(messageNow(draft.messageId)?.content).toBe(replaced.content);
  }, 40_000);

  it('says an approved draft was not posted after all when its post, waiting for budget, is planned again without its milestones', async () => {
    // An hour after the day-3 snapshot: both days are fresh under a 48-hour limit.
    const clock = new ManualClock(Date.parse(day3) + HOUR);
    const seen = new Set(drafts().map((d) => d.messageId));
    harness = await XHarness.start({
      combineWindowMs: COMBINE_MS,
      dailyPosts: 1,
      budgetWindowMs: HOUR,
      recheckMs: 300,
      clock: clock.now,
      publishRules: { announceMaxAgeMs: 48 * HOUR, supersede: false },
      approval: discord.moderators!.approval,
    });
    const h = harness;
    // Milestones no other test here announces: tracks at 80M then 90M, the album at 500M then 550M.
    const milestones = await h.feed(twoDays(85_000_000, 95_000_000));
    const older = new Set(milestones.filter((m) => m.observedAt === day2).map((m) => m.id));
    const newer = new Set(milestones.filter((m) => m.observedAt === day3).map((m) => m.id));
    clock.advance(COMBINE_MS);
    // The thread's first post (the oldest news) is approved and spends the window's one post.
    const first = await until('the first draft of the album’s thread', () => freshDrafts(seen)[0]);
    seen.add(first.messageId);
    expect((await viaHttp(click(first, 'approve'))).type).toBe(InteractionResponseType.UpdateMessage);
    await until('the first post on X', () => h.emulator.posts.length === 1);
    // The second is approved too, but waits for the next window.
    const second = await until('the second draft of the thread', () => freshDrafts(seen)[0]);
    seen.add(second.messageId);
    const secondIds = milestonesOf(second.content);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.every((id) => older.has(id))).toBe(true);
    const approved = await viaHttp(click(second, 'approve'));
    expect(approved.data.content).toMatch(/\nApproved by mod\.$/);

    // 30 hours on, day 2 is stale (55 h old): the rest of the thread is planned again without it.
    clock.advance(30 * HOUR);
    const notPosted = await settledAs(second, '**X post approved, not posted**');
    expect(quotedLines(notPosted.content)).toEqual(quotedLines(second.content));
    expect(notPosted.content).toContain(
      `Approved by mod.\nReplaced by a new draft: ${secondIds.map((id) => `\`${id}\``).join(', ')} no longer go out`,
    );
    const edits = editsOf(second);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body).toMatchObject({ components: [], allowed_mentions: { parse: [] } });
    // Were a click to reach it still, it is told what happened.
    const late = await viaHttp(click(second, 'skip'));
    expect(late.data.content).toMatch(/^Already decided: Approved by mod\. Replaced by a new draft: /);

    // What remains is a new draft carrying only day 3; the approved text never went to X.
    const next = await until('the new plan’s draft', () => freshDrafts(seen)[0]);
    expect(milestonesOf(next.content).every((id) => newer.has(id))).toBe(true);
    expect(h.emulator.posts).toHaveLength(1);
    const secondText = quotedLines(second.content)
      .map((l) => l.slice(2))
      .join('\n');
    expect(h.emulator.posts.map((p) => p.text)).not.toContain(secondText);
  }, 40_000);

  it('keeps the first of two simultaneous decisions (one per transport) and tells the other click it is already decided', async () => {
    const gate = discord.moderators!.approval;
    const draft = {
      key: `${prefix}-race#0`,
      text: 'Taehyung’s Layover passed 200 million streams on Spotify 💜 #V',
      milestoneIds: ['v/album:layover/200000000'],
      destination: 'x:4242',
    };
    expect(await gate.review(draft)).toEqual({ state: 'pending' });
    expect(await gate.review(draft)).toEqual({ state: 'pending' });
    const posted = drafts().filter((d) => d.content.includes('200 million'));
    expect(posted).toHaveLength(1);
    const [a, b] = await Promise.all([
      viaHttp(click(posted[0]!, 'approve')),
      viaGateway(click(posted[0]!, 'skip')),
    ]);
    const updated = (r: { type: number }) => r.type === Number(InteractionResponseType.UpdateMessage);
    const types = [a.type, b.type].sort();
    expect(types).toEqual([
      InteractionResponseType.ChannelMessageWithSource,
      InteractionResponseType.UpdateMessage,
    ]);
    const loser = updated(a) ? b : a;
    expect(loser.data.content).toMatch(/^Already decided: /);
    const decision = await gate.review(draft);
    expect(decision.state).toBe(updated(a) ? 'approved' : 'skipped');
  });

  /**
   * A click handed to `dispatch` over one transport and answered as that transport answers; resolves once the
   * click has been handled to the end, with its first answer as Discord got it. Over HTTP, `asAnswerLeaves` runs
   * once the answer is given and before it goes out (the route has handed it over; Discord has not got it yet).
   */
  const clickOver: Record<
    'gateway' | 'http',
    (
      dispatch: DispatchInteraction,
      interaction: Record<string, unknown>,
      asAnswerLeaves?: () => Promise<void>,
    ) => Promise<unknown>
  > = {
    // As the gateway path answers: on the interaction callback endpoint, which updates the message in place.
    gateway: async (dispatch, interaction) => {
      emulator.interactions.register(interaction as { id: unknown; token: unknown; type: unknown });
      const received = interaction as unknown as APIInteraction;
      await dispatch(received, restResponder(discord.interactionRest, received));
      return emulator.interactionReplies.find((r) =>
        r.path.endsWith(`/${String(interaction.token)}/callback`),
      )?.body;
    },
    // Through POST /interactions, signed: the HTTP answer updates the message once it has gone out to Discord.
    http: async (dispatch, interaction, asAnswerLeaves) => {
      let handled: Promise<void> | undefined;
      const server = await createHttpServer({
        logger: createLogger('silent'),
        routes: [
          (root) => {
            root.addHook('onSend', async (_request, _reply, payload) => {
              await asAnswerLeaves?.();
              return payload;
            });
          },
          interactionsRoute({
            publicKey: keys.publicKeyHex,
            dispatch: (received, responder) => (handled = dispatch(received, responder)),
            rest: discord.interactionRest,
            logger: createLogger('silent'),
          }),
        ],
      });
      try {
        const answer = await viaHttp(interaction, server);
        await handled;
        return answer;
      } finally {
        await server.close();
      }
    },
  };

  it.each([
    ['gateway', 'decided'],
    ['http', 'decided'],
    ['http', 'answered'],
  ] as const)(
    'ends the draft message as the record says when the X side gives the post up while an Approve is being answered (a click over %s, given up once it has %s)',
    async (transport, when) => {
      const gate = discord.moderators!.approval;
      const draft = {
        key: `${prefix}-settled-meanwhile-${transport}-${when}#0`,
        text: 'Taehyung’s Layover passed 250 million streams on Spotify 💜 #V',
        milestoneIds: ['v/album:layover/250000000'],
        destination: 'x:4242',
      };
      const seen = new Set(drafts().map((d) => d.messageId));
      expect(await gate.review(draft)).toEqual({ state: 'pending' });
      const posted = await until('the draft', () => freshDrafts(seen)[0]);
      const reason =
        'no X budget (X_DAILY_POSTS, X_DAILY_SPEND_USD) within 72 h (X_MAX_WAIT_HOURS); given up';
      // The click's decision is recorded; before its answer reaches Discord, the X side gives the post up: it finds
      // the draft approved, records that it was not posted, and edits the message, an edit that reaches Discord
      // first. It does so once the click has decided, before it answers, or (over HTTP, where answering is handing
      // the answer to the route) once the click has answered, before the answer goes out.
      const giveUp = () => gate.notPosted(draft.key, { state: 'givenUp', reason });
      class SettledMeanwhile extends ApprovalStore {
        override async decide(...args: Parameters<ApprovalStore['decide']>) {
          const result = await super.decide(...args);
          if (when === 'decided') await giveUp();
          return result;
        }
      }
      // The dispatcher both transports use, with the approval buttons' handler reading that store.
      const dispatch = createDispatcher({
        modules: [],
        services: {},
        logger: createLogger('silent'),
        componentHandlers: [
          approvalComponentHandler({
            store: new SettledMeanwhile(redis, stateKeys(prefix)),
            logger: createLogger('silent'),
            moderators: { channelId: modChannel, guildId: () => Promise.resolve(guildId) },
          }),
        ],
      });
      const interaction = click(posted, 'approve');
      const answer = await clickOver[transport](
        dispatch,
        interaction,
        when === 'answered' ? giveUp : undefined,
      );

      const edits = editsOf(posted);
      expect(edits).toHaveLength(1);
      expect((edits[0]?.body as { content: string }).content).toMatch(
        /^\*\*X post approved, not posted\*\*\n/,
      );
      expect(answer).toMatchObject({ type: InteractionResponseType.UpdateMessage });
      expect((answer as { data: { content: string } }).data.content).toMatch(/^\*\*X post approved\*\*\n/);
      // That answer came after the X side's edit, yet the message ends as the record says: approved, not posted,
      // through the click's own edit of its answer, which Discord accepted.
      const token = String(interaction.token);
      const reread = emulator.interactionReplies.filter((r) =>
        r.path.endsWith(`/${token}/messages/@original`),
      );
      expect(reread).toHaveLength(1);
      expect(emulator.interactions.get(token)?.refusals).toEqual([]);
      const expected =
        `**X post approved, not posted**\n> ${draft.text}\nMilestones: \`v/album:layover/250000000\`\n` +
        `Approved by mod.\nNot posted: ${reason}. Its milestones are recorded as failed; nothing goes to X from ` +
        'this draft.';
      expect((reread[0]?.body as { content: string }).content).toBe(expected);
      expect(messageNow(posted.messageId)?.content).toBe(expected);
      expect(await gate.review(draft)).toEqual({ state: 'approved', by: 'mod' });
    },
  );

  it('tells the moderators’ channel once, without pinging anyone, when X answers 401', async () => {
    const before = emulator.messagesIn(modChannel).length;
    harness = await XHarness.start({ notifier: discord.moderators!.notifier });
    const h = harness;
    h.emulator.fail({ kind: 'unauthorized' });
    const milestones = await h.announce();
    // The milestones not yet posted wait out the pause; once every publish job is done or waiting, count notices.
    await h.waitFor('the X pause', async () => (await h.publisher.pause()) !== null);
    await h.publishJobsIdle();
    const states = [...(await h.entries(milestones)).values()].map((e) => e.state);
    expect(states.every((state) => state === 'sent' || state === 'pending')).toBe(true);
    const notices = emulator.messagesIn(modChannel).slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toMatch(/X publishing is paused for @layovercharts.*401/s);
    expect(notices[0]?.allowedMentions).toEqual({ parse: [] });
  });
});
