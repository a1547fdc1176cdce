import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/env.js';
import { healthRoutes } from '../../src/http/health.route.js';
import { createHttpServer } from '../../src/http/server.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { createLogger } from '../../src/logger.js';
import { startRoles, type RunningApp } from '../../src/roles.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { freePort } from '../helpers/redis-server.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('health, metrics and the queue board', () => {
  const prefix = uniquePrefix('ops-http');
  const redis = testRedis();
  const tracking = layoverTracking();
  let app: RunningApp;

  beforeAll(async () => {
    app = await startRoles({
      settings: loadSettings({
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ROLES: 'worker,publisher,http',
        HTTP_PORT: '0',
        ADMIN_TOKEN,
        // One snapshot at a time, so the queue order is the apply order and exactly one snapshot is stale.
        WORKER_CONCURRENCY: '1',
        // The history is from 2023: no age limit, or every post would be skipped as stale data.
        ANNOUNCE_MAX_AGE_HOURS: '0',
      }),
      trackings: [tracking],
      logger: createLogger('silent'),
      publishers: [
        new RecordingPublisher('x', redis, `${prefix}:test:published`),
        new RecordingPublisher('discord', redis, `${prefix}:test:published`),
      ],
      httpHost: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await app.stop(5000);
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('answers /healthz with 200 and Redis reachability', async () => {
    const response = await fetch(`http://127.0.0.1:${app.httpPort}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      redis: { reachable: boolean; latencyMs: number };
    };
    expect(body.status).toBe('ok');
    expect(body.redis.reachable).toBe(true);
    expect(body.redis.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers /healthz with 503 when Redis is down', async () => {
    const deadPort = await freePort();
    const server = await createHttpServer({
      logger: createLogger('silent'),
      routes: [healthRoutes({ redisUrl: `redis://127.0.0.1:${deadPort}`, timeoutMs: 300 })],
    });
    try {
      for (let i = 0; i < 2; i += 1) {
        const response = await server.inject({ method: 'GET', url: '/healthz' });
        expect(response.statusCode).toBe(503);
        expect(response.json()).toMatchObject({ status: 'unavailable', redis: { reachable: false } });
      }
    } finally {
      await server.close();
    }
  });

  it('counts applied, stale and rejected snapshots, milestones, posts and queue depths in /metrics', async () => {
    const history = randomHistory(tracking, 20, 7);
    const newest = history.at(-1)!;
    // An exact repeat (a retried job) answers as before; an older snapshot with other counts is stale.
    const stale = { ...history[0]!, followers: (history[0]!.followers ?? 0) + 1 };
    const settled = async (jobs: number) => {
      for (let waited = 0; ; waited += 50) {
        const s = await app.pipeline.snapshotQueue.getJobCounts('completed', 'failed');
        const p = await app.pipeline.publishQueue.getJobCounts('waiting', 'active', 'delayed');
        const waiting = (await app.pipeline.artistState.view(tracking.artist.id)).waiting;
        if (
          (s.completed ?? 0) + (s.failed ?? 0) === jobs &&
          waiting === 0 &&
          Object.values(p).every((n) => n === 0)
        )
          return;
        if (waited > 20_000) throw new Error(`timed out ${JSON.stringify(s)}`);
        await sleep(50);
      }
    };
    await enqueueRaw(app.pipeline, history, { jobIds: history.map((_, i) => `m-${i}`), attempts: 1 });
    await settled(history.length);
    // Then a repeat of an applied snapshot under another job, an older one with other counts (stale), and a
    // job whose payload no entrance would have made (rejected).
    await enqueueRaw(app.pipeline, [history[1]!], { jobIds: ['m-repeat'], attempts: 1 });
    await enqueueRaw(app.pipeline, [stale], { jobIds: ['m-stale'], attempts: 1 });
    await app.pipeline.snapshotQueue.add(
      'snapshot',
      { entry: 'bad', snapshot: { capturedAt: 'not a date' } } as never,
      { jobId: 'm-bad', attempts: 1 },
    );
    await settled(history.length + 3);
    const milestones = (await app.pipeline.milestones.recent(tracking.artist.id, 10_000)).length;
    const published = await redis.llen(`${prefix}:test:published`);
    expect(milestones).toBeGreaterThan(0);
    expect(newest.capturedAt).toBeDefined();

    const response = await fetch(`http://127.0.0.1:${app.httpPort}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(metricValue(text, 'layover_snapshots_total', 'outcome="applied"')).toBe(history.length);
    expect(metricValue(text, 'layover_snapshots_total', 'outcome="repeat"')).toBe(1);
    expect(metricValue(text, 'layover_snapshots_total', 'outcome="stale"')).toBe(1);
    expect(metricValue(text, 'layover_snapshots_total', 'outcome="rejected"')).toBe(1);
    expect(text).toMatch(new RegExp(`^layover_milestones_found_total ${milestones}$`, 'm'));
    // Snapshots apply faster than posts go out, so some milestones of one subject wait together: only the highest
    // of them is posted, the others are superseded. Each milestone ends one way or the other on each platform.
    const posts = (platform: string, outcome: string) =>
      metricValue(text, 'layover_posts_total', `platform="${platform}",outcome="${outcome}"`);
    for (const platform of ['x', 'discord']) {
      expect(posts(platform, 'sent') + posts(platform, 'superseded')).toBe(milestones);
      expect(posts(platform, 'sent')).toBeGreaterThan(0);
    }
    expect(published).toBe(posts('x', 'sent') + posts('discord', 'sent'));
    expect(metricValue(text, 'layover_publish_latency_seconds_count', 'platform="x"')).toBe(
      posts('x', 'sent'),
    );
    expect(metricValue(text, 'layover_queue_jobs', 'queue="snapshots",state="completed"')).toBe(
      history.length + 2,
    );
    expect(metricValue(text, 'layover_queue_jobs', 'queue="snapshots",state="failed"')).toBe(1);
    expect(text).toContain('layover_process_resident_memory_bytes');
  });

  it('keeps the queue board behind the admin token: 401 without it, served with a bearer token or the cookie', async () => {
    const base = `http://127.0.0.1:${app.httpPort}/admin/queues`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(base, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(
      401,
    );
    expect((await fetch(`${base}/api/queues`)).status).toBe(401);

    const withBearer = await fetch(`${base}/api/queues`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(withBearer.status).toBe(200);
    const queues = (await withBearer.json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['publish', 'snapshots']);

    const viaQuery = await fetch(`${base}?token=${ADMIN_TOKEN}`);
    expect(viaQuery.status).toBe(200);
    expect(await viaQuery.text()).toContain('<html');
    const setCookie = viaQuery.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0];
    expect(cookie).toMatch(/^layover_admin=[A-Za-z0-9_-]{43}$/);
    // An opaque session id, not the token; HttpOnly and SameSite=Strict; not Secure over plain HTTP.
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    expect(setCookie).not.toContain(encodeURIComponent(ADMIN_TOKEN));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    expect((await fetch(`${base}/api/queues`, { headers: { cookie: cookie! } })).status).toBe(200);
    // A made-up session id, or the token itself as the cookie, is refused.
    const forged = `layover_admin=${'A'.repeat(43)}`;
    expect((await fetch(`${base}/api/queues`, { headers: { cookie: forged } })).status).toBe(401);
    const tokenCookie = `layover_admin=${encodeURIComponent(ADMIN_TOKEN)}`;
    expect((await fetch(`${base}/api/queues`, { headers: { cookie: tokenCookie } })).status).toBe(401);
  });

  it('does not mount the queue board without ADMIN_TOKEN', async () => {
    const other = await startRoles({
      settings: loadSettings({
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ROLES: 'http',
        HTTP_PORT: '0',
      }),
      trackings: [tracking],
      logger: createLogger('silent'),
      publishers: [],
      httpHost: '127.0.0.1',
    });
    try {
      expect((await fetch(`http://127.0.0.1:${other.httpPort}/admin/queues`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${other.httpPort}/healthz`)).status).toBe(200);
    } finally {
      await other.stop(2000);
    }
  });
});
