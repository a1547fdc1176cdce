import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { startProcess } from '../helpers/start-process.js';

describe('npm start: what it says at start-up', () => {
  const prefix = uniquePrefix('startlines');
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) server.close();
    await cleanupPrefix(prefix);
  });

  it('names DISCORD_TOKEN and SOURCES_CONFIG for the roles they would run, with no deprecation warning', async () => {
    const run = startProcess({
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      ROLES: 'worker,bot,poller',
      LOG_LEVEL: 'info',
    });
    await run.line('ready: waiting for snapshots', 90_000);
    run.child.kill('SIGTERM');
    await run.exited;
    const err = run.stderr();
    expect(err).toContain('"msg":"DISCORD_TOKEN is not set: the bot role');
    expect(err).toContain('"msg":"SOURCES_CONFIG is not set: the poller role');
    expect(err).not.toContain('nothing to run for it');
    expect(err).not.toMatch(/Deprecation|DeprecationWarning|FSTDEP/);
    // Not a terminal: JSON lines only.
    for (const line of err.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  }, 120_000);

  it('npm start drains on a SIGTERM sent to its whole process group (npm and the bot both get it)', async () => {
    const run = startProcess(
      { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, ROLES: 'worker,publisher', LOG_LEVEL: 'info' },
      { viaNpm: true },
    );
    await run.line('ready: waiting for snapshots', 90_000);
    process.kill(-(run.child.pid ?? 0), 'SIGTERM');
    const { code, signal } = await run.exited;
    // npm itself, signalled too, reports the signal once the bot has exited; the bot drained and stopped.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(run.stderr()).toContain('"msg":"shutting down: draining active jobs"');
    expect(run.stderr()).toContain('"msg":"stopped"');
    expect(run.stderr()).not.toContain('second signal');
  }, 120_000);

  it('HTTP_PORT in use: one line naming HTTP_PORT, exit code 5, no stack trace', async () => {
    const busy = createServer();
    servers.push(busy);
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const run = startProcess({
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      ROLES: 'worker,http',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    const { code } = await run.exited;
    expect(code).toBe(5);
    expect(run.stderr().trim()).toBe(
      `HTTP_PORT=${port} is already in use on 127.0.0.1: stop what listens there, or set HTTP_PORT to a free port`,
    );
  }, 120_000);
});
