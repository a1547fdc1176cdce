import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminSessions } from './admin-sessions.js';
import type { RouteModule } from './server.js';

export const ADMIN_BASE_PATH = '/admin/queues';
const COOKIE = 'layover_admin';

export interface AdminQueuesOptions {
  /** ADMIN_TOKEN. */
  readonly token: string;
  readonly queues: readonly Queue[];
  /** Where board sessions live (a fresh in-memory store by default). */
  readonly sessions?: AdminSessions;
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
 * `Authorization: Bearer <token>`, or once as `?token=<token>`, which opens a session: a cookie holding an opaque
 * random id (never the token), HttpOnly, SameSite=Strict, scoped to the board, `Secure` when the request came
 * over HTTPS (directly, or per `X-Forwarded-Proto` with HTTP_TRUST_PROXY), expiring with the session. Anything
 * else gets 401. Not mounted at all without ADMIN_TOKEN (roles.ts decides).
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

  const sessions = options.sessions ?? new AdminSessions();
  const authorize = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = request.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') === true ? auth.slice('Bearer '.length) : undefined;
    const query = (request.query as Record<string, unknown> | undefined)?.token;
    const fromQuery = typeof query === 'string' ? query : undefined;
    if (tokenMatches(bearer, options.token) || sessions.valid(cookieValue(request.headers.cookie, COOKIE))) {
      return;
    }
    if (tokenMatches(fromQuery, options.token)) {
      const secure = request.protocol === 'https' ? '; Secure' : '';
      const maxAge = Math.floor(sessions.ttlMs / 1000);
      reply.header(
        'set-cookie',
        `${COOKIE}=${sessions.open()}; Path=${ADMIN_BASE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
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
