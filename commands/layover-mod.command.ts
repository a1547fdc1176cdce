import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { kindTable, milestoneKinds } from '../src/milestone-kinds.js';

/** `/layover-mod kinds`: one on/off option per kind of the kinds table. */
const kindOptions = milestoneKinds.map(
  (kind) =>
    ({
      type: ApplicationCommandOptionType.Boolean,
      name: kindTable[kind].command.option,
      description: kindTable[kind].command.description,
    }) as const,
);

/** `kind:` of the template subcommands: every kind of the kinds table, valued by the kind itself. */
const kindChoices = milestoneKinds.map((kind) => ({ name: kindTable[kind].command.choice, value: kind }));

/**
 * `/layover-mod`: server settings. A separate command because Discord applies `default_member_permissions` to a
 * whole command, never to one subcommand: fans keep `/layover`, and only members with Manage Server see this one.
 * The handlers check the member's permissions again, as server admins can widen who sees a command.
 */
export const layoverModCommand = {
  name: 'layover-mod',
  description: 'Set up Layover milestone announcements for this server',
  description_localizations: { ko: '이 서버의 Layover 마일스톤 알림 설정' },
  contexts: [0],
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'setup',
      description: 'Choose the channel (and optionally a role to mention) for announcements',
      description_localizations: { ko: '알림 채널(과 멘션할 역할) 선택' },
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'Where announcements go',
          required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: ApplicationCommandOptionType.Role,
          name: 'role',
          description: 'A role to mention in each announcement (never @everyone)',
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'language',
          description: 'Announcement language',
          choices: [
            { name: 'English', value: 'en' },
            { name: '한국어', value: 'ko' },
          ],
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'crosspost',
          description: 'In an Announcement channel, publish each post to following servers',
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'kinds',
      description: 'Choose which milestone kinds this server receives (no options: show them)',
      description_localizations: { ko: '이 서버가 받을 마일스톤 종류 선택 (옵션 없음: 현재 설정 보기)' },
      options: kindOptions,
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'pause',
      description: 'Stop announcements here for now',
      description_localizations: { ko: '이 서버의 알림 잠시 중지' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'resume',
      description: 'Announce here again',
      description_localizations: { ko: '알림 다시 시작' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Show what X posting used of its daily budget (posts and money)',
      description_localizations: { ko: 'X 게시의 일일 예산 사용량 보기 (게시물 수와 비용)' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'test',
      description: 'Send a sample announcement to the configured channel, without pinging anyone',
      description_localizations: { ko: '설정된 채널에 멘션 없이 샘플 알림 보내기' },
    },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'board',
      description: 'A live status board: one message the bot keeps up to date as snapshots arrive',
      description_localizations: { ko: '실시간 현황판: 스냅샷이 올 때마다 봇이 갱신하는 메시지 하나' },
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'on',
          description: 'Post the album’s live board in a channel (it replaces this server’s board)',
          description_localizations: { ko: '채널에 앨범 실시간 현황판 게시 (이 서버의 기존 현황판을 대체)' },
          options: [
            {
              type: ApplicationCommandOptionType.Channel,
              name: 'channel',
              description: 'Where the board goes',
              description_localizations: { ko: '현황판을 게시할 채널' },
              required: true,
              channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'album',
              description: 'Album title or id (default: the latest album)',
              description_localizations: { ko: '앨범 제목 또는 id (기본: 최신 앨범)' },
              max_length: 100,
              autocomplete: true,
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'off',
          description: 'Delete this server’s live board and stop updating it',
          description_localizations: { ko: '이 서버의 실시간 현황판을 삭제하고 갱신 중지' },
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'template',
      description: 'This server’s own wording for a milestone kind',
      description_localizations: { ko: '마일스톤 종류별 이 서버만의 문구' },
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'set',
          description: 'Replace the built-in wording (checked before it is saved)',
          description_localizations: { ko: '기본 문구 바꾸기 (저장 전에 검사)' },
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'kind',
              description: 'Which milestone kind',
              required: true,
              choices: kindChoices,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'text',
              description: 'Mustache template, e.g. {{subject}} passed {{threshold}} streams {{inDays}}!',
              required: true,
              max_length: 4000,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'platform',
              description: 'Which platform’s post (default Discord)',
              choices: [{ name: 'Discord', value: 'discord' }],
            }, // only Discord: X posts go to one account, not per server
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'preview',
          description: 'Show a sample announcement with this server’s wording',
          description_localizations: { ko: '이 서버 문구로 샘플 알림 미리보기' },
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'kind',
              description: 'Which milestone kind',
              required: true,
              choices: kindChoices,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'platform',
              description: 'Which platform’s post (default Discord)',
              choices: [{ name: 'Discord', value: 'discord' }],
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'reset',
          description: 'Go back to the built-in wording',
          description_localizations: { ko: '기본 문구로 되돌리기' },
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'kind',
              description: 'Which milestone kind',
              required: true,
              choices: kindChoices,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'platform',
              description: 'Which platform’s post (default Discord)',
              choices: [{ name: 'Discord', value: 'discord' }],
            },
          ],
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
