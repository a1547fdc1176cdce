import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type RoleFlags,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/milestones/types.js';
import { milestone } from '../helpers/posts-fixtures.js';
import { knownPlaceholders } from '../../src/posts/validate-template.js';
import { stateKeys } from '../../src/state/keys.js';
import { MilestoneStore } from '../../src/state/milestone.store.js';
import { PostLedgerStore } from '../../src/state/post-ledger.store.js';
import {
  chatInputInteraction,
  interactionKeyPair,
  type ChatInputOptions,
} from '../../emulators/discord-interactions.js';
import {
  postInteraction,
  seedSnapshots,
  startInteractionsApp,
  waitFor,
  type InteractionsApp,
} from '../helpers/interactions-app.js';
import { expectEnglish, expectKorean } from '../helpers/locale-checks.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
const keys = interactionKeyPair();

// The commands' own Korean names and descriptions are checked in test/unit/command-localizations.test.ts.
describe('Korean: replies in the interaction’s locale', () => {
  const prefix = uniquePrefix('locale');
  let harness: InteractionsApp;

  beforeAll(async () => {
    harness = await startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking });
    await seedSnapshots(harness.redis, prefix, tracking, [
      {
        capturedAt: '2023-10-10T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id) => [id, 80e6])),
      },
      {
        capturedAt: '2023-10-11T23:00:00+09:00',
        tracks: Object.fromEntries(trackIds.map((id) => [id, 81e6])),
      },
    ]);
  });

  afterAll(async () => {
    await harness.close();
  });

  const answer = async (interaction: Record<string, unknown>) => {
    await postInteraction(harness.app, harness.emulator, keys.privateKey, interaction);
    return waitFor(() => {
      const r = harness.emulator.interactions.get(String(interaction.token));
      return r !== undefined && !r.thinking && r.original !== null ? r.original : undefined;
    }, 'an answer');
  };

  it('answers in Korean for a ko locale, in English otherwise', async () => {
    const ko = (await answer({
      ...chatInputInteraction({ command: 'layover', subcommand: 'status' }),
      locale: 'ko',
    })) as {
      embeds: { title: string; description: string; footer: { text: string } }[];
    };
    expect(ko.embeds[0]?.title).toBe('레이오버: 486,000,000회 스트리밍');
    expect(ko.embeds[0]?.description).toContain('**블루**: 81,000,000');
    expect(ko.embeds[0]?.description).toContain('/일');
    expect(ko.embeds[0]?.footer.text).toMatch(/^데이터 기준 /);
    const fr = (await answer({
      ...chatInputInteraction({ command: 'layover', subcommand: 'status' }),
      locale: 'fr',
    })) as {
      embeds: { title: string }[];
    };
    expect(fr.embeds[0]?.title).toBe('Layover: 486,000,000 streams');
    const unknown = await answer({
      ...chatInputInteraction({ command: 'layover', subcommand: 'nope' }),
      locale: 'ko',
    });
    expect(unknown).toMatchObject({
      content: '이 버전의 봇이 모르는 명령입니다. 잠시 후 다시 시도해 주세요.',
    });
  });
});

/** Manage Server, as the member permissions Discord sends. */
const manageServer = String(PermissionFlagsBits.ManageGuild);
/** What the bot needs in an announcement channel, without Attach Files. */
const botCanPost = String(
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks,
);
const locales = ['ko', 'en-US'] as const;
type Locale = (typeof locales)[number];

interface Answer {
  readonly content: string;
  readonly embeds: readonly { readonly title?: string }[];
}

/** A case: an interaction (or a few) in `locale`, and what its answer must say in each language. */
interface LocaleCase {
  readonly name: string;
  readonly ask: (locale: Locale) => Promise<string>;
  readonly ko: readonly string[];
  readonly en: readonly string[];
  /** English that may stay in the Korean answer (names without a Korean form). */
  readonly allowed?: readonly string[];
}

