import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

const kindOption = (name: string, description: string) =>
  ({ type: ApplicationCommandOptionType.Boolean, name, description }) as const;

/**
 * `/layover-mod`: server settings. A separate command because Discord applies `default_member_permissions` to a
 * whole command, never to one subcommand: fans keep `/layover`, and only members with Manage Server see this one.
 * The handlers check the member's permissions again, as server admins can widen who sees a command.
 */
export const layoverModCommand = {
  name: 'layover-mod',
  description: 'Set up Layover milestone announcements for this server',
  contexts: [0],
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'setup',
      description: 'Choose the channel (and optionally a role to mention) for announcements',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'Where announcements go',
          required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: ApplicationCommandOptionType.Role,
          name: 'role',
          description: 'A role to mention in each announcement (never @everyone)',
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'language',
          description: 'Announcement language',
          choices: [
            { name: 'English', value: 'en' },
            { name: '한국어', value: 'ko' },
          ],
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'crosspost',
          description: 'In an Announcement channel, publish each post to following servers',
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'kinds',
      description: 'Choose which milestone kinds this server receives (no options: show them)',
      options: [
        kindOption('track', 'Song milestones'),
        kindOption('album', 'Album total milestones'),
        kindOption('all-tracks', 'Every song of the album past a mark'),
        kindOption('artist', 'Artist total milestones'),
        kindOption('followers', 'Follower milestones'),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'pause',
      description: 'Stop announcements here for now',
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'resume', description: 'Announce here again' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'test',
      description: 'Send a sample announcement to the configured channel, without pinging anyone',
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
