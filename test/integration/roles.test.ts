import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/env.js';
import { createLogger } from '../../src/logger.js';
import { startRoles, type RoleStarter, type RunningApp } from '../../src/roles.js';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

describe('ROLES picks what one process runs', () => {
  const prefix = uniquePrefix('roles');
  const started: RunningApp[] = [];
  afterAll(async () => {
    await Promise.all(started.map((a) => a.stop(2000)));
    await cleanupPrefix(prefix);
  });

  async function start(roles: string, starters: Parameters<typeof startRoles>[0]['starters'] = {}) {
    const app = await startRoles({
      settings: loadSettings({
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ROLES: roles,
        HTTP_PORT: '0',
      }),
      trackings: [layoverTracking()],
      logger: createLogger('silent'),
      publishers: [],
      starters,
      httpHost: '127.0.0.1',
    });
    started.push(app);
    return app;
  }

  it('runs only the snapshot worker for ROLES=worker', async () => {
    const app = await start('worker');
    expect(app.pipeline.workers.map((w) => w.name)).toEqual(['snapshots']);
    expect(app.http).toBeNull();
  });

  it('runs only the publish worker and HTTP for ROLES=publisher,http', async () => {
    const app = await start('publisher,http');
    expect(app.pipeline.workers.map((w) => w.name)).toEqual(['publish']);
    expect(app.httpPort).not.toBeNull();
    expect((await fetch(`http://127.0.0.1:${app.httpPort}/healthz`)).status).toBe(200);
  });

  it('starts the bot and poller through their starters only when asked, and stops them on stop', async () => {
    const events: string[] = [];
    const starter =
      (name: string): RoleStarter =>
      () => {
        events.push(`start ${name}`);
        return Promise.resolve({
          stop: () => {
            events.push(`stop ${name}`);
            return Promise.resolve();
          },
        });
      };
    const app = await start('poller', { bot: starter('bot'), poller: starter('poller') });
    expect(app.pipeline.workers).toEqual([]);
    expect(events).toEqual(['start poller']);
    await app.stop(1000);
    expect(events).toEqual(['start poller', 'stop poller']);
  });
});