describe('Korean: every /layover and /layover-mod answer, and each refusal, follows the locale', () => {
  const prefix = uniquePrefix('locale-all');
  let h: InteractionsApp;
  let tokenless: InteractionsApp;
  const tracks = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
  const album = (threshold: number, daysSinceRelease: number): Milestone =>
    milestone('album', { threshold, value: threshold + 1_000_000, daysSinceRelease });

  beforeAll(async () => {
    [h, tokenless] = await Promise.all([
      startInteractionsApp({ prefix, publicKeyHex: keys.publicKeyHex, tracking }),
      startInteractionsApp({
        prefix: `${prefix}-tokenless`,
        publicKeyHex: keys.publicKeyHex,
        tracking,
        withoutBotToken: true,
      }),
    ]);
    // For Us is first seen with the second snapshot (so is the album total: a baseline), then passes 90M alone;
    // the other songs sit below their next milestone.
    await seedSnapshots(h.redis, prefix, tracking, [
      {
        capturedAt: '2023-10-10T23:00:00+09:00',
        tracks: Object.fromEntries(tracks.filter((id) => id !== 'for-us').map((id) => [id, 80e6])),
      },
      { capturedAt: '2023-10-11T23:00:00+09:00', tracks: Object.fromEntries(tracks.map((id) => [id, 81e6])) },
      { capturedAt: '2023-10-12T11:00:00+09:00', tracks: { 'for-us': 90.5e6 } },
    ]);
    // Recorded milestones: one superseded, one posted, one too old to post.
    const keysOf = stateKeys(prefix);
    const followers: Milestone = { ...album(16_000_000, 30), id: 'v/followers/16000000', kind: 'followers' };
    const recorded = [album(400_000_000, 33), album(500_000_000, 33), { ...followers, albumId: null }];
    await new MilestoneStore(h.redis, keysOf).record(
      recorded.map((milestone) => ({
        milestone,
        destinations: ['discord:111'],
        observedAtMs: Date.parse(milestone.observedAt),
      })),
    );
    const ledger = new PostLedgerStore(h.redis, keysOf);
    await ledger.markSuperseded(recorded[0]!.id, 'discord:111', recorded[1]!.id, 'superseded');
    await ledger.markSent(recorded[1]!.id, 'discord:111', { platformId: '1', text: 'posted' });
    await ledger.markSkipped(
      recorded[2]!.id,
      'discord:111',
      'stale data: observed 49 h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=48)',
    );
  });

  afterAll(async () => {
    await Promise.all([h.close(), tokenless.close()]);
  });

  /** Sends `interaction` in `locale` and waits for the answer users see (immediate, or the deferred one's edit). */
  const answer = async (
    interaction: Record<string, unknown>,
    locale: Locale,
    app: InteractionsApp = h,
  ): Promise<Answer> => {
    const asked: Record<string, unknown> = { ...interaction, locale };
    await postInteraction(app.app, app.emulator, keys.privateKey, asked);
    const original = await waitFor(() => {
      const r = app.emulator.interactions.get(String(asked.token));
      return r !== undefined && !r.thinking && r.original !== null ? r.original : undefined;
    }, 'an answer');
    return {
      content: typeof original.content === 'string' ? original.content : '',
      embeds: (original.embeds ?? []) as Answer['embeds'],
    };
  };
  const text = async (interaction: Record<string, unknown>, locale: Locale, app: InteractionsApp = h) =>
    (await answer(interaction, locale, app)).content;

  const fan = (
    subcommand: string,
    options: Record<string, string> = {},
    more: Partial<ChatInputOptions> = {},
  ) =>
    chatInputInteraction({
      command: 'layover',
      subcommand,
      options: Object.entries(options).map(([name, value]) => ({
        type: ApplicationCommandOptionType.String,
        name,
        value,
      })),
      ...more,
    });

  const mod = (subcommand: string, guildId: string, more: Partial<ChatInputOptions> = {}) =>
    chatInputInteraction({ command: 'layover-mod', subcommand, guildId, permissions: manageServer, ...more });

  const template = (guildId: string, subcommand: string, options: Record<string, string>) =>
    mod(subcommand, guildId, {
      group: 'template',
      options: Object.entries(options).map(([name, value]) => ({
        type: ApplicationCommandOptionType.String,
        name,
        value,
      })),
    });

  /** `/layover-mod setup` in `channelId` (a text channel unless told), as Discord resolves the channel and role. */
  const setup = (
    guildId: string,
    channelId: string,
    more: {
      channelType?: ChannelType;
      appPermissions?: string;
      managedRole?: boolean;
      permissions?: string;
    } = {},
  ) => {
    const roleId = '800000000000000001';
    return mod('setup', guildId, {
      permissions: more.permissions ?? manageServer,
      options: [
        { type: ApplicationCommandOptionType.Channel, name: 'channel', value: channelId },
        { type: ApplicationCommandOptionType.String, name: 'language', value: 'en' },
        ...(more.managedRole === true
          ? [{ type: ApplicationCommandOptionType.Role as const, name: 'role', value: roleId }]
          : []),
      ],
      resolved: {
        channels: {
          [channelId]: {
            id: channelId,
            name: 'announcements',
            type: more.channelType ?? ChannelType.GuildText,
            permissions: '0',
            app_permissions: more.appPermissions ?? botCanPost,
          },
        },
        ...(more.managedRole === true
          ? {
              roles: {
                [roleId]: {
                  id: roleId,
                  name: 'Some Bot',
                  color: 0,
                  colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
                  hoist: false,
                  position: 1,
                  permissions: '0',
                  managed: true,
                  mentionable: false,
                  flags: 0 as RoleFlags,
                },
              },
            }
          : {}),
      },
    });
  };

  /** A server set up (in English) with a channel the bot can post in. */
  const configuredGuild = async (): Promise<{ guildId: string; channelId: string }> => {
    const guildId = h.emulator.snowflake();
    const channelId = h.emulator.addChannel({ guildId }).id;
    await answer(setup(guildId, channelId), 'en-US');
    return { guildId, channelId };
  };

  const cases: LocaleCase[] = [
    {
      name: '/layover status of an album not tracked',
      ask: (locale) => text(fan('status', { album: 'Nope' }), locale),
      ko: ['"Nope" 앨범은 추적하지 않습니다.'],
      en: ['I don\'t track an album called "Nope".'],
    },
    {
      name: '/layover status telling a moderator that announcements stopped',
      ask: async (locale) => {
        const { guildId, channelId } = await configuredGuild();
        await h.discord.guilds.markChannelUnhealthy(
          guildId,
          channelId,
          'missing-permission',
          'Missing Access (50001)',
        );
        return text(fan('status', {}, { guildId, permissions: manageServer }), locale);
      },
      ko: ['⚠️ 알림이 멈춰 있습니다', '권한을 잃었습니다 (Missing Access (50001))'],
      // Discord's own error, as it came.
      allowed: ['Missing Access'],
      en: ['⚠️ Announcements are stopped: the bot lost a permission'],
    },
    {
      name: '/layover milestones with milestones recorded but not posted',
      ask: (locale) => text(fan('milestones'), locale),
      ko: [
        '• 2023년 10월 11일: 레이오버 (앨범 합계) 400,000,000 돌파 (33일째) — 게시 안 됨: 500,000,000 돌파에 밀렸습니다',
        '• 2023년 10월 11일: 레이오버 (앨범 합계) 500,000,000 돌파 (33일째)\n',
        'V 팔로워 16,000,000 돌파 (30일째) — 게시 안 됨: 오래된 데이터: 게시하려던 시점보다 49시간 전에',
      ],
      en: [
        '• Oct 11, 2023: Layover (album) passed 400,000,000 (day 33) — not posted: superseded by 500,000,000',
        'V followers passed 16,000,000 (day 30) — not posted: stale data: observed 49 h before',
      ],
    },
    {
      name: '/layover next',
      ask: (locale) => text(fan('next'), locale),
      ko: [
        '**레이오버 (앨범 합계)**: 486,000,000 → 다음 500,000,000',
        '**레이오버 전곡**',
        '**블루**: 81,000,000',
      ],
      en: [
        '**Layover (album)**: 486,000,000 → next 500,000,000',
        '**every song of Layover**',
        '**Blue**: 81,000,000',
      ],
    },
    {
      name: '/layover why of a baseline, with a milestone not posted, stale data and a server not set up',
      ask: (locale) => text(fan('why', { album: 'Layover' }), locale),
      ko: [
        '기준점: 레이오버 (앨범 합계) 첫 집계 486,000,000.',
        '2023년 10월 11일 레이오버 (앨범 합계) 400,000,000 돌파는 기록되었지만 게시되지 않았습니다',
        '오래된 데이터: 최신 스냅샷이 2023-10-12T11:00:00+09:00 기준입니다.',
        '이 서버는 아직 `/layover-mod setup`을 실행하지 않았습니다.',
      ],
      en: [
        'Baseline: Layover (album) was first seen at 486,000,000',
        'Layover (album) passing 400,000,000 (Oct 11, 2023) was recorded but not posted',
        'Stale data: the newest snapshot is from 2023-10-12T11:00:00+09:00.',
        'This server has not run `/layover-mod setup` yet.',
      ],
    },
    {
      name: '/layover why below the next milestone, in a paused server with songs turned off and a broken channel',
      ask: async (locale) => {
        const { guildId, channelId } = await configuredGuild();
        await answer(mod('pause', guildId), 'en-US');
        await answer(
          mod('kinds', guildId, {
            options: [{ type: ApplicationCommandOptionType.Boolean, name: 'track', value: false }],
          }),
          'en-US',
        );
        await h.discord.guilds.markChannelUnhealthy(guildId, channelId, 'gone', 'Unknown Channel (10003)');
        return text(fan('why', { album: 'Layover', track: 'blue' }, { guildId }), locale);
      },
      ko: [
        '다음 마일스톤 전: 블루 현재 81,000,000. 이미 달성: 80,000,000 · 다음: 90,000,000.',
        '이 서버는 알림을 일시 중지했습니다',
        '이 서버는 곡 마일스톤을 꺼 두었습니다',
        '채널이 더 이상 없습니다',
      ],
      en: [
        'Below the next milestone: Blue is at 81,000,000; 80,000,000 was already reached, next is 90,000,000.',
        'This server has paused announcements',
        'This server has track milestones turned off',
        'no longer exists',
      ],
    },
    {
      name: '/layover why of a song announced',
      ask: (locale) => text(fan('why', { album: '레이오버', track: '포 어스' }), locale),
      ko: ['알림 완료: 최신 스냅샷에서 포 어스 90,000,000 돌파를 알렸습니다.'],
      en: ['Announced: For Us passed 90,000,000 in the latest snapshot.'],
    },
    {
      name: '/layover why of a song the album does not have',
      ask: (locale) => text(fan('why', { album: 'Layover', track: 'Dynamite' }), locale),
      ko: ['레이오버에는 "Dynamite" 곡이 없습니다.'],
      en: ['Layover has no song called "Dynamite".'],
    },
    {
      name: '/layover-mod setup by a member without Manage Server',
      ask: (locale) => {
        const guildId = h.emulator.snowflake();
        return text(setup(guildId, h.emulator.addChannel({ guildId }).id, { permissions: '0' }), locale);
      },
      ko: ['**서버 관리하기(Manage Server)** 권한이 필요합니다'],
      en: ['You need the **Manage Server** permission to change Layover settings.'],
    },
    {
      name: '/layover-mod pause outside a server',
      ask: (locale) => {
        const { guild_id: _guild, member: _member, ...dm } = mod('pause', '1');
        return text(
          { ...dm, user: { id: '600000000000000001', username: 'fan', discriminator: '0' } },
          locale,
        );
      },
      ko: ['서버 안에서 쓰는 명령입니다.'],
      en: ['Use this command in a server.'],
    },
    {
      name: '/layover-mod setup where the bot cannot embed',
      ask: (locale) => {
        const guildId = h.emulator.snowflake();
        const channelId = h.emulator.addChannel({ guildId }).id;
        const noEmbeds = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
        return text(setup(guildId, channelId, { appPermissions: noEmbeds }), locale);
      },
      ko: ['봇에게 **링크 첨부(Embed Links)** 권한이 없습니다'],
      en: ['I am missing **Embed Links** in <#'],
    },
    {
      name: '/layover-mod setup in a voice channel',
      ask: (locale) => {
        const guildId = h.emulator.snowflake();
        return text(setup(guildId, h.emulator.snowflake(), { channelType: ChannelType.GuildVoice }), locale);
      },
      ko: ['텍스트 채널이나 공지 채널을 선택해 주세요.'],
      en: ['Pick a text or announcement channel.'],
    },
    {
      name: '/layover-mod setup mentioning a bot’s role',
      ask: (locale) => {
        const guildId = h.emulator.snowflake();
        return text(setup(guildId, h.emulator.addChannel({ guildId }).id, { managedRole: true }), locale);
      },
      ko: ['멘션할 일반 역할을 선택해 주세요.'],
      en: ['Pick a regular role to mention'],
    },
    {
      name: '/layover-mod setup done, without Attach Files',
      ask: (locale) => {
        const guildId = h.emulator.snowflake();
        return text(setup(guildId, h.emulator.addChannel({ guildId }).id), locale);
      },
      ko: [
        'Layover 알림 설정을 마쳤습니다.\n알림 채널: <#',
        '멘션: 없음',
        '알림: 켜짐',
        '**파일 첨부(Attach Files)** 권한이 없으면',
      ],
      en: ['Layover announcements are set up.\nChannel: <#', 'Mention: nobody', 'Without **Attach Files**'],
    },
    {
      name: '/layover-mod kinds',
      ask: async (locale) => text(mod('kinds', (await configuredGuild()).guildId), locale),
      ko: ['마일스톤 종류: 곡(track), 앨범 합계(album), 앨범 전곡(all-tracks)'],
      en: ['Kinds: track, album, all-tracks'],
    },
    {
      name: '/layover-mod pause',
      ask: async (locale) => text(mod('pause', (await configuredGuild()).guildId), locale),
      ko: ['이 서버의 알림을 일시 중지했습니다.'],
      en: ['Announcements are paused here.'],
    },
    {
      name: '/layover-mod resume',
      ask: async (locale) => text(mod('resume', (await configuredGuild()).guildId), locale),
      ko: ['알림을 다시 켰습니다.'],
      en: ['Announcements are on again.'],
    },
    {
      name: '/layover-mod pause before setup',
      ask: (locale) => text(mod('pause', h.emulator.snowflake()), locale),
      ko: ['먼저 `/layover-mod setup`을 실행해 주세요.'],
      en: ['Run `/layover-mod setup` first.'],
    },
    {
      name: '/layover-mod test',
      ask: async (locale) => text(mod('test', (await configuredGuild()).guildId), locale),
      ko: ['에 샘플을 올렸습니다 (메시지 '],
      en: ['Sent a sample to <#'],
    },
    {
      name: '/layover-mod test in a channel that is gone',
      ask: async (locale) => {
        const { guildId, channelId } = await configuredGuild();
        h.emulator.deleteChannel(channelId);
        return text(mod('test', guildId), locale);
      },
      ko: ['에 글을 올리지 못했습니다: 채널이 더 이상 없습니다 (Unknown Channel (10003))'],
      allowed: ['Unknown Channel'],
      en: ['Could not post in <#', 'Unknown Channel (10003)'],
    },
    {
      name: '/layover-mod test without a bot token',
      ask: async (locale) => {
        // Setup needs no token: it only stores the settings.
        const guildId = tokenless.emulator.snowflake();
        await answer(setup(guildId, tokenless.emulator.addChannel({ guildId }).id), 'en-US', tokenless);
        return text(mod('test', guildId), locale, tokenless);
      },
      ko: ['이 봇은 봇 토큰 없이 명령에 답하고 있어(DISCORD_TOKEN 미설정) 채널에 글을 올릴 수 없습니다.'],
      en: ['This bot answers commands without a bot token'],
    },
    {
      name: '/layover-mod template set',
      ask: async (locale) => {
        const { guildId } = await configuredGuild();
        return text(
          template(guildId, 'set', { kind: 'album', text: '{{subject}} passed {{threshold}}!' }),
          locale,
        );
      },
      ko: ['저장했습니다. 이제 이 서버의 앨범 합계 알림은 서버 템플릿 문구를 씁니다.'],
      en: ["Saved. album total announcements here now use this server's wording."],
    },
    {
      name: '/layover-mod template set refused: an unknown placeholder and @everyone',
      ask: async (locale) => {
        const { guildId } = await configuredGuild();
        return text(template(guildId, 'set', { kind: 'track', text: '@everyone {{streamz}}!' }), locale);
      },
      ko: [
        '곡 템플릿을 저장하지 않았습니다:',
        '• 알 수 없는 플레이스홀더 {{streamz}}입니다.',
        '• 템플릿에는 멘션을 넣을 수 없습니다: @everyone',
        '• 이 서버는 아무도 멘션하지 않습니다.',
      ],
      en: [
        'The song template was not saved:',
        'unknown placeholder {{streamz}}',
        'mentions are not allowed in a template: it contains @everyone',
        'This server mentions nobody',
      ],
      allowed: [knownPlaceholders.join(', ')],
    },
    {
      name: '/layover-mod template set refused: too long for Discord',
      ask: async (locale) => {
        const { guildId } = await configuredGuild();
        const long = `${'Layover forever. '.repeat(110)}{{recordTitle}} {{subject}}`;
        return text(template(guildId, 'set', { kind: 'album', text: long }), locale);
      },
      ko: ['Discord에 올리기에는 너무 깁니다: 가장 긴 실제 영어 값으로 렌더링하면'],
      en: ['too long for Discord: renders to'],
    },
    {
      name: '/layover-mod template preview',
      ask: async (locale) => {
        const { guildId } = await configuredGuild();
        const preview = await answer(template(guildId, 'preview', { kind: 'album' }), locale);
        return `${preview.content}\n${preview.embeds[0]?.title ?? ''}`;
      },
      ko: [
        '앨범 합계 알림 미리 보기 · 사용한 문구: 기본 문구 (이 서버에는 이 종류의 템플릿이 없습니다)',
        '\n게시물 텍스트',
      ],
      en: ['Preview of a album total announcement with the built-in wording', '\nPost text'],
    },
    {
      name: '/layover-mod template reset of a saved template',
      ask: async (locale) => {
        const { guildId } = await configuredGuild();
        await answer(
          template(guildId, 'set', { kind: 'followers', text: '{{subject}} {{threshold}}!' }),
          'en-US',
        );
        return text(template(guildId, 'reset', { kind: 'followers' }), locale);
      },
      ko: ['이제 이 서버의 팔로워 알림은 다시 기본 문구를 씁니다.'],
      en: ['followers announcements here use the built-in wording again.'],
    },
    {
      name: '/layover-mod template reset without a template',
      ask: async (locale) =>
        text(template((await configuredGuild()).guildId, 'reset', { kind: 'views' }), locale),
      ko: ['이 서버에는 영상 조회수 템플릿이 없었습니다.'],
      en: ['This server had no video template'],
    },
    {
      name: '/layover-mod template of an unknown kind',
      ask: async (locale) =>
        text(template((await configuredGuild()).guildId, 'reset', { kind: 'likes' }), locale),
      ko: ['알 수 없는 마일스톤 종류입니다: "likes"'],
      en: ['Unknown milestone kind "likes".'],
    },
    {
      name: '/layover-mod template for X',
      ask: async (locale) =>
        text(template((await configuredGuild()).guildId, 'reset', { kind: 'album', platform: 'x' }), locale),
      ko: ['서버 템플릿은 Discord 게시물에만 쓸 수 있습니다.'],
      en: ['Server templates are for Discord posts only.'],
    },
    {
      name: '/layover-mod board on in a channel Discord no longer has',
      ask: (locale) => {
        const guildId = h.emulator.snowflake();
        const channelId = h.emulator.snowflake();
        return text(
          mod('on', guildId, {
            group: 'board',
            options: [{ type: ApplicationCommandOptionType.Channel, name: 'channel', value: channelId }],
            resolved: {
              channels: {
                [channelId]: {
                  id: channelId,
                  name: 'board',
                  type: ChannelType.GuildText,
                  permissions: '0',
                  app_permissions: botCanPost,
                },
              },
            },
          }),
          locale,
        );
      },
      ko: ['현황판을 게시하지 못했습니다: 채널이 삭제되었습니다.'],
      en: ['Could not post the board in <#', 'the channel was deleted.'],
    },
  ];

  it.each(cases.flatMap((c) => locales.map((locale) => [c.name, locale, c] as const)))(
    '%s (%s)',
    async (_name, locale, c) => {
      const said = await c.ask(locale);
      if (locale === 'ko') expectKorean(said, c.ko, c.allowed);
      else expectEnglish(said, c.en);
    },
  );
});
