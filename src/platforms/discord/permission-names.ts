import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { ReplyLanguage } from './interactions/reply-language.js';

/** The Discord permissions replies name, by their flag (a key of `PermissionFlagsBits`). */
export type NamedPermission =
  | 'Administrator'
  | 'ManageGuild'
  | 'ManageChannels'
  | 'ManageRoles'
  | 'ManageMessages'
  | 'ViewChannel'
  | 'SendMessages'
  | 'EmbedLinks'
  | 'AttachFiles'
  | 'ReadMessageHistory';

/**
 * Each permission as Discord's own clients name it in server and channel settings: the English client and the
 * Korean one. The one table replies take permission names from, so a name is worded one way everywhere.
 */
export const permissionNameTable: {
  readonly [P in NamedPermission]: { readonly en: string; readonly ko: string };
} = {
  Administrator: { en: 'Administrator', ko: '관리자' },
  ManageGuild: { en: 'Manage Server', ko: '서버 관리하기' },
  ManageChannels: { en: 'Manage Channels', ko: '채널 관리하기' },
  ManageRoles: { en: 'Manage Roles', ko: '역할 관리하기' },
  ManageMessages: { en: 'Manage Messages', ko: '메시지 관리' },
  ViewChannel: { en: 'View Channel', ko: '채널 보기' },
  SendMessages: { en: 'Send Messages', ko: '메시지 보내기' },
  EmbedLinks: { en: 'Embed Links', ko: '링크 첨부' },
  AttachFiles: { en: 'Attach Files', ko: '파일 첨부' },
  ReadMessageHistory: { en: 'Read Message History', ko: '메시지 기록 보기' },
};

/** What the bot needs in a channel it posts to (announcements, a live board). */
export const neededInChannel = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
] as const satisfies readonly NamedPermission[];

/** The permissions of `permissions` that `granted` (a permission bitfield) lacks, in the same order. */
export function lackedPermissions(
  granted: bigint,
  permissions: readonly NamedPermission[] = neededInChannel,
): NamedPermission[] {
  return permissions.filter((permission) => (granted & PermissionFlagsBits[permission]) === 0n);
}

/**
 * How a reply names `permission` in `language`: "Manage Server" in English; in Korean the name a Korean client shows,
 * with the English one in brackets, as moderators often follow English guides ("서버 관리하기(Manage Server)").
 */
export function permissionName(permission: NamedPermission, language: ReplyLanguage): string {
  const names = permissionNameTable[permission];
  return language === 'ko' ? `${names.ko}(${names.en})` : names.en;
}

/** {@link permissionName} in bold, as a refusal names the permission it is about ("**링크 첨부(Embed Links)**"). */
export function boldPermissionName(permission: NamedPermission, language: ReplyLanguage): string {
  return `**${permissionName(permission, language)}**`;
}

/** "View Channel, Send Messages or Embed Links", "채널 보기(View Channel), 메시지 보내기(Send Messages) 또는 …". */
export function eitherPermission(permissions: readonly NamedPermission[], language: ReplyLanguage): string {
  const names = permissions.map((permission) => permissionName(permission, language));
  const last = names.pop();
  if (last === undefined) return '';
  return names.length === 0 ? last : `${names.join(', ')} ${language === 'ko' ? '또는' : 'or'} ${last}`;
}
