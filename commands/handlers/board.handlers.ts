import { ChannelType } from 'discord-api-types/v10';
import { BoardUnusableError } from '../../src/platforms/discord/board/board-messages.js';
import { boardProblemText } from '../../src/platforms/discord/board/board-problems.js';
import type { BoardService } from '../../src/platforms/discord/board/board-service.js';
import {
  ReplyError,
  type HandlersFor,
  type ReplyLanguage,
} from '../../src/platforms/discord/interactions/command-types.js';
import { parsePermissions } from '../../src/platforms/discord/interactions/permissions.js';
import type { Texts } from '../../src/platforms/discord/interactions/reply-language.js';
import type { layoverModCommand } from '../layover-mod.command.js';
import type { LayoverServices } from '../services.js';
import { lacksNeededPermission, missingPermissions } from './layover-mod.texts.js';
import { requireManageServer } from './moderator.js';
import { findAlbum } from './progress.js';

type BoardSubcommand = 'board on' | 'board off';

/** "a minute", "every 90 seconds": how often a board may change, from the configured interval. */
function onceEvery(seconds: number, language: ReplyLanguage): string {
  if (language === 'ko') return seconds % 60 === 0 ? `${seconds / 60}분에 한 번` : `${seconds}초에 한 번`;
  if (seconds === 60) return 'once a minute';
  if (seconds === 1) return 'once a second';
  return seconds % 60 === 0 ? `once every ${seconds / 60} minutes` : `once every ${seconds} seconds`;
}

/** The board replies. */
interface BoardReplyTexts {
  readonly noToken: string;
  readonly pickText: string;
  readonly missing: (names: string, channel: string) => string;
  readonly noAlbum: (query: string) => string;
  readonly cannotPost: (channel: string, reason: string) => string;
  readonly posted: (channel: string, album: string, seconds: number) => string;
  readonly replaced: (channel: string) => string;
  readonly none: string;
  readonly removed: (channel: string) => string;
  readonly notDeleted: (channel: string) => string;
}

const words: Texts<BoardReplyTexts> = {
  en: {
    noToken:
      'This bot answers commands without a bot token (DISCORD_TOKEN is not set), so it cannot post or edit a board.',
    pickText: 'Pick a text or announcement channel.',
    missing: (names: string, channel: string) =>
      `I am missing ${names} in <#${channel}>. Grant it there and run \`/layover-mod board on\` again.`,
    noAlbum: (query: string) => `I don't track an album called "${query}".`,
    cannotPost: (channel: string, reason: string) => `Could not post the board in <#${channel}>: ${reason}.`,
    posted: (channel: string, album: string, seconds: number) =>
      `The live board of ${album} is posted in <#${channel}>. I edit it as new snapshots arrive (at most ${onceEvery(seconds, 'en')}); \`/layover-mod board off\` removes it.`,
    replaced: (channel: string) => `The previous board in <#${channel}> was deleted.`,
    none: 'This server has no live board.',
    removed: (channel: string) => `The live board in <#${channel}> is deleted; it is no longer updated.`,
    notDeleted: (channel: string) =>
      `The live board in <#${channel}> is no longer updated, but I could not delete its message: delete it by hand.`,
  },
  ko: {
    noToken:
      '이 봇은 봇 토큰 없이 명령에 답하고 있어(DISCORD_TOKEN 미설정) 현황판을 게시하거나 수정할 수 없습니다.',
    pickText: '텍스트 채널이나 공지 채널을 선택하세요.',
    missing: (names: string, channel: string) =>
      `<#${channel}>에서 ${names} 권한이 없습니다. 권한을 준 뒤 \`/layover-mod board on\`을 다시 실행하세요.`,
    noAlbum: (query: string) => `"${query}" 앨범은 추적하지 않습니다.`,
    cannotPost: (channel: string, reason: string) =>
      `<#${channel}>에 현황판을 게시하지 못했습니다: ${reason}.`,
    posted: (channel: string, album: string, seconds: number) =>
      `${album} 실시간 현황판을 <#${channel}>에 게시했습니다. 새 스냅샷이 오면 수정합니다(최대 ${onceEvery(seconds, 'ko')}). \`/layover-mod board off\`로 삭제할 수 있습니다.`,
    replaced: (channel: string) => `<#${channel}>의 이전 현황판은 삭제했습니다.`,
    none: '이 서버에는 실시간 현황판이 없습니다.',
    removed: (channel: string) => `<#${channel}>의 실시간 현황판을 삭제했습니다. 더 이상 갱신하지 않습니다.`,
    notDeleted: (channel: string) =>
      `<#${channel}>의 실시간 현황판은 더 이상 갱신하지 않지만 메시지를 삭제하지 못했습니다. 직접 삭제해 주세요.`,
  },
};

function boardsOf(services: LayoverServices): BoardService {
  const boards = services.boards ?? null;
  if (boards === null) throw ReplyError.of(words, (t) => t.noToken);
  return boards;
}

/** `/layover-mod board on|off`: the server's live status board. Answers are ephemeral, like every `/layover-mod`. */
export const boardHandlers: Pick<HandlersFor<typeof layoverModCommand, LayoverServices>, BoardSubcommand> = {
  async 'board on'({ options, services, reply, defer, guildId, memberPermissions, language }) {
    const w = words[language];
    const guild = requireManageServer(guildId, memberPermissions);
    const channel = options.channel;
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      throw ReplyError.of(words, (t) => t.pickText);
    }
    // Unknown permissions (none sent) are left to the post itself, which says what went wrong.
    const bot = parsePermissions(channel.app_permissions);
    if (bot !== null) {
      if (lacksNeededPermission(bot)) {
        throw ReplyError.of(words, (t, l) => t.missing(missingPermissions(bot, l).join(', '), channel.id));
      }
    }
    const found = findAlbum(services.trackings, options.album);
    if (found === null) throw ReplyError.of(words, (t) => t.noAlbum(options.album ?? ''));
    const boards = boardsOf(services);
    await defer({ ephemeral: true });
    // The board speaks the server's announcement language when it has one, else the moderator's.
    const settings = await services.guilds.get(guild);
    try {
      const { replaced } = await boards.open({
        guildId: guild,
        channelId: channel.id,
        artistId: found.tracking.artist.id,
        albumId: found.album.id,
        language: settings?.language ?? language,
      });
      const album = language === 'ko' ? (found.album.titleKo ?? found.album.title) : found.album.title;
      await reply({
        content: [
          w.posted(channel.id, album, Math.max(1, Math.round(boards.editIntervalMs / 1000))),
          ...(replaced === null ? [] : [w.replaced(replaced.channelId)]),
        ].join('\n'),
      });
    } catch (error) {
      if (error instanceof BoardUnusableError) {
        throw ReplyError.of(words, (t, l) => t.cannotPost(channel.id, boardProblemText(error.problem, l)));
      }
      throw error;
    }
  },

  async 'board off'({ services, reply, guildId, memberPermissions, language }) {
    const w = words[language];
    const guild = requireManageServer(guildId, memberPermissions);
    const closed = await boardsOf(services).close(guild);
    if (closed === null) {
      await reply({ content: w.none });
      return;
    }
    await reply({
      content: closed.deleted ? w.removed(closed.board.channelId) : w.notDeleted(closed.board.channelId),
    });
  },
};
