import { PermissionFlagsBits } from 'discord-api-types/v10';
import { ReplyError } from '../../src/platforms/discord/interactions/command-types.js';
import type { GuildSettings } from '../../src/state/guild-settings.store.js';
import type { LayoverServices } from '../services.js';
import { layoverModTexts } from './layover-mod.texts.js';

/** Refuses members without Manage Server (or Administrator), whatever the command's visibility settings say. */
export function requireManageServer(guildId: string | null, permissions: bigint | null): string {
  if (guildId === null) throw ReplyError.of(layoverModTexts, (t) => t.inServer);
  const allowed =
    permissions !== null &&
    (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!allowed) throw ReplyError.of(layoverModTexts, (t) => t.needManageServer);
  return guildId;
}

/** The guild's settings, or a refusal asking for setup first. */
export async function configured(services: LayoverServices, guildId: string): Promise<GuildSettings> {
  const settings = await services.guilds.get(guildId);
  if (settings === null) throw ReplyError.of(layoverModTexts, (t) => t.setupFirst);
  return settings;
}
