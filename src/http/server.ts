import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';

/** A route module: registers its routes on the app. Each HTTP feature (ingest, interactions, health) is one. */
export type RouteModule = (app: FastifyInstance) => void | Promise<void>;

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly routes: readonly RouteModule[];
  /** Largest accepted request body, bytes (CONTRACT §6: 1 MiB for POST /snapshots). */
  readonly bodyLimit?: number;
}

/**
 * The one HTTP server (ingest, interactions, health, metrics). Built without listening so that tests can use
 * `inject` or listen on port 0.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    disableRequestLogging: true,
  });
  for (const register of options.routes) await register(app);
  return app;
}
