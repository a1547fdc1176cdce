import type { FastifyInstance } from 'fastify';
import type { Role, Settings } from './env.js';
import { adminQueuesRoutes } from './http/admin-queues.route.js';
import { healthRoutes } from './http/health.route.js';
import { metricsRoutes } from './http/metrics.route.js';
import { createHttpServer, type RouteModule } from './http/server.js';
import { startPipeline, type Pipeline } from './jobs/pipeline.js';
import { liveRules } from './jobs/publish-rules.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { requireFitRedis, type RedisRequirementReport } from './ops/redis-requirements.js';
import { startBoards, type Boards, type BoardsOptions } from './jobs/boards.js';
import type { Publisher } from './platforms/publisher.js';
import { createRedis } from './redis.js';
import type { Tracking } from './tracking/tracking.js';

/** Raised when the HTTP server cannot listen (port in use, no permission, unknown host); one line naming the setting. */
export class HttpListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpListenError';
  }
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new HttpListenError(
      `HTTP_PORT=${port} is already in use on ${host}: stop what listens there, or set HTTP_PORT to a free port`,
    );
  }
  if (code === 'EACCES') {
    return new HttpListenError(
      `HTTP_PORT=${port}: no permission to listen on ${host}:${port} (ports below 1024 need privileges); ` +
        'use a port of 1024 or more behind a reverse proxy',
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new HttpListenError(
      `HTTP_HOST=${host} is not an address of this machine: use 0.0.0.0 (every interface) or 127.0.0.1`,
    );
  }
  return error;
}

/** Why a requested `bot` or `poller` role has nothing to run: the setting that is missing, and what to do. */
export function idleRoleReason(role: 'bot' | 'poller', settings: Settings): string {
  if (role === 'bot') {
    return settings.DISCORD_TOKEN === undefined
      ? 'DISCORD_TOKEN is not set: the bot role (Discord gateway, slash commands) does not run; set it, or leave bot out of ROLES'
      : 'the bot role has nothing to run (no Discord app was built)';
  }
  return settings.SOURCES_CONFIG === undefined
    ? 'SOURCES_CONFIG is not set: the poller role has no sources to poll; set it (docs/sources.md), or leave poller out of ROLES'
    : `SOURCES_CONFIG (${settings.SOURCES_CONFIG}) lists no sources: the poller role has nothing to poll`;
}

/** What a role gets to start with: the shared pipeline (queues, stores, this process's workers) and metrics. */
export interface RoleContext {
  readonly settings: Settings;
  readonly trackings: readonly Tracking[];
  readonly logger: Logger;
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
}

/** A started role; `stop` must return within `timeoutMs`. */
export interface RunningRole {
  stop(timeoutMs: number): Promise<void>;
}

/** Starts one role (bot, poller). Supplied by the branch that owns the role; see {@link StartRolesOptions}. */
export type RoleStarter = (context: RoleContext) => Promise<RunningRole>;

export interface StartRolesOptions {
  readonly settings: Settings;
  readonly trackings: readonly Tracking[];
  readonly logger: Logger;
  readonly publishers: readonly Publisher[];
  /** Starters for the roles that are not queue workers or HTTP: `bot` (Discord gateway) and `poller` (sources). */
  readonly starters?: Partial<Record<Extract<Role, 'bot' | 'poller'>, RoleStarter>>;
  /** Further HTTP routes (POST /snapshots, POST /interactions), built once the pipeline exists. */
  readonly routes?: (context: RoleContext) => readonly RouteModule[];
  /** Host the HTTP role listens on (HTTP_HOST by default). */
  readonly httpHost?: string;
  /**
   * Live status boards (`/layover-mod board`). A process with the `worker` role plans their edits after the
   * snapshots it applies; one with the `publisher` role also makes them, when `editor` is given (a bot token).
   */
  readonly boards?: Pick<BoardsOptions, 'intervalMs' | 'editor'>;
}

