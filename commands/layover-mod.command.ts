import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { albumOption } from './album-option.js';
import { kindTable, milestoneKinds } from '../src/milestone-kinds.js';

/** `/layover-mod kinds`: one on/off option per kind of the kinds table. */
const kindOptions = milestoneKinds.map(
  (kind) =>
    ({
      type: ApplicationCommandOptionType.Boolean,
      name: kindTable[kind].command.option,
      name_localizations: { ko: kindTable[kind].command.optionKo },
      description: kindTable[kind].command.description,
      description_localizations: { ko: kindTable[kind].command.descriptionKo },
    }) as const,
);

/** `kind:` of the template subcommands: every kind of the kinds table, valued by the kind itself. */
const kindChoices = milestoneKinds.map((kind) => ({
  name: kindTable[kind].command.choice,
  name_localizations: { ko: kindTable[kind].command.nounKo },
  value: kind,
}));

/** The `kind:` option of `template set|preview|reset`. */
const kindOption = {
  type: ApplicationCommandOptionType.String,
  name: 'kind',
  name_localizations: { ko: '종류' },
  description: 'Which milestone kind',
  description_localizations: { ko: '어느 마일스톤 종류' },
  required: true,
  choices: kindChoices,
} as const;

/** The platforms a server words itself: only Discord, as X posts go to one account, not per server. */
const platformChoices = [{ name: 'Discord', name_localizations: { ko: '디스코드' }, value: 'discord' }];

/** The `platform:` option of `template set|preview|reset`. */
const platformOption = {
  type: ApplicationCommandOptionType.String,
  name: 'platform',
  name_localizations: { ko: '플랫폼' },
  description: 'Which platform’s post (default Discord)',
  description_localizations: { ko: '어느 플랫폼의 게시물인지 (기본: Discord)' },
  choices: platformChoices,
} as const;

/**
 * `/layover-mod`: server settings. A separate command because Discord applies `default_member_permissions` to a
 * whole command, never to one subcommand: fans keep `/layover`, and only members with Manage Server see this one.
 * The handlers check the member's permissions again, as server admins can widen who sees a command.
 */
export const layoverModCommand = {
  name: 'layover-mod',
  name_localizations: { ko: '레이오버-관리' },
  description: 'Set up Layover milestone announcements for this server',
  description_localizations: { ko: '이 서버의 Layover 마일스톤 알림 설정' },
  contexts: [0],
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'setup',
      name_localizations: { ko: '설정' },
      description: 'Choose the channel (and optionally a role to mention) for announcements',
      description_localizations: { ko: '알림 채널(과 멘션할 역할) 선택' },
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          name_localizations: { ko: '채널' },
          description: 'Where announcements go',
          description_localizations: { ko: '알림을 올릴 채널' },
          required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: ApplicationCommandOptionType.Role,
          name: 'role',
          name_localizations: { ko: '역할' },
          description: 'A role to mention in each announcement (never @everyone)',
          description_localizations: { ko: '알림마다 멘션할 역할 (@everyone은 안 됨)' },
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'language',
          name_localizations: { ko: '언어' },
          description: 'Announcement language',
          description_localizations: { ko: '알림 언어' },
          choices: [
            { name: 'English', name_localizations: { ko: '영어' }, value: 'en' },
            { name: '한국어', name_localizations: { ko: '한국어' }, value: 'ko' },
          ],
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'crosspost',
          name_localizations: { ko: '크로스포스트' },
          description: 'In an Announcement channel, publish each post to following servers',
          description_localizations: { ko: '공지 채널이면 각 게시물을 팔로우하는 서버에도 발행' },
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'kinds',
      name_localizations: { ko: '종류' },
      description: 'Choose which milestone kinds this server receives (no options: show them)',
      description_localizations: { ko: '이 서버가 받을 마일스톤 종류 선택 (옵션 없음: 현재 설정 보기)' },
      options: kindOptions,
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'pause',
      name_localizations: { ko: '일시중지' },
      description: 'Stop announcements here for now',
      description_localizations: { ko: '이 서버의 알림 잠시 중지' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'resume',
      name_localizations: { ko: '재개' },
      description: 'Announce here again',
      description_localizations: { ko: '알림 다시 시작' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      name_localizations: { ko: '상태' },
      description: 'Show what X posting used of its daily budget (posts and money)',
      description_localizations: { ko: 'X 게시의 일일 예산 사용량 보기 (게시물 수와 비용)' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'test',
      name_localizations: { ko: '테스트' },
      description: 'Send a sample announcement to the configured channel, without pinging anyone',
      description_localizations: { ko: '설정된 채널에 멘션 없이 샘플 알림 보내기' },
    },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'board',
      name_localizations: { ko: '현황판' },
      description: 'A live status board: one message the bot keeps up to date as snapshots arrive',
      description_localizations: { ko: '실시간 현황판: 스냅샷이 올 때마다 봇이 갱신하는 메시지 하나' },
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'on',
          name_localizations: { ko: '켜기' },
          description: 'Post the album’s live board in a channel (it replaces this server’s board)',
          description_localizations: { ko: '채널에 앨범 실시간 현황판 게시 (이 서버의 기존 현황판을 대체)' },
          options: [
            {
              type: ApplicationCommandOptionType.Channel,
              name: 'channel',
              name_localizations: { ko: '채널' },
              description: 'Where the board goes',
              description_localizations: { ko: '현황판을 게시할 채널' },
              required: true,
              channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
            },
            albumOption,
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'off',
          name_localizations: { ko: '끄기' },
          description: 'Delete this server’s live board and stop updating it',
          description_localizations: { ko: '이 서버의 실시간 현황판을 삭제하고 갱신 중지' },
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'template',
      name_localizations: { ko: '템플릿' },
      description: 'This server’s own wording for a milestone kind',
      description_localizations: { ko: '마일스톤 종류별 이 서버만의 문구' },
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'set',
          name_localizations: { ko: '설정' },
          description: 'Replace the built-in wording (checked before it is saved)',
          description_localizations: { ko: '기본 문구 바꾸기 (저장 전에 검사)' },
          options: [
            kindOption,
            {
              type: ApplicationCommandOptionType.String,
              name: 'text',
              name_localizations: { ko: '문구' },
              description: 'Mustache template, e.g. {{subject}} passed {{threshold}} streams {{inDays}}!',
              description_localizations: {
                ko: 'Mustache 템플릿. 예: {{subject}} {{threshold}}회 돌파 {{inDays}}!',
              },
              required: true,
              max_length: 4000,
            },
            platformOption,
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'preview',
          name_localizations: { ko: '미리보기' },
          description: 'Show a sample announcement with this server’s wording',
          description_localizations: { ko: '이 서버 문구로 샘플 알림 미리보기' },
          options: [kindOption, platformOption],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'reset',
          name_localizations: { ko: '초기화' },
          description: 'Go back to the built-in wording',
          description_localizations: { ko: '기본 문구로 되돌리기' },
          options: [kindOption, platformOption],
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
