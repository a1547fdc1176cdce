import { ApplicationCommandOptionType, type APIApplicationCommandStringOption } from 'discord-api-types/v10';

/**
 * The `album:` option of `/layover status` and `/layover-mod board on`: an album by title or id, completed as the
 * user types (layover.autocomplete.ts); the latest album when left out.
 */
export const albumOption = {
  type: ApplicationCommandOptionType.String,
  name: 'album',
  name_localizations: { ko: '앨범' },
  description: 'Album title or id (default: the latest album)',
  description_localizations: { ko: '앨범 제목 또는 id (기본: 최신 앨범)' },
  max_length: 100,
  autocomplete: true,
} as const satisfies APIApplicationCommandStringOption;
