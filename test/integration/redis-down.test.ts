import { afterAll, describe, expect, it } from 'vitest';
import { freePort, TestRedisServer } from '../helpers/redis-server.js';
import { startProcess } from '../helpers/start-process.js';
import { until } from '../helpers/until.js';

async function healthStatus(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
  } catch {
    return 0;
  }
}

describe('npm start when Redis is down', () => {
  let redis: TestRedisServer | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('at start-up: says what is wrong and what to start, and exits 4 (no ioredis spam)', async () => {
    const port = await freePort(); // nothing listens there
    const run = startProcess({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      ROLES: 'worker,publisher,http',
      HTTP_PORT: '0',
    });
    const { code } = await run.exited;
    expect(code).toBe(4);
    expect(run.stderr()).toContain(
      `Redis at REDIS_URL (redis://127.0.0.1:${port}) did not answer within 8 s`,
    );
    expect(run.stderr()).toContain('ECONNREFUSED');
    expect(run.stderr()).toContain('redis-server --port 6379');
    expect(run.stderr()).not.toContain('Unhandled error event');
  }, 120_000);

  it('once running: keeps retrying with one warning, /healthz answers 503, and recovers when Redis is back', async () => {
    redis = await TestRedisServer.start(['--appendonly', 'no']);
    const httpPort = await freePort();
    const run = startProcess({
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'redisdown',
      ROLES: 'worker,publisher,http',
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'info',
    });
    await run.line('ready: waiting for snapshots', 90_000);
    expect(await healthStatus(httpPort)).toBe(200);
    await redis.kill();
    // Redis stays away through several of ioredis's reconnect attempts and several health checks.
    let unavailable = 0;
    await until('three 503s from /healthz', async () => {
      if ((await healthStatus(httpPort)) === 503) unavailable += 1;
      return unavailable >= 3;
    });
    await run.line('Redis connection error');
    const warnings = run
      .stderr()
      .split('\n')
      .filter((l) => l.includes('Redis connection error'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":40');
    expect(run.stderr()).not.toContain('Unhandled error event');
    await redis.relaunch();
    await until('/healthz 200 again', async () => (await healthStatus(httpPort)) === 200);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  }, 180_000);
});
