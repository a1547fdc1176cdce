import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { parseClusterSeeds } from './redis-seeds.js';

/**
 * The Redis client this project passes around: one server (`Redis`) or a Redis Cluster (`Cluster`,
 * REDIS_CLUSTER=true). Both take the same commands; keys under a `{…}` hash-tag prefix all live on one slot.
 */
export type RedisClient = Redis | Cluster;

/** Where connection errors of every client made by {@link createRedis} go; see {@link reportRedisErrorsTo}. */
let connectionErrorSink: ((error: Error) => void) | undefined;

/**
 * Sends the connection errors of every client {@link createRedis} makes (refused connections, resets, timeouts
 * while Redis is away) to `sink`, which should aggregate them: ioredis keeps reconnecting with backoff and raises
 * one per attempt. Without a sink they are dropped (commands still fail or wait as usual), never printed as
 * ioredis's "Unhandled error event".
 */
export function reportRedisErrorsTo(sink: ((error: Error) => void) | undefined): void {
  connectionErrorSink = sink;
}

function withErrorSink<T extends RedisClient>(client: T): T {
  client.on('error', (error: Error) => connectionErrorSink?.(error));
  return client;
}

export interface RedisConnectOptions {
  /** REDIS_CLUSTER: the URL is one or several comma-separated seed nodes of a Redis Cluster. */
  readonly cluster?: boolean;
  readonly lazyConnect?: boolean;
}

/**
 * A Redis connection for this project. `maxRetriesPerRequest: null` is what BullMQ workers require; commands wait
 * for a reconnect instead of failing while Redis restarts. With `cluster`, an `ioredis.Cluster` whose node
 * connections get the same settings and the seeds' credentials; it reconnects to the cluster without end and
 * retries a command through a failover or a CLUSTERDOWN for up to `maxRedirections` × the retry delay.
 */
export function createRedis(
  url: string,
  options?: { readonly cluster?: false; readonly lazyConnect?: boolean },
): Redis;
export function createRedis(url: string, options: RedisConnectOptions): RedisClient;
export function createRedis(url: string, options: RedisConnectOptions = {}): RedisClient {
  const lazyConnect = options.lazyConnect ?? false;
  if (options.cluster === true) {
    return withErrorSink(
      createCluster(url, {
        lazyConnect,
        redisOptions: { maxRetriesPerRequest: null },
        // ioredis retries a command after a lost node or CLUSTERDOWN up to maxRedirections times; with these
        // delays that covers about 20 s, enough for a master restart or a replica's promotion.
        maxRedirections: 64,
        retryDelayOnFailover: 300,
        retryDelayOnClusterDown: 300,
      }),
    );
  }
  return withErrorSink(new Redis(url, { maxRetriesPerRequest: null, lazyConnect }));
}

/** `ClusterOptions` for this project's clients (RESP2 replies, as the single-node client). */
export type ClusterClientOptions = Omit<ClusterOptions, 'redisOptions'> & {
  readonly redisOptions?: Omit<NonNullable<ClusterOptions['redisOptions']>, 'replyMapping'>;
};

/**
 * An `ioredis.Cluster` seeded from REDIS_URL (comma-separated URLs). The seeds' username, password and TLS go
 * into `redisOptions`, so nodes discovered from the slot map are reached with them too.
 */
export function createCluster(url: string, options: ClusterClientOptions = {}): Cluster {
  const seeds = parseClusterSeeds(url);
  return new Cluster(
    seeds.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      ...options,
      redisOptions: {
        ...(seeds.username === undefined ? {} : { username: seeds.username }),
        ...(seeds.password === undefined ? {} : { password: seeds.password }),
        ...(seeds.tls ? { tls: {} } : {}),
        ...options.redisOptions,
      },
    },
  );
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/**
 * The servers behind a client, for per-server commands (INFO, CONFIG, SCAN): the client itself, or for a
 * cluster the connection to every node of `role` in its current slot map (replicas too with `all`).
 */
export async function serverNodes(client: RedisClient, role: 'master' | 'all' = 'master'): Promise<Redis[]> {
  if (!isCluster(client)) return [client];
  // The slot map, and with it the node list, is known once the cluster is ready; a command waits for that.
  if (client.status !== 'ready') await client.ping();
  return client.nodes(role);
}

/** `host:port` of a server connection, for messages (never its credentials). */
export function nodeName(node: Redis): string {
  return `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 6379}`;
}

/** Connects, pings within `timeoutMs`, and disconnects; true when a Redis (or, with `cluster`, the cluster) answered. */
export async function redisAnswers(
  url: string,
  timeoutMs = 1000,
  options: { readonly cluster?: boolean } = {},
): Promise<boolean> {
  return (await redisProblem(url, timeoutMs, options)) === null;
}

/**
 * Connects, pings within `timeoutMs`, and disconnects: null when a Redis (or, with `cluster`, the cluster)
 * answered, otherwise what went wrong (e.g. "connect ECONNREFUSED 127.0.0.1:6379", "NOAUTH …").
 */
export async function redisProblem(
  url: string,
  timeoutMs = 1000,
  options: { readonly cluster?: boolean } = {},
): Promise<string | null> {
  const redis: RedisClient =
    options.cluster === true
      ? createCluster(url, {
          lazyConnect: true,
          clusterRetryStrategy: () => null,
          slotsRefreshTimeout: timeoutMs,
          redisOptions: { maxRetriesPerRequest: 0, connectTimeout: timeoutMs },
        })
      : new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          connectTimeout: timeoutMs,
          retryStrategy: () => null,
        });
  let lastError: string | undefined;
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(lastError ?? `no answer within ${timeoutMs * 2} ms`), timeoutMs * 2);
  });
  try {
    const answered = (async () => {
      await redis.connect();
      const pong = await redis.ping();
      return pong === 'PONG' ? null : `PING answered ${String(pong)}`;
    })().catch((error: unknown) => lastError ?? (error instanceof Error ? error.message : String(error)));
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
