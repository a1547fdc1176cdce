import { Redis } from 'ioredis';
import type { RouteModule } from './server.js';

export interface HealthRouteOptions {
  readonly redisUrl: string;
  /** How long a ping may take before Redis counts as down. */
  readonly timeoutMs?: number;
}

/**
 * `GET /healthz` (CONTRACT §6): 200 `{ status: "ok", redis: { reachable: true, latencyMs } }` when Redis answers a
 * PING in time, 503 `{ status: "unavailable", redis: { reachable: false, error } }` otherwise. Uses a connection of
 * its own that fails fast instead of queueing commands while Redis is away.
 */
export function healthRoutes(options: HealthRouteOptions): RouteModule {
  const timeoutMs = options.timeoutMs ?? 1000;
  return (app) => {
    const redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      retryStrategy: () => 1000,
    });
    redis.on('error', () => undefined);
    app.addHook('onClose', () => {
      redis.disconnect();
    });

    const ping = async (): Promise<number> => {
      const started = performance.now();
      if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([redis.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      return Math.round((performance.now() - started) * 100) / 100;
    };

    app.get('/healthz', async (_request, reply) => {
      try {
        const latencyMs = await ping();
        return reply.code(200).send({ status: 'ok', redis: { reachable: true, latencyMs } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return reply.code(503).send({ status: 'unavailable', redis: { reachable: false, error: message } });
      }
    });
  };
}
