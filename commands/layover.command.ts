import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

/** `/layover`: what fans use. Anyone may run it; answers are public unless they concern only the asker. */
export const layoverCommand = {
  name: 'layover',
  description: 'Streaming milestones for V’s Layover',
  contexts: [0],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Album total, each song’s progress to its next milestone, the latest daily gain and ETAs',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'album',
          description: 'Album title or id (default: the latest album)',
          max_length: 100,
          autocomplete: true,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'milestones',
      description: 'Recent announcements, with dates and day counts',
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'limit',
          description: 'How many (1-20, default 10)',
          min_value: 1,
          max_value: 20,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'next',
      description: 'Upcoming milestones, soonest first, with ETAs',
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'why',
      description: 'Why the bot did or did not announce something',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'album',
          description: 'Album title or id (default: the latest album)',
          max_length: 100,
          autocomplete: true,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'track',
          description: 'Song title or id (default: the album itself)',
          max_length: 100,
          autocomplete: true,
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
