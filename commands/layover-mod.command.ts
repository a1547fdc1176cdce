import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { kindTable, milestoneKinds } from '../src/milestones/kinds.js';

/** `/layover-mod kinds`: one on/off option per kind of the kinds table. */
const kindOptions = milestoneKinds.map(
  (kind) =>
    ({
      type: ApplicationCommandOptionType.Boolean,
      name: kindTable[kind].command.option,
      description: kindTable[kind].command.description,
    }) as const,
);

/** `kind:` of the template subcommands: every kind of the kinds table, valued by the kind itself. */
const kindChoices = milestoneKinds.map((kind) => ({ name: kindTable[kind].command.choice, value: kind }));

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
      options: kindOptions,
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
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: 'template',
      description: 'This server’s own wording for a milestone kind',
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'set',
          description: 'Replace the built-in wording (checked before it is saved)',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'kind',
              description: 'Which milestone kind',
              required: true,
              choices: kindChoices,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'text',
              description: 'Mustache template, e.g. {{subject}} passed {{threshold}} streams {{inDays}}!',
              required: true,
              max_length: 4000,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'platform',
              description: 'Which platform’s post (default Discord)',
              choices: [{ name: 'Discord', value: 'discord' }],
            }, // only Discord: X posts go to one account, not per server
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'preview',
          description: 'Show a sample announcement with this server’s wording',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'kind',
              description: 'Which milestone kind',
              required: true,
              choices: kindChoices,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'platform',
              description: 'Which platform’s post (default Discord)',
              choices: [{ name: 'Discord', value: 'discord' }],
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'reset',
          description: 'Go back to the built-in wording',
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: 'kind',
              description: 'Which milestone kind',
              required: true,
              choices: kindChoices,
            },
            {
              type: ApplicationCommandOptionType.String,
              name: 'platform',
              description: 'Which platform’s post (default Discord)',
              choices: [{ name: 'Discord', value: 'discord' }],
            },
          ],
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
