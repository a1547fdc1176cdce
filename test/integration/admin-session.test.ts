import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQueuesRoutes } from '../../src/http/admin-queues.route.js';
import { AdminSessions } from '../../src/http/admin-sessions.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const TOKEN = 'admin-token-for-tests-0123456789';

describe('the queue board session cookie', () => {
  const prefix = uniquePrefix('adminsession');
  const redis = createRedis(TEST_REDIS_URL);
  const queue = new Queue('snapshots', { connection: redis, prefix });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  async function board(trustProxy: boolean, sessions?: AdminSessions) {
    return createHttpServer({
      logger: createLogger('silent'),
      trustProxy,
      routes: [adminQueuesRoutes({ token: TOKEN, queues: [queue], ...(sessions ? { sessions } : {}) })],
    });
  }

  it('is Secure when a trusted proxy says the request came over HTTPS, and only then', async () => {
    const trusted = await board(true);
    const untrusted = await board(false);
    try {
      const request = { method: 'GET' as const, url: `/admin/queues/api/queues?token=${TOKEN}` };
      const https = { 'x-forwarded-proto': 'https' };
      const viaProxy = await trusted.inject({ ...request, headers: https });
      expect(viaProxy.statusCode).toBe(200);
      expect(String(viaProxy.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
      const plain = await trusted.inject(request);
      expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
      // Without HTTP_TRUST_PROXY anyone could send the header: it is ignored.
      const spoofed = await untrusted.inject({ ...request, headers: https });
      expect(String(spoofed.headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await trusted.close();
      await untrusted.close();
    }
  });

  it('stops working when the session expires', async () => {
    let now = 1_000_000;
    const sessions = new AdminSessions(60_000, 1000, () => now);
    const app = await board(false, sessions);
    try {
      const opened = await app.inject({ method: 'GET', url: `/admin/queues/api/queues?token=${TOKEN}` });
      const cookie = String(opened.headers['set-cookie']).split(';')[0] ?? '';
      expect(String(opened.headers['set-cookie'])).toContain('Max-Age=60');
      const api = { method: 'GET' as const, url: '/admin/queues/api/queues', headers: { cookie } };
      expect((await app.inject(api)).statusCode).toBe(200);
      now += 60_000;
      expect((await app.inject(api)).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
