import { PermissionFlagsBits } from 'discord-api-types/v10';
import { ReplyError } from '../../src/platforms/discord/interactions/command-types.js';
import type { GuildSettings } from '../../src/state/guild-settings.store.js';
import type { LayoverServices } from '../services.js';

/** Refuses members without Manage Server (or Administrator), whatever the command's visibility settings say. */
export function requireManageServer(guildId: string | null, permissions: bigint | null): string {
  if (guildId === null) throw new ReplyError('Use this command in a server.');
  const allowed =
    permissions !== null &&
    (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!allowed) throw new ReplyError('You need the **Manage Server** permission to change Layover settings.');
  return guildId;
}

/** The guild's settings, or a refusal asking for setup first. */
export async function configured(services: LayoverServices, guildId: string): Promise<GuildSettings> {
  const settings = await services.guilds.get(guildId);
  if (settings === null) throw new ReplyError('Run `/layover-mod setup` first.');
  return settings;
}
