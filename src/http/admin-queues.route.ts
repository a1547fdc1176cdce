import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from './server.js';

export const ADMIN_BASE_PATH = '/admin/queues';
const COOKIE = 'layover_admin';

export interface AdminQueuesOptions {
  /** ADMIN_TOKEN. */
  readonly token: string;
  readonly queues: readonly Queue[];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of a presented token with the expected one (digests have equal length). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented === '') return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Bull Board at `/admin/queues`, for operators. Every request under it needs the admin token, as
 * `Authorization: Bearer <token>`, or once as `?token=<token>` (which sets an HttpOnly, SameSite=Strict cookie
 * scoped to the board so that its pages and API calls work in a browser). Anything else gets 401. Not mounted at
 * all without ADMIN_TOKEN (main.ts decides).
 */
export function adminQueuesRoutes(options: AdminQueuesOptions): RouteModule {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(ADMIN_BASE_PATH);
  // @bull-board/fastify carries its own copy of @bull-board/api (a patch version apart): same shape, separate
  // declarations, so the adapter is cast to the type of the top-level copy.
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
  });

  const authorize = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = request.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') === true ? auth.slice('Bearer '.length) : undefined;
    const query = (request.query as Record<string, unknown> | undefined)?.token;
    const fromQuery = typeof query === 'string' ? query : undefined;
    if (
      tokenMatches(bearer, options.token) ||
      tokenMatches(cookieValue(request.headers.cookie, COOKIE), options.token)
    ) {
      return;
    }
    if (tokenMatches(fromQuery, options.token)) {
      reply.header(
        'set-cookie',
        `${COOKIE}=${encodeURIComponent(options.token)}; Path=${ADMIN_BASE_PATH}; HttpOnly; SameSite=Strict`,
      );
      return;
    }
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'admin token required' });
  };

  return async (app) => {
    await app.register(async (scope) => {
      scope.addHook('onRequest', authorize);
      await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_BASE_PATH });
    });
  };
}
