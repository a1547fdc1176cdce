import type { REST } from '@discordjs/rest';
import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type ClientOptions,
  type Guild,
} from 'discord.js';
import type { APIInteraction } from 'discord-api-types/v10';
import { errorMessage } from '../../error-message.js';
import type { Logger } from '../../logger.js';
import type { GuildSettingsStore } from '../../state/guild-settings.store.js';
import type { DispatchInteraction } from './interactions/dispatch-interaction.js';
import type { ClaimInteraction } from './interactions/interaction-claims.js';
import { restResponder } from './interactions/responders.js';
import { clientShardOptions, type ShardPlan } from '../../discord-shard-plan.js';

export interface GatewayOptions {
  readonly token: string;
  /** `DISCORD_API_URL`, so discord.js's own REST calls go where ours do. */
  readonly apiUrl: string;
  readonly dispatch: DispatchInteraction;
  /** The REST client for interaction callbacks (DiscordApp.interactionRest: no shared limiter). */
  readonly rest: REST;
  readonly guilds: GuildSettingsStore;
  readonly logger: Logger;
  /** `DISCORD_SHARDS` with `DISCORD_SHARD_COUNT`; default every shard Discord recommends. */
  readonly shards?: ShardPlan;
  /**
   * Takes each interaction before it is handled, so that it is answered once even when two processes run the
   * same shard (a configuration mistake Discord does not refuse). Without it every interaction is handled.
   */
  readonly claim?: ClaimInteraction;
}

export interface Gateway {
  /** The shards this process runs, and the total over every process (as discord.js settled them at login). */
  readonly shards: readonly number[];
  readonly shardCount: number;
  close(): Promise<void>;
}

/** Gateway close codes after which discord.js gives a shard up, with what to do about them. */
const fatalCloseHints: Record<number, string> = {
  4004: 'DISCORD_TOKEN was refused',
  4010: 'Discord refused the shard id: check DISCORD_SHARDS and DISCORD_SHARD_COUNT',
  4011:
    'Discord requires more shards (a shard carries at most 2,500 servers): raise DISCORD_SHARD_COUNT, or set it ' +
    'to auto to use the count Discord recommends',
  4013: 'invalid intents',
  4014: 'the bot asked for an intent it is not allowed',
};

/** The discord.js client options for the gateway: the Guilds intent, our API base, and the shard plan. */
export function gatewayClientOptions(options: { apiUrl: string; shards?: ShardPlan }): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl },
    ...clientShardOptions(options.shards ?? { mode: 'auto' }),
  };
}

/**
 * The `bot` role: a discord.js gateway connection (the shards of `options.shards`) that hands raw
 * INTERACTION_CREATE payloads to the same dispatcher as `POST /interactions` (answering through the callback
 * endpoint), and forgets a server's settings when the bot is removed from it. Only the Guilds intent is needed.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const client = new Client(gatewayClientOptions(options));
  const handle = async (interaction: APIInteraction, shardId: number | undefined): Promise<void> => {
    if (options.claim !== undefined) {
      let mine = true;
      try {
        mine = await options.claim(interaction.id);
      } catch (error) {
        // Better a possible second answer than none: answer without the claim.
        options.logger.warn({ err: errorMessage(error) }, 'could not claim an interaction; answering anyway');
      }
      if (!mine) {
        options.logger.debug(
          { interactionId: interaction.id, shardId },
          'interaction taken by another process (the same shard runs twice)',
        );
        return;
      }
    }
    await options.dispatch(interaction, restResponder(options.rest, interaction));
  };
  client.ws.on(
    GatewayDispatchEvents.InteractionCreate,
    (interaction: APIInteraction, shardId: number | undefined) => {
      handle(interaction, shardId).catch((error: unknown) => {
        options.logger.error({ err: String(error) }, 'gateway interaction failed');
      });
    },
  );
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
    options.logger.info(
      {
        user: ready.user.tag,
        guilds: ready.guilds.cache.size,
        shards: ready.options.shards,
        shardCount: ready.options.shardCount,
      },
      'Discord gateway ready',
    );
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    const hint =
      fatalCloseHints[event.code] ??
      'see https://discord.com/developers/docs/topics/opcodes-and-status-codes';
    options.logger.error(
      { shardId, code: event.code },
      `Discord gateway shard ${shardId} closed and will not reconnect: ${hint}`,
    );
  });
  client.on(Events.Error, (error) => options.logger.error({ err: error.message }, 'Discord gateway error'));
  await client.login(options.token);
  const settled = client.options.shards;
  const shards = typeof settled === 'object' ? [...settled] : typeof settled === 'number' ? [settled] : [];
  return {
    shards,
    shardCount: client.options.shardCount ?? shards.length,
    close: () => client.destroy(),
  };
}
