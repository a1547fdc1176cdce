import type { ReplyLanguage, Texts } from '../interactions/reply-language.js';

/** Why a live board can no longer be posted or edited, from Discord's error code. */
export type BoardProblem = 'channelGone' | 'botLeft' | 'messageGone' | 'noAccess' | 'missingPermission';

/** Discord error codes after which a board cannot be posted or edited. */
export const boardProblemOfCode: ReadonlyMap<number, BoardProblem> = new Map([
  [10003, 'channelGone'],
  [10004, 'botLeft'],
  [10008, 'messageGone'],
  [50001, 'noAccess'],
  [50013, 'missingPermission'],
]);

/** Each problem in words for moderators: the `board on` answer and the notice when a board is dropped. */
const problemTexts: Texts<Readonly<Record<BoardProblem, string>>> = {
  en: {
    channelGone: 'the channel was deleted',
    botLeft: 'the bot is no longer in the server',
    messageGone: 'the message was deleted',
    noAccess: 'the bot lost access to the channel',
    missingPermission:
      'the bot is missing a permission in the channel (View Channel, Send Messages or Embed Links)',
  },
  ko: {
    channelGone: '채널이 삭제되었습니다',
    botLeft: '봇이 더 이상 서버에 없습니다',
    messageGone: '메시지가 삭제되었습니다',
    noAccess: '봇이 채널에 접근할 수 없게 되었습니다',
    missingPermission: '봇에게 채널 권한이 없습니다 (채널 보기, 메시지 보내기 또는 링크 첨부)',
  },
};

/** `problem` in words, in `language`. */
export function boardProblemText(problem: BoardProblem, language: ReplyLanguage): string {
  return problemTexts[language][problem];
}