/** A running process: stop it with {@link RunningApp.stop}, within a bounded time. */
export interface RunningApp {
  readonly roles: ReadonlySet<Role>;
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
  readonly redisReport: RedisRequirementReport;
  /** The HTTP server when the `http` role runs, listening. */
  readonly http: FastifyInstance | null;
  /** The port the HTTP server listens on (useful with HTTP_PORT=0). */
  readonly httpPort: number | null;
  /**
   * Stops taking work (HTTP first, then pollers and the bot), lets active jobs finish for up to `timeoutMs`, then
   * closes workers hard (their jobs return to the queue through the stalled-job check) and every connection.
   */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Checks Redis (refusing one that could evict or is too old), then starts exactly the roles in `settings.ROLES`:
 * `worker` (snapshots queue), `publisher` (publish queue), `http` (health, metrics, admin board and the routes
 * given), `bot` and `poller` (through `starters`; a requested role without a starter is reported, not faked).
 */
export async function startRoles(options: StartRolesOptions): Promise<RunningApp> {
  const { settings, logger } = options;
  const roles = new Set(settings.ROLES);
  const cluster = { cluster: settings.REDIS_CLUSTER };
  const probe = createRedis(settings.REDIS_URL, cluster);
  let redisReport: RedisRequirementReport;
  try {
    redisReport = await requireFitRedis(probe);
  } finally {
    probe.disconnect();
  }
  for (const warning of redisReport.warnings) logger.warn(warning);
  logger.info(
    settings.REDIS_CLUSTER ? { redisCluster: redisReport.nodes } : { redis: redisReport.facts },
    'redis checked',
  );

  const metrics = createMetrics();
  const boards: Boards | null =
    options.boards !== undefined && (roles.has('worker') || roles.has('publisher'))
      ? await startBoards({
          redisUrl: settings.REDIS_URL,
          redisCluster: settings.REDIS_CLUSTER,
          prefix: settings.QUEUE_PREFIX,
          trackings: options.trackings,
          logger,
          ...(options.boards.intervalMs === undefined ? {} : { intervalMs: options.boards.intervalMs }),
          editor: roles.has('publisher') ? options.boards.editor : null,
        })
      : null;
  const pipeline = await startPipeline({
    redisUrl: settings.REDIS_URL,
    redisCluster: settings.REDIS_CLUSTER,
    prefix: settings.QUEUE_PREFIX,
    trackings: options.trackings,
    publishers: options.publishers,
    logger,
    runSnapshotWorker: roles.has('worker'),
    runPublishWorker: roles.has('publisher'),
    snapshotConcurrency: settings.WORKER_CONCURRENCY,
    publishConcurrency: settings.PUBLISH_CONCURRENCY,
    onDrained: (entry) => metrics.onDrained(entry),
    publishRules: liveRules(settings.ANNOUNCE_MAX_AGE_HOURS),
    onApplied: (result) => metrics.onApplied(result),
    ...(boards === null ? {} : { afterApplied: (result) => boards.afterApplied(result) }),
    onPublished: (outcome) => metrics.onPublished(outcome),
  });
  metrics.observeWorkers(pipeline.workers);
  // The boards' and the platforms' own queues (Discord's crossposts) sit beside the pipeline's on the board and
  // in /metrics.
  const queues = [
    pipeline.snapshotQueue,
    pipeline.publishQueue,
    ...(boards === null ? [] : [boards.queue]),
    ...options.publishers.flatMap((p) => p.queues?.() ?? []),
  ];
  metrics.watchQueues(queues);
  metrics.watchBudgets(options.publishers);
  const context: RoleContext = { settings, trackings: options.trackings, logger, pipeline, metrics };

  const running: RunningRole[] = [];
  let http: FastifyInstance | null = null;
  let httpPort: number | null = null;
  try {
    if (roles.has('http')) {
      const routes: RouteModule[] = [
        healthRoutes({ redisUrl: settings.REDIS_URL, redisCluster: settings.REDIS_CLUSTER }),
        metricsRoutes(metrics),
      ];
      if (settings.ADMIN_TOKEN !== undefined) {
        routes.push(
          adminQueuesRoutes({
            token: settings.ADMIN_TOKEN,
            queues,
          }),
        );
      } else {
        logger.info('ADMIN_TOKEN is not set: the queue board at /admin/queues is off');
      }
      routes.push(...(options.routes?.(context) ?? []));
      http = await createHttpServer({
        logger,
        routes,
        limits: { maxConnections: settings.HTTP_MAX_CONNECTIONS },
        trustProxy: settings.HTTP_TRUST_PROXY,
      });
      const host = options.httpHost ?? settings.HTTP_HOST;
      await http.listen({ port: settings.HTTP_PORT, host }).catch((error: unknown) => {
        throw listenError(error, host, settings.HTTP_PORT);
      });
      const address = http.server.address();
      httpPort = typeof address === 'object' && address !== null ? address.port : settings.HTTP_PORT;
      logger.info({ port: httpPort }, 'http listening');
    }
    for (const role of ['bot', 'poller'] as const) {
      if (!roles.has(role)) continue;
      const starter = options.starters?.[role];
      if (starter === undefined) {
        logger.warn({ role }, idleRoleReason(role, settings));
        continue;
      }
      running.push(await starter(context));
    }
  } catch (error) {
    await http?.close();
    await Promise.all(running.map((r) => r.stop(1000)));
    await pipeline.close(1000);
    await boards?.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs: number): Promise<void> => {
    stopping ??= (async () => {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(0, deadline - Date.now());
      if (http !== null) {
        const closing = http.close();
        await Promise.race([closing, new Promise((r) => setTimeout(r, Math.min(left(), 2000)).unref())]);
      }
      await Promise.all(running.map((r) => r.stop(left())));
      await pipeline.close(left());
      await boards?.close();
    })();
    return stopping;
  };

  return { roles, pipeline, metrics, redisReport, http, httpPort, stop };
}

/**
 * Signals within this long of the first count as the same request to stop: a SIGTERM sent to the whole process
 * group (systemd, Ctrl-C in a terminal) reaches npm, tsx and this process at once, and npm and tsx pass theirs on.
 */
export const REPEAT_SIGNAL_GRACE_MS = 3000;

/**
 * Resolves once SIGTERM or SIGINT has stopped `app` (bounded by `timeoutMs`). Signals within `graceMs` of the first
 * are the same request arriving by several routes and are ignored; a signal after that exits at once.
 */
export function stopOnSignal(
  app: RunningApp,
  logger: Logger,
  timeoutMs: number,
  graceMs = REPEAT_SIGNAL_GRACE_MS,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let firstAt: number | undefined;
    const stop = (signal: NodeJS.Signals) => {
      if (firstAt !== undefined) {
        if (Date.now() - firstAt < graceMs) {
          logger.debug({ signal }, 'signal repeated within the grace period: still draining');
          return;
        }
        logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      firstAt = Date.now();
      logger.info({ signal, timeoutMs }, 'shutting down: draining active jobs');
      app
        .stop(timeoutMs)
        .then(() => logger.info('stopped'))
        .catch((error: unknown) => logger.error({ err: String(error) }, 'error while stopping'))
        .finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
