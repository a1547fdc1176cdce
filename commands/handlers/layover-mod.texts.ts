import { kindTable } from '../../src/milestone-kinds.js';
import type { MilestoneKind } from '../../src/milestones/types.js';
import type { ReplyLanguage, Texts } from '../../src/platforms/discord/interactions/reply-language.js';
import { boldPermissionName, lackedPermissions } from '../../src/platforms/discord/permission-names.js';

/** Whether `granted` lacks any permission the bot needs in a channel it posts to. */
export function lacksNeededPermission(granted: bigint): boolean {
  return lackedPermissions(granted).length > 0;
}

/** `**View Channel**, **Embed Links**`: the needed permissions missing from `granted`, bold, in `language`. */
export function missingPermissions(granted: bigint, language: ReplyLanguage): string[] {
  return lackedPermissions(granted).map((permission) => boldPermissionName(permission, language));
}

/** How a reply names a kind: the `/layover-mod kinds` option in English, the Korean noun in Korean. */
export function kindName(kind: MilestoneKind, language: ReplyLanguage): string {
  return language === 'ko' ? kindTable[kind].command.nounKo : kindTable[kind].command.option;
}

/** A server's settings as `/layover-mod setup` and `kinds` show them. */
export interface SettingsView {
  readonly channelId: string;
  readonly crossposted: boolean;
  readonly roleId: string | null;
  readonly language: ReplyLanguage;
  /** The kinds turned on, in the kinds table's order. */
  readonly kinds: readonly MilestoneKind[];
  readonly paused: boolean;
}

/** Why `/layover-mod test` could not post its sample. */
export interface SampleFailure {
  /** What the channel's recorded health says, when the failure marked it; null for another refusal. */
  readonly problem: 'gone' | 'missing-permission' | null;
  /** Discord's error as it came (e.g. "Unknown Channel (10003)"), with a problem. */
  readonly detail: string;
  /** The publisher's reason, in English. */
  readonly reason: string;
}

/** The texts of `/layover-mod` (setup, kinds, pause, resume, test) and of the moderator checks. */
export interface LayoverModTexts {
  readonly inServer: string;
  readonly needManageServer: string;
  readonly setupFirst: string;
  readonly settings: (s: SettingsView) => string;
  readonly setUp: string;
  readonly pickChannel: string;
  readonly pickRole: string;
  readonly cannotCheck: string;
  readonly missing: (names: string, channelId: string) => string;
  readonly noAttachFiles: (channelId: string) => string;
  readonly paused: string;
  readonly resumed: string;
  readonly noToken: string;
  readonly noArtist: string;
  readonly noAlbum: string;
  readonly sampleSent: (channelId: string, messageId: string) => string;
  readonly cannotPost: (channelId: string, failure: SampleFailure) => string;
}

