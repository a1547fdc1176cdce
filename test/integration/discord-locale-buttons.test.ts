import { ApplicationCommandType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftIdOf } from '../../src/platforms/discord/approval/approval-store.js';
import { approvalCustomId, type ApprovalAction } from '../../src/platforms/discord/approval/draft-message.js';
import { buttonInteraction, modalSubmitInteraction } from '../helpers/discord-component-interactions.js';
import { chatInputInteraction, interactionKeyPair } from '../../emulators/discord-interactions.js';
import { postInteraction, startInteractionsApp, type InteractionsApp } from '../helpers/interactions-app.js';
import { expectEnglish, expectKorean } from '../helpers/locale-checks.js';
import { uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

const keys = interactionKeyPair();
const manageServer = String(PermissionFlagsBits.ManageGuild);
const modGuild = '200000000000000088';
const locales = ['ko', 'en-US'] as const;
type Locale = (typeof locales)[number];

interface LocaleCase {
  readonly name: string;
  readonly ask: (locale: Locale) => Promise<string>;
  readonly ko: readonly string[];
  readonly en: readonly string[];
}

describe('Korean: buttons, the X draft buttons and their modal follow the clicker’s locale', () => {
  const prefix = uniquePrefix('locale-buttons');
  let h: InteractionsApp;
  let modChannel: string;
  let drafts = 0;

  beforeAll(async () => {
    h = await startInteractionsApp({
      prefix,
      publicKeyHex: keys.publicKeyHex,
      tracking: layoverTracking(),
      modChannelGuildId: modGuild,
      // One draft per case and locale, all in the moderators' channel.
      messagesPerChannel: 100,
    });
    modChannel = h.modChannelId!;
  });

  afterAll(async () => {
    await h.close();
  });

  /** The first answer to `interaction` in `locale`, as words: content, or a modal's title, label and help. */
  const said = async (interaction: Record<string, unknown>, locale: Locale): Promise<string> => {
    const res = await postInteraction(h.app, h.emulator, keys.privateKey, { ...interaction, locale });
    expect(res.statusCode).toBe(200);
    const { data } = res.json<{
      data: {
        content?: string;
        title?: string;
        components?: { label?: string; description?: string }[];
      };
    }>();
    return [data.content, data.title, ...(data.components ?? []).flatMap((c) => [c.label, c.description])]
      .filter((part): part is string => typeof part === 'string')
      .join('\n');
  };

  /** Puts a fresh X draft (Korean text) to the moderators' channel; returns its id and message. */
  const draft = async (): Promise<{ draftId: string; messageId: string }> => {
    drafts += 1;
    const key = `${prefix}#${drafts}`;
    const text = `레이오버 스포티파이 ${drafts}억 회 돌파 💜 #V`;
    await h.discord.moderators!.approval.review({
      key,
      text,
      milestoneIds: [`v/album:layover/${drafts}00000000`],
      destination: 'x:4242',
    });
    const message = await until('the draft in the moderators’ channel', () =>
      h.emulator.messagesIn(modChannel).find((m) => m.content.includes(text)),
    );
    return { draftId: draftIdOf(key), messageId: message.id };
  };

  const click = (
    target: { draftId: string; messageId: string },
    action: ApprovalAction,
    more: { permissions?: string; channelId?: string } = {},
  ) =>
    buttonInteraction({
      customId: approvalCustomId(action, target.draftId),
      permissions: more.permissions ?? manageServer,
      channelId: more.channelId ?? modChannel,
      guildId: modGuild,
      messageId: target.messageId,
    });

  const submitEdit = (target: { draftId: string; messageId: string }, value: string) =>
    modalSubmitInteraction({
      customId: approvalCustomId('edited', target.draftId),
      fieldId: 'text',
      value,
      permissions: manageServer,
      channelId: modChannel,
      guildId: modGuild,
      messageId: target.messageId,
    });

  const cases: LocaleCase[] = [
    {
      name: 'a button this version does not know',
      ask: (locale) =>
        said(
          buttonInteraction({
            customId: 'nope:1',
            permissions: '0',
            channelId: modChannel,
            guildId: modGuild,
            messageId: '1',
          }),
          locale,
        ),
      ko: ['이 버전의 봇이 모르는 버튼입니다.'],
      en: ['This button is not known to this version of the bot.'],
    },
    {
      name: 'a status page button of an album no longer tracked',
      ask: (locale) =>
        said(
          buttonInteraction({
            customId: 'layover:status:gone-album:1',
            permissions: '0',
            channelId: modChannel,
            guildId: modGuild,
            messageId: '1',
          }),
          locale,
        ),
      ko: ['더 이상 추적하지 않는 앨범입니다.'],
      en: ['This album is no longer tracked.'],
    },
    {
      name: 'a kind of command the bot does not handle',
      ask: (locale) => {
        const command = chatInputInteraction({ command: 'layover', subcommand: 'status' });
        return said(
          { ...command, data: { ...(command.data as object), type: ApplicationCommandType.User } },
          locale,
        );
      },
      ko: ['지원하지 않는 종류의 상호작용입니다.'],
      en: ['This kind of interaction is not supported.'],
    },
    {
      name: 'an X draft decided outside the moderators’ channel',
      ask: async (locale) => {
        const elsewhere = h.emulator.addChannel({ guildId: modGuild }).id;
        return said(click(await draft(), 'approve', { channelId: elsewhere }), locale);
      },
      ko: ['X 초안은 운영진 채널에서만 결정할 수 있습니다.'],
      en: ['X drafts are decided in the moderators’ channel only.'],
    },
    {
      name: 'an X draft decided by a member without Manage Server',
      ask: async (locale) => said(click(await draft(), 'skip', { permissions: '0' }), locale),
      ko: ['서버 관리하기(Manage Server) 권한이 있는 멤버만 X 초안을 결정할 수 있습니다.'],
      en: ['Only members with Manage Server can decide on X drafts.'],
    },
    {
      name: 'an X draft no longer known',
      ask: (locale) => said(click({ draftId: 'f'.repeat(20), messageId: '1' }, 'approve'), locale),
      ko: ['더 이상 찾을 수 없는 초안입니다'],
      en: ['This draft is no longer known'],
    },
    {
      name: 'the Edit button’s modal',
      ask: async (locale) => said(click(await draft(), 'edit'), locale),
      ko: ['X 게시물 수정', 'X에 올릴 텍스트', 'X의 글자 수 규칙으로 확인하며'],
      en: ['Edit the X post', 'Text to post on X', 'Checked with X’s length rule'],
    },
    {
      name: 'an empty edit',
      ask: async (locale) => said(submitEdit(await draft(), '   '), locale),
      ko: ['수정한 텍스트가 비어 있어 아무것도 결정하지 않았습니다.'],
      en: ['The edited text was empty; nothing was decided.'],
    },
    {
      name: 'an edit too long for X, approved',
      ask: async (locale) => said(submitEdit(await draft(), '태형아 축하해 '.repeat(30)), locale),
      ko: ['**X 게시물 승인됨**', 'mod 님이 수정해서 승인했습니다.', '참고: 이 텍스트는 X 기준 '],
      en: ['**X post approved**', 'Approved by mod, with an edit.', 'Note: this text is '],
    },
    {
      name: 'Skip',
      ask: async (locale) => said(click(await draft(), 'skip'), locale),
      ko: [
        '**X 게시물 건너뜀**',
        '마일스톤: `v/album:layover/',
        'mod 님이 건너뛰었습니다: X에는 아무것도 올리지 않습니다.',
      ],
      en: ['**X post skipped**', 'Milestones: `v/album:layover/', 'Skipped by mod: nothing goes to X.'],
    },
    {
      name: 'a click on a draft already decided',
      ask: async (locale) => {
        const target = await draft();
        await said(click(target, 'approve'), 'en-US');
        return said(click(target, 'skip'), locale);
      },
      ko: ['이미 결정되었습니다: mod 님이 승인했습니다.'],
      en: ['Already decided: Approved by mod.'],
    },
  ];

  it.each(cases.flatMap((c) => locales.map((locale) => [c.name, locale, c] as const)))(
    '%s (%s)',
    async (_name, locale, c) => {
      const words = await c.ask(locale);
      if (locale === 'ko') expectKorean(words, c.ko);
      else expectEnglish(words.replace(/> .*/g, ''), c.en);
    },
  );
});
