import type { KeyObject } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createDiscordApp, type DiscordApp, type DiscordAppOptions } from '../../src/discord-app.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { signedHeaders } from '../../emulators/discord-interactions.js';
import { enterAndDrain, entryFor } from './store-drain.js';
import { cleanupPrefix, testRedis } from './redis.js';

/**
 * Sends an interaction the way Discord does over HTTP: registered with the emulator first, signed, POSTed to
 * `/interactions`; a 200 answer is then handed to the emulator as the first response and must be one Discord
 * accepts (right type for the interaction, within the message limits), else this throws with Discord's reasons.
 */
export async function postInteraction(
  app: FastifyInstance,
  emulator: DiscordEmulator,
  privateKey: KeyObject,
  interaction: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  emulator.interactions.register(interaction as { id: unknown; token: unknown; type: unknown });
  const body = JSON.stringify(interaction);
  const res = await app.inject({
    method: 'POST',
    url: '/interactions',
    payload: body,
    headers: signedHeaders(privateKey, body),
  });
  if (res.statusCode === 200) {
    const verdict = emulator.interactions.respond(String(interaction.token), null, res.json());
    if (verdict.status >= 300) {
      throw new Error(`Discord refused the answer to an interaction: ${JSON.stringify(verdict.body)}`);
    }
  }
  return res;
}

/** The Discord side wired against the loopback emulator, behind a real `POST /interactions` route. */
export interface InteractionsApp {
  readonly redis: Redis;
  readonly emulator: DiscordEmulator;
  readonly discord: DiscordApp;
  readonly app: FastifyInstance;
  /** The moderators' channel (`DISCORD_MOD_CHANNEL_ID`), when asked for with `modChannelGuildId`. */
  readonly modChannelId: string | null;
  /** Closes the server and the emulator, and removes the prefix's keys. */
  close(): Promise<void>;
}

export async function startInteractionsApp(options: {
  readonly prefix: string;
  readonly publicKeyHex: string;
  readonly tracking: Tracking;
  /** Start as with DISCORD_PUBLIC_KEY but no DISCORD_TOKEN (interactions only). */
  readonly withoutBotToken?: boolean;
  /** The app's clock (default Date.now). */
  readonly now?: () => number;
  /** How status charts are drawn and kept (default: on this thread, kept by data version). */
  readonly charts?: Pick<DiscordAppOptions, 'drawChart' | 'cacheCharts'>;
  /** Give the app a moderators' channel (for X drafts) in this guild. */
  readonly modChannelGuildId?: string;
  /** Messages Discord takes per channel in its window (the emulator's default is Discord's 5). */
  readonly messagesPerChannel?: number;
}): Promise<InteractionsApp> {
  const redis = testRedis();
  const emulator = await DiscordEmulator.start(
    options.messagesPerChannel === undefined ? {} : { messagesPerChannel: options.messagesPerChannel },
  );
  const modChannelId =
    options.modChannelGuildId === undefined
      ? null
      : emulator.addChannel({ guildId: options.modChannelGuildId }).id;
  const discord = createDiscordApp({
    token: options.withoutBotToken === true ? undefined : emulator.token,
    publicKey: options.publicKeyHex,
    apiUrl: emulator.api,
    redis,
    keys: stateKeys(options.prefix),
    trackings: [options.tracking],
    render: renderPosts,
    logger: createLogger('silent'),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...options.charts,
    ...(modChannelId === null ? {} : { modChannelId }),
  });
  const app = await createHttpServer({
    logger: createLogger('silent'),
    routes: [discord.interactionsRoute!],
  });
  return {
    redis,
    emulator,
    discord,
    app,
    modChannelId,
    close: async () => {
      await app.close();
      await emulator.close();
      redis.disconnect();
      await cleanupPrefix(options.prefix);
    },
  };
}

/** Applies snapshots `{ capturedAt, tracks }` straight to the artist state (what the status commands read). */
export async function seedSnapshots(
  redis: Redis,
  prefix: string,
  tracking: Tracking,
  snapshots: readonly { readonly capturedAt: string; readonly tracks: Readonly<Record<string, number>> }[],
): Promise<void> {
  const store = new ArtistStateStore(redis, stateKeys(prefix));
  for (const raw of snapshots) {
    const n = normalizeSnapshot(raw, new Map([[tracking.artist.id, tracking]]));
    if (!n.ok) throw new Error('bad snapshot');
    await enterAndDrain(store, tracking, entryFor(n.snapshot, raw.capturedAt));
  }
}

/** Polls `check` until it returns a value (not undefined); fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < timeoutMs;) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
