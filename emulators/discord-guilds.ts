import type { GuildSettings, GuildSettingsStore } from '../src/state/guild-settings.store.js';
import type { DiscordEmulator, EmulatedChannel } from './discord-emulator.js';

export interface EmulatedGuild {
  readonly channel: EmulatedChannel;
  readonly roleId: string;
  readonly settings: GuildSettings;
}

/**
 * Creates `count` guilds with one channel each on the emulator and sets each up in the store as
 * `/layover-mod setup` would (a role to mention, English, no crosspost unless asked).
 */
export async function setUpGuilds(
  emulator: DiscordEmulator,
  store: GuildSettingsStore,
  count: number,
  options: { readonly channelType?: number; readonly crosspost?: boolean } = {},
): Promise<EmulatedGuild[]> {
  const guilds: EmulatedGuild[] = [];
  for (let i = 0; i < count; i += 1) {
    const channel = emulator.addChannel({ type: options.channelType ?? 0 });
    const roleId = emulator.snowflake();
    const settings = await store.setup(channel.guildId, {
      channelId: channel.id,
      channelType: channel.type,
      roleId,
      language: 'en',
      crosspost: options.crosspost ?? false,
    });
    guilds.push({ channel, roleId, settings });
  }
  return guilds;
}
