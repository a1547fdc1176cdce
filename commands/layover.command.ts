import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { albumOption } from './album-option.js';

/** `/layover`: what fans use. Anyone may run it; answers are public unless they concern only the asker. */
export const layoverCommand = {
  name: 'layover',
  name_localizations: { ko: '레이오버' },
  description: 'Streaming milestones for V’s Layover',
  description_localizations: { ko: '뷔의 Layover 스트리밍 마일스톤' },
  contexts: [0],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      name_localizations: { ko: '현황' },
      description: 'Album total, each song’s progress to its next milestone, the latest daily gain and ETAs',
      description_localizations: {
        ko: '앨범 합계, 곡별 다음 마일스톤까지의 진행, 최근 일일 증가량과 예상 날짜',
      },
      options: [albumOption],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'milestones',
      name_localizations: { ko: '마일스톤' },
      description: 'Recent announcements, with dates and day counts',
      description_localizations: { ko: '최근 알림과 날짜, 발매 후 일수' },
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'limit',
          name_localizations: { ko: '개수' },
          description: 'How many (1-20, default 10)',
          description_localizations: { ko: '몇 개 (1-20, 기본 10)' },
          min_value: 1,
          max_value: 20,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'next',
      name_localizations: { ko: '다음' },
      description: 'Upcoming milestones, soonest first, with ETAs',
      description_localizations: { ko: '다가오는 마일스톤, 가까운 순, 예상 날짜와 함께' },
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'why',
      name_localizations: { ko: '이유' },
      description: 'Why the bot did or did not announce something',
      description_localizations: { ko: '봇이 알림을 보냈거나 보내지 않은 이유' },
      options: [
        albumOption,
        {
          type: ApplicationCommandOptionType.String,
          name: 'track',
          name_localizations: { ko: '곡' },
          description: 'Song title or id (default: the album itself)',
          description_localizations: { ko: '곡 제목 또는 id (기본: 앨범 자체)' },
          max_length: 100,
          autocomplete: true,
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
