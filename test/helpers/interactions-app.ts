import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createDiscordApp, type DiscordApp } from '../../src/platforms/discord/discord-app.js';
import { renderPosts } from '../../src/posts/render-posts.js';
import { stateKeys } from '../../src/state/keys.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import { DiscordEmulator } from './discord-emulator.js';
import { cleanupPrefix, testRedis } from './redis.js';

/** The Discord side wired against the loopback emulator, behind a real `POST /interactions` route. */
export interface InteractionsApp {
  readonly redis: Redis;
  readonly emulator: DiscordEmulator;
  readonly discord: DiscordApp;
  readonly app: FastifyInstance;
  /** Closes the server and the emulator, and removes the prefix's keys. */
  close(): Promise<void>;
}

export async function startInteractionsApp(options: {
  readonly prefix: string;
  readonly publicKeyHex: string;
  readonly tracking: Tracking;
}): Promise<InteractionsApp> {
  const redis = testRedis();
  const emulator = await DiscordEmulator.start();
  const discord = createDiscordApp({
    token: emulator.token,
    publicKey: options.publicKeyHex,
    apiUrl: emulator.api,
    redis,
    keys: stateKeys(options.prefix),
    trackings: [options.tracking],
    render: renderPosts,
    logger: createLogger('silent'),
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
    close: async () => {
      await app.close();
      await emulator.close();
      redis.disconnect();
      await cleanupPrefix(options.prefix);
    },
  };
}
