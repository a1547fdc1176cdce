import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { kindTable, milestoneKinds } from '../../src/milestone-kinds.js';
import type { Milestone } from '../../src/milestones/types.js';
import { PermanentPublishError } from '../../src/platforms/publish-errors.js';
import {
  ReplyError,
  type HandlersFor,
  type ReplyLanguage,
} from '../../src/platforms/discord/interactions/command-types.js';
import { parsePermissions } from '../../src/platforms/discord/interactions/permissions.js';
import type { GuildSettings } from '../../src/state/guild-settings.store.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import type { layoverModCommand } from '../layover-mod.command.js';
import type { LayoverServices } from '../services.js';
import { boardHandlers } from './board.handlers.js';
import { budgetStatusText } from './budget-status.js';
import { lacksNeededPermission, layoverModTexts, missingPermissions } from './layover-mod.texts.js';
import { configured, requireManageServer } from './moderator.js';
import { templateHandlers } from './template.handlers.js';

/** `/layover-mod kinds` option name -> kind, from the kinds table. */
const kindOptions = milestoneKinds.map((kind) => [kindTable[kind].command.option, kind] as const);

function describeSettings(s: GuildSettings, language: ReplyLanguage): string {
  return layoverModTexts[language].settings({
    channelId: s.channelId,
    crossposted: s.crosspost && s.channelType === Number(ChannelType.GuildAnnouncement),
    roleId: s.roleId,
    language: s.language,
    kinds: milestoneKinds.filter((kind) => s.kinds.includes(kind)),
    paused: s.paused,
  });
}

/** The most recent announcement, or a plausible sample when nothing was announced yet. */
async function sampleMilestone(
  services: LayoverServices,
): Promise<{ milestone: Milestone; tracking: Tracking }> {
  const tracking = services.trackings[0];
  if (tracking === undefined) throw ReplyError.of(layoverModTexts, (t) => t.noArtist);
  const [latest] = await services.milestones.recent(tracking.artist.id, 1);
  if (latest !== undefined) return { milestone: latest, tracking };
  const album = tracking.albumsByRelease.at(-1);
  if (album === undefined) throw ReplyError.of(layoverModTexts, (t) => t.noAlbum);
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
  async setup({ options, services, reply, guildId, memberPermissions, language }) {
    const w = layoverModTexts[language];
    const guild = requireManageServer(guildId, memberPermissions);
    const channel = options.channel;
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      throw ReplyError.of(layoverModTexts, (t) => t.pickChannel);
    }
    const role = options.role;
    if (role !== undefined && (role.id === guild || role.managed)) {
      throw ReplyError.of(layoverModTexts, (t) => t.pickRole);
    }
    const note: string[] = [];
    const bot = parsePermissions(channel.app_permissions);
    if (bot === null) {
      note.push(w.cannotCheck);
    } else {
      if (lacksNeededPermission(bot)) {
        throw ReplyError.of(layoverModTexts, (t, l) =>
          t.missing(missingPermissions(bot, l).join(', '), channel.id),
        );
      }
      if ((bot & PermissionFlagsBits.AttachFiles) === 0n) note.push(w.noAttachFiles(channel.id));
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
      content: [w.setUp, describeSettings(settings, language), ...note].join('\n'),
    });
  },

  async kinds({ options, services, reply, guildId, memberPermissions, language }) {
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
    await reply({ content: describeSettings(settings ?? current, language) });
  },

  async pause({ services, reply, guildId, memberPermissions, language }) {
    const guild = requireManageServer(guildId, memberPermissions);
    await configured(services, guild);
    await services.guilds.setPaused(guild, true);
    await reply({ content: layoverModTexts[language].paused });
  },

  async resume({ services, reply, guildId, memberPermissions, language }) {
    const guild = requireManageServer(guildId, memberPermissions);
    await configured(services, guild);
    await services.guilds.setPaused(guild, false);
    await reply({ content: layoverModTexts[language].resumed });
  },

  async status({ services, reply, guildId, memberPermissions, language }) {
    requireManageServer(guildId, memberPermissions);
    await reply({ content: budgetStatusText(await services.budgets(), language) });
  },

  async test({ services, reply, defer, guildId, memberPermissions, language }) {
    const guild = requireManageServer(guildId, memberPermissions);
    const settings = await configured(services, guild);
    const sampler = services.sampler;
    if (sampler === null) throw ReplyError.of(layoverModTexts, (t) => t.noToken);
    await defer({ ephemeral: true });
    const { milestone, tracking } = await sampleMilestone(services);
    try {
      const message = await sampler.sendSample(settings, milestone, tracking);
      await reply({ content: layoverModTexts[language].sampleSent(settings.channelId, message.id) });
    } catch (error) {
      if (!(error instanceof PermanentPublishError)) throw error;
      // A channel that is gone or refuses the bot has just been recorded in the settings' health.
      const health = (await services.guilds.get(guild))?.health ?? null;
      const failure = {
        problem: health?.problem ?? null,
        detail: health?.detail ?? '',
        reason: error.reason,
      };
      throw ReplyError.of(layoverModTexts, (t) => t.cannotPost(settings.channelId, failure));
    }
  },

  ...boardHandlers,
  ...templateHandlers,
};