export const layoverModTexts: Texts<LayoverModTexts> = {
  en: {
    inServer: 'Use this command in a server.',
    needManageServer: `You need the ${boldPermissionName('ManageGuild', 'en')} permission to change Layover settings.`,
    setupFirst: 'Run `/layover-mod setup` first.',
    settings: (s) => {
      const kinds = s.kinds.map((kind) => kindName(kind, 'en'));
      return [
        `Channel: <#${s.channelId}>${s.crossposted ? ' (crossposted)' : ''}`,
        `Mention: ${s.roleId === null ? 'nobody' : `<@&${s.roleId}>`}`,
        `Language: ${s.language === 'ko' ? '한국어' : 'English'}`,
        `Kinds: ${kinds.length === 0 ? 'none' : kinds.join(', ')}`,
        `Announcements: ${s.paused ? 'paused' : 'on'}`,
      ].join('\n');
    },
    setUp: 'Layover announcements are set up.',
    pickChannel: 'Pick a text or announcement channel.',
    pickRole: 'Pick a regular role to mention; @everyone and bot roles cannot be used.',
    cannotCheck: 'I could not check my permissions in that channel; `/layover-mod test` will tell.',
    missing: (names, channelId) =>
      `I am missing ${names} in <#${channelId}>. Grant it there and run setup again.`,
    noAttachFiles: (channelId) =>
      `Without ${boldPermissionName('AttachFiles', 'en')} in <#${channelId}>, announcements go out without their milestone card.`,
    paused: 'Announcements are paused here. `/layover-mod resume` turns them back on.',
    resumed: 'Announcements are on again.',
    noToken:
      'This bot answers commands without a bot token (DISCORD_TOKEN is not set), so it cannot post in a channel.',
    noArtist: 'No artist is tracked.',
    noAlbum: 'No album is tracked.',
    sampleSent: (channelId, messageId) =>
      `Sent a sample to <#${channelId}> (message ${messageId}), without pinging.`,
    cannotPost: (channelId, failure) => `Could not post in <#${channelId}>: ${failure.reason}`,
  },
  ko: {
    inServer: '서버 안에서 쓰는 명령입니다.',
    needManageServer: `Layover 설정을 바꾸려면 ${boldPermissionName('ManageGuild', 'ko')} 권한이 필요합니다.`,
    setupFirst: '먼저 `/layover-mod setup`을 실행해 주세요.',
    settings: (s) => {
      const kinds = s.kinds.map((kind) => `${kindName(kind, 'ko')}(${kindTable[kind].command.option})`);
      return [
        `알림 채널: <#${s.channelId}>${s.crossposted ? ' (크로스포스트)' : ''}`,
        `멘션: ${s.roleId === null ? '없음' : `<@&${s.roleId}>`}`,
        `언어: ${s.language === 'ko' ? '한국어' : 'English'}`,
        `마일스톤 종류: ${kinds.length === 0 ? '없음' : kinds.join(', ')}`,
        `알림: ${s.paused ? '일시 중지' : '켜짐'}`,
      ].join('\n');
    },
    setUp: 'Layover 알림 설정을 마쳤습니다.',
    pickChannel: '텍스트 채널이나 공지 채널을 선택해 주세요.',
    pickRole: '멘션할 일반 역할을 선택해 주세요. @everyone과 봇 역할은 쓸 수 없습니다.',
    cannotCheck: '그 채널에서 봇 권한을 확인하지 못했습니다. `/layover-mod test`로 확인할 수 있습니다.',
    missing: (names, channelId) =>
      `<#${channelId}>에서 봇에게 ${names} 권한이 없습니다. 채널에서 권한을 준 뒤 setup을 다시 실행해 주세요.`,
    noAttachFiles: (channelId) =>
      `<#${channelId}>에 ${boldPermissionName('AttachFiles', 'ko')} 권한이 없으면 알림이 마일스톤 카드 없이 올라갑니다.`,
    paused: '이 서버의 알림을 일시 중지했습니다. `/layover-mod resume`으로 다시 켤 수 있습니다.',
    resumed: '알림을 다시 켰습니다.',
    noToken: '이 봇은 봇 토큰 없이 명령에 답하고 있어(DISCORD_TOKEN 미설정) 채널에 글을 올릴 수 없습니다.',
    noArtist: '추적 중인 아티스트가 없습니다.',
    noAlbum: '추적 중인 앨범이 없습니다.',
    sampleSent: (channelId, messageId) =>
      `<#${channelId}>에 샘플을 올렸습니다 (메시지 ${messageId}). 아무도 멘션하지 않았습니다.`,
    cannotPost: (channelId, failure) => {
      const why =
        failure.problem === 'gone'
          ? `채널이 더 이상 없습니다 (${failure.detail})`
          : failure.problem === 'missing-permission'
            ? `봇에게 이 채널 권한이 없습니다 (${failure.detail})`
            : `Discord가 거부했습니다 (${failure.reason})`;
      return `<#${channelId}>에 글을 올리지 못했습니다: ${why}`;
    },
  },
};
