import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { kindTable, milestoneKinds } from '../../src/milestones/kinds.js';
import type { Milestone } from '../../src/milestones/types.js';
import { PermanentPublishError } from '../../src/platforms/publish-errors.js';
import { ReplyError, type HandlersFor } from '../../src/platforms/discord/interactions/command-types.js';
import { parsePermissions } from '../../src/platforms/discord/interactions/permissions.js';
import type { GuildSettings } from '../../src/state/guild-settings.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { layoverModCommand } from '../layover-mod.command.js';
import type { LayoverServices } from '../services.js';
import { boardHandlers } from './board.handlers.js';
import { budgetStatusText } from './budget-status.js';
import { configured, requireManageServer } from './moderator.js';
import { templateHandlers } from './template.handlers.js';

/** What the bot needs in the announcement channel, by the name Discord shows in channel settings. */
const neededInChannel = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;

/** `/layover-mod kinds` option name -> kind, from the kinds table. */
const kindOptions = milestoneKinds.map((kind) => [kindTable[kind].command.option, kind] as const);

function describeSettings(s: GuildSettings): string {
  const kinds = kindOptions.filter(([, kind]) => s.kinds.includes(kind)).map(([name]) => name);
  return [
    `Channel: <#${s.channelId}>${s.crosspost && s.channelType === Number(ChannelType.GuildAnnouncement) ? ' (crossposted)' : ''}`,
    `Mention: ${s.roleId === null ? 'nobody' : `<@&${s.roleId}>`}`,
    `Language: ${s.language === 'ko' ? '한국어' : 'English'}`,
    `Kinds: ${kinds.length === 0 ? 'none' : kinds.join(', ')}`,
    `Announcements: ${s.paused ? 'paused' : 'on'}`,
  ].join('\n');
}

/** The most recent announcement, or a plausible sample when nothing was announced yet. */
async function sampleMilestone(
  services: LayoverServices,
): Promise<{ milestone: Milestone; tracking: Tracking }> {
  const tracking = services.trackings[0];
  if (tracking === undefined) throw new ReplyError('No artist is tracked.');
  const [latest] = await services.milestones.recent(tracking.artist.id, 1);
  if (latest !== undefined) return { milestone: latest, tracking };
  const album = tracking.albumsByRelease.at(-1);
  if (album === undefined) throw new ReplyError('No album is tracked.');
  const observedAt = new Date(services.now()).toISOString();
  return {
    tracking,
    milestone: {
      id: `${tracking.artist.id}/album:${album.id}/100000000`,
      artistId: tracking.artist.id,
      kind: 'album',
      albumId: album.id,
      trackId: null,
      videoId: null,
      threshold: 100_000_000,
      value: 100_412_345,
      observedAt,
      daysSinceRelease: 7,
      lastTrackId: null,
      record: null,
    },
  };
}

/** The handlers of `/layover-mod`, typed from its definition. Every answer is ephemeral. */
export const layoverModHandlers: HandlersFor<typeof layoverModCommand, LayoverServices> = {
  async setup({ options, services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const channel = options.channel;
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      throw new ReplyError('Pick a text or announcement channel.');
    }
    const role = options.role;
    if (role !== undefined && (role.id === guild || role.managed)) {
      throw new ReplyError('Pick a regular role to mention; @everyone and bot roles cannot be used.');
    }
    const note: string[] = [];
    const bot = parsePermissions(channel.app_permissions);
    if (bot === null) {
      note.push('I could not check my permissions in that channel; `/layover-mod test` will tell.');
    } else {
      const missing = neededInChannel.filter(([, bit]) => (bot & bit) === 0n).map(([name]) => `**${name}**`);
      if (missing.length > 0) {
        throw new ReplyError(
          `I am missing ${missing.join(', ')} in <#${channel.id}>. Grant it there and run setup again.`,
        );
      }
      if ((bot & PermissionFlagsBits.AttachFiles) === 0n) {
        note.push(
          `Without **Attach Files** in <#${channel.id}>, announcements go out without their milestone card.`,
        );
      }
    }
    const current = await services.guilds.get(guild);
    const settings = await services.guilds.setup(guild, {
      channelId: channel.id,
      channelType: channel.type,
      roleId: role?.id ?? null,
      language:
        options.language === 'ko' || options.language === 'en'
          ? options.language
          : (current?.language ?? 'en'),
      crosspost: options.crosspost ?? current?.crosspost ?? false,
    });
    await reply({
      content: ['Layover announcements are set up.', describeSettings(settings), ...note].join('\n'),
    });
  },

  async kinds({ options, services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const current = await configured(services, guild);
    const chosen = new Set(current.kinds);
    let changed = false;
    for (const [name, kind] of kindOptions) {
      const wanted = options[name];
      if (wanted === undefined) continue;
      changed = true;
      if (wanted) chosen.add(kind);
      else chosen.delete(kind);
    }
    const settings = changed ? await services.guilds.setKinds(guild, [...chosen]) : current;
    await reply({ content: describeSettings(settings ?? current) });
  },

  async pause({ services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    await configured(services, guild);
    await services.guilds.setPaused(guild, true);
    await reply({ content: 'Announcements are paused here. `/layover-mod resume` turns them back on.' });
  },

  async resume({ services, reply, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    await configured(services, guild);
    await services.guilds.setPaused(guild, false);
    await reply({ content: 'Announcements are on again.' });
  },

  async status({ services, reply, guildId, memberPermissions, language }) {
    requireManageServer(guildId, memberPermissions);
    await reply({ content: budgetStatusText(await services.budgets(), language) });
  },

  async test({ services, reply, defer, guildId, memberPermissions }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const settings = await configured(services, guild);
    const sampler = services.sampler;
    if (sampler === null) {
      throw new ReplyError(
        'This bot answers commands without a bot token (DISCORD_TOKEN is not set), so it cannot post in a channel.',
      );
    }
    await defer({ ephemeral: true });
    const { milestone, tracking } = await sampleMilestone(services);
    try {
      const message = await sampler.sendSample(settings, milestone, tracking);
      await reply({
        content: `Sent a sample to <#${settings.channelId}> (message ${message.id}), without pinging.`,
      });
    } catch (error) {
      if (error instanceof PermanentPublishError)
        throw new ReplyError(`Could not post in <#${settings.channelId}>: ${error.reason}`);
      throw error;
    }
  },

  ...boardHandlers,
  ...templateHandlers,
};
