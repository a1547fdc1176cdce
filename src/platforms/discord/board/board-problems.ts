import type { ReplyLanguage, Texts } from '../interactions/reply-language.js';
import { eitherPermission, neededInChannel } from '../permission-names.js';

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
    missingPermission: `the bot is missing a permission in the channel (${eitherPermission(neededInChannel, 'en')})`,
  },
  ko: {
    channelGone: '채널이 삭제되었습니다',
    botLeft: '봇이 더 이상 서버에 없습니다',
    messageGone: '메시지가 삭제되었습니다',
    noAccess: '봇이 채널에 접근할 수 없게 되었습니다',
    missingPermission: `채널에서 봇에게 ${eitherPermission(neededInChannel, 'ko')} 권한이 없습니다`,
  },
};

/** `problem` in words, in `language`. */
export function boardProblemText(problem: BoardProblem, language: ReplyLanguage): string {
  return problemTexts[language][problem];
}
