import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';

/** A route module: registers its routes on the app. Each HTTP feature (ingest, interactions, health) is one. */
export type RouteModule = (app: FastifyInstance) => void | Promise<void>;

/**
 * How long a client may take, and how many may be connected at once. A client that trickles its headers or body,
 * or holds an idle connection, is cut off instead of holding a socket for good.
 */
export interface HttpLimits {
  /** The whole request, headers and body, must arrive within this (ms); otherwise 408 and the socket is closed. */
  readonly requestTimeoutMs: number;
  /** The request headers must arrive within this (ms). */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic in either direction for this long is closed (ms). */
  readonly idleTimeoutMs: number;
  /** Connections beyond this many are refused (closed at once). */
  readonly maxConnections: number;
  /** How often the server looks for requests past their timeouts (ms). */
  readonly checkIntervalMs: number;
}

/** The production limits: bodies are at most 1 MiB, so 10 s is generous even on a slow link. */
export const defaultHttpLimits: HttpLimits = {
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  keepAliveTimeoutMs: 10_000,
  idleTimeoutMs: 15_000,
  maxConnections: 1024,
  checkIntervalMs: 1_000,
};

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly routes: readonly RouteModule[];
  /** Largest accepted request body, bytes (1 MiB: a snapshot batch for POST /snapshots fits many times over). */
  readonly bodyLimit?: number;
  /** Overrides of {@link defaultHttpLimits} (HTTP_MAX_CONNECTIONS, and shorter timeouts in tests). */
  readonly limits?: Partial<HttpLimits>;
  /**
   * Trust `X-Forwarded-Proto` / `X-Forwarded-For` from a reverse proxy in front (HTTP_TRUST_PROXY): then
   * `request.protocol` is the client's (https), which decides the admin cookie's `Secure` flag.
   */
  readonly trustProxy?: boolean;
}

/**
 * The one HTTP server (ingest, interactions, health, metrics). Built without listening so that tests can use
 * `inject` or listen on port 0.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const limits = { ...defaultHttpLimits, ...options.limits };
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    trustProxy: options.trustProxy ?? false,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
  });
  app.server.maxConnections = limits.maxConnections;
  for (const register of options.routes) await register(app);
  return app;
}
