import type { REST } from '@discordjs/rest';
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, type Guild } from 'discord.js';
import type { APIInteraction } from 'discord-api-types/v10';
import type { Logger } from '../../logger.js';
import type { GuildSettingsStore } from '../../state/guild-settings.store.js';
import type { DispatchInteraction } from './interactions/dispatch-interaction.js';
import { restResponder } from './interactions/responders.js';

export interface GatewayOptions {
  readonly token: string;
  /** `DISCORD_API_URL`, so discord.js's own REST calls go where ours do. */
  readonly apiUrl: string;
  readonly dispatch: DispatchInteraction;
  /** The REST client for interaction callbacks (DiscordApp.interactionRest: no shared limiter). */
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  readonly logger: Logger;
}

export interface Gateway {
  close(): Promise<void>;
}

/**
 * The `bot` role: a discord.js gateway connection that hands raw INTERACTION_CREATE payloads to the same
 * dispatcher as `POST /interactions` (answering through the callback endpoint), and forgets a server's settings
 * when the bot is removed from it. Only the Guilds intent is needed.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
    options.dispatch(interaction, restResponder(options.rest, interaction)).catch((error: unknown) => {
      options.logger.error({ err: String(error) }, 'gateway interaction failed');
    });
  });
  client.on(Events.GuildDelete, (guild: Guild) => {
    if (!guild.available) return; // an outage, not a removal
    options.guilds
      .remove(guild.id)
      .then(() =>
        options.logger.info({ guildId: guild.id }, 'removed from a server; its settings are deleted'),
      )
      .catch((error: unknown) =>
        options.logger.warn({ err: String(error) }, 'could not delete guild settings'),
      );
  });
  client.once(Events.ClientReady, (ready) => {
    options.logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'Discord gateway ready');
  });
  client.on(Events.Error, (error) => options.logger.error({ err: error.message }, 'Discord gateway error'));
  await client.login(options.token);
  return {
    close: () => client.destroy(),
  };
}
