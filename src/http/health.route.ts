import { Redis } from 'ioredis';
import { createCluster, isCluster, type RedisClient } from '../redis.js';
import type { RouteModule } from './server.js';
import { errorMessage } from '../error-message.js';

export interface HealthRouteOptions {
  readonly redisUrl: string;
  /** REDIS_CLUSTER: `redisUrl` names seed nodes; healthy means the cluster serves every slot. */
  readonly redisCluster?: boolean;
  /** How long a ping may take before Redis counts as down. */
  readonly timeoutMs?: number;
}

/** A connection of the health route's own that fails fast instead of queueing commands while Redis is away. */
function failFastClient(options: HealthRouteOptions, timeoutMs: number): RedisClient {
  if (options.redisCluster === true) {
    return createCluster(options.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: () => 1000,
      slotsRefreshTimeout: timeoutMs,
      redisOptions: { maxRetriesPerRequest: 0, connectTimeout: timeoutMs },
    });
  }
  return new Redis(options.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => 1000,
  });
}

/** PING; on a cluster, CLUSTER INFO instead, which must report `cluster_state:ok` (every slot served). */
async function probe(redis: RedisClient): Promise<void> {
  if (!isCluster(redis)) {
    await redis.ping();
    return;
  }
  const info = await redis.call('CLUSTER', 'INFO');
  const state = /cluster_state:(\w+)/.exec(String(info))?.[1] ?? 'unknown';
  if (state !== 'ok') throw new Error(`cluster_state is ${state}: not every hash slot is served`);
}

/**
 * `GET /healthz`: 200 `{ status: "ok", redis: { reachable: true, latencyMs } }` when Redis answers a
 * PING in time (a Redis Cluster: when it answers CLUSTER INFO in time with `cluster_state:ok`), 503
 * `{ status: "unavailable", redis: { reachable: false, error } }` otherwise.
 */
export function healthRoutes(options: HealthRouteOptions): RouteModule {
  const timeoutMs = options.timeoutMs ?? 1000;
  return (app) => {
    const redis = failFastClient(options, timeoutMs);
    redis.on('error', () => undefined);
    app.addHook('onClose', () => {
      redis.disconnect();
    });

    const ping = async (): Promise<number> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const attempt = (async () => {
        if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
        await probe(redis);
      })();
      // A failure after the timeout has already been answered as a 503.
      attempt.catch(() => undefined);
      try {
        await Promise.race([attempt, timeout]);
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
        const message = errorMessage(error);
        return reply.code(503).send({ status: 'unavailable', redis: { reachable: false, error: message } });
      }
    });
  };
}
