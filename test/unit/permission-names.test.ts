import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { layoverModTexts, missingPermissions } from '../../commands/handlers/layover-mod.texts.js';
import { approvalTexts } from '../../src/platforms/discord/approval/approval-texts.js';
import { boardProblemText } from '../../src/platforms/discord/board/board-problems.js';
import {
  eitherPermission,
  lackedPermissions,
  neededInChannel,
  permissionName,
  permissionNameTable,
  type NamedPermission,
} from '../../src/platforms/discord/permission-names.js';

/** What Discord's English and Korean clients call each permission in server and channel settings. */
const discordClientNames: Record<string, readonly [string, string]> = {
  ManageGuild: ['Manage Server', '서버 관리하기'],
  ManageChannels: ['Manage Channels', '채널 관리하기'],
  SendMessages: ['Send Messages', '메시지 보내기'],
  EmbedLinks: ['Embed Links', '링크 첨부'],
  AttachFiles: ['Attach Files', '파일 첨부'],
  ViewChannel: ['View Channel', '채널 보기'],
  ManageMessages: ['Manage Messages', '메시지 관리'],
  ReadMessageHistory: ['Read Message History', '메시지 기록 보기'],
  ManageRoles: ['Manage Roles', '역할 관리하기'],
  Administrator: ['Administrator', '관리자'],
};

const HANGUL = /[\uAC00-\uD7A3]/;
const permissions = Object.keys(permissionNameTable) as NamedPermission[];

/**
 * Where `text` names a permission other than as the table's Korean form: a Korean name (or an English one, in a
 * Korean text) not written `서버 관리하기(Manage Server)`.
 */
function offTableNames(text: string): string[] {
  const problems: string[] = [];
  for (const permission of permissions) {
    const { en, ko } = permissionNameTable[permission];
    const expected = `${ko}(${en})`;
    const rest = text.split(expected).join(' ');
    // "관리자" would also match inside a longer word; no reply uses one.
    if (rest.includes(ko)) problems.push(`"${ko}" without "(${en})" right after it`);
    if (rest.includes(en)) problems.push(`"${en}" without "${ko}" before it`);
  }
  return problems;
}

describe('permission names', () => {
  it('are the ones Discord’s English and Korean clients show, for real permission flags', () => {
    expect(
      Object.fromEntries(permissions.map((p) => [p, [permissionNameTable[p].en, permissionNameTable[p].ko]])),
    ).toEqual(discordClientNames);
    for (const permission of permissions) expect(typeof PermissionFlagsBits[permission]).toBe('bigint');
    expect(permissionName('ManageGuild', 'en')).toBe('Manage Server');
    expect(permissionName('ManageGuild', 'ko')).toBe('서버 관리하기(Manage Server)');
    expect(eitherPermission(neededInChannel, 'en')).toBe('View Channel, Send Messages or Embed Links');
    expect(eitherPermission(['AttachFiles'], 'ko')).toBe('파일 첨부(Attach Files)');
  });

  it('are found missing from a bitfield in the order the bot needs them', () => {
    const all =
      PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks;
    expect(lackedPermissions(all)).toEqual([]);
    expect(lackedPermissions(0n)).toEqual(['ViewChannel', 'SendMessages', 'EmbedLinks']);
    expect(lackedPermissions(PermissionFlagsBits.SendMessages)).toEqual(['ViewChannel', 'EmbedLinks']);
    expect(lackedPermissions(all, ['AttachFiles', 'EmbedLinks'])).toEqual(['AttachFiles']);
  });

  /** Every reply that names a permission, in Korean and in English, with the permissions it must name. */
  const replies = (language: 'en' | 'ko'): [string, readonly NamedPermission[]][] => [
    [layoverModTexts[language].needManageServer, ['ManageGuild']],
    [layoverModTexts[language].noAttachFiles('1'), ['AttachFiles']],
    [layoverModTexts[language].missing(missingPermissions(0n, language).join(', '), '1'), neededInChannel],
    [boardProblemText('missingPermission', language), neededInChannel],
    [approvalTexts[language].notAllowed, ['ManageGuild']],
  ];

  it('are written the same way in every Korean reply: the Korean client’s name, the English one in brackets', () => {
    for (const [text, named] of replies('ko')) {
      expect(text).toMatch(HANGUL);
      expect(offTableNames(text), text).toEqual([]);
      for (const permission of named) expect(text).toContain(permissionName(permission, 'ko'));
    }
    expect(layoverModTexts.ko.needManageServer).toContain(
      '**서버 관리하기(Manage Server)** 권한이 필요합니다',
    );
  });

  it('are the English client’s names in every English reply', () => {
    for (const [text, named] of replies('en')) {
      expect(text).not.toMatch(HANGUL);
      for (const permission of named) expect(text).toContain(permissionNameTable[permission].en);
    }
  });

  it('are written nowhere in the product’s Korean texts but through the table', () => {
    const files = ['commands', 'src'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(50);
    const written = files
      .filter((file) => !file.endsWith(join('discord', 'permission-names.ts')))
      .flatMap((file) =>
        permissions
          .filter((p) => readFileSync(file, 'utf8').includes(permissionNameTable[p].ko))
          .map((p) => `${file}: ${permissionNameTable[p].ko}`),
      );
    expect(written).toEqual([]);
  });
});
