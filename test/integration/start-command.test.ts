import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { TestRedisServer } from '../helpers/redis-server.js';

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** `tsx src/cli.ts start` with the given settings; `onLine` sees each stderr line and may signal the child. */
function start(
  env: Record<string, string>,
  onLine?: (line: string, kill: (s: NodeJS.Signals) => void) => void,
): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine?.(line, (signal) => child.kill(signal));
  });
  return new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig, stderr })));
}

describe('npm start', () => {
  let evicting: TestRedisServer;
  const prefix = uniquePrefix('start');
  beforeAll(async () => {
    evicting = await TestRedisServer.start(['--maxmemory-policy', 'allkeys-lru', '--appendonly', 'no']);
  });
  afterAll(async () => {
    await evicting.stop();
    await cleanupPrefix(prefix);
  });

  it('refuses to run on a Redis with an evicting policy: exit code 3 and a message naming the fix', async () => {
    const run = await start({
      REDIS_URL: evicting.url,
      QUEUE_PREFIX: prefix,
      ROLES: 'worker',
      LOG_LEVEL: 'silent',
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('refusing to start');
    expect(run.stderr).toContain('maxmemory-policy is "allkeys-lru"');
    expect(run.stderr).toContain('noeviction');
    // Starting a process takes long on a loaded machine: the bound is for the machine, not the behaviour.
  }, 120_000);

  it('stops on SIGTERM within SHUTDOWN_TIMEOUT_MS and exits 0', async () => {
    let signalledAt = 0;
    let readyLine = '';
    const run = await start(
      {
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        ROLES: 'worker,publisher,http',
        HTTP_PORT: '0',
        SHUTDOWN_TIMEOUT_MS: '3000',
        LOG_LEVEL: 'info',
      },
      (line, kill) => {
        if (line.includes('"msg":"ready: waiting for snapshots"')) {
          readyLine = line;
          signalledAt = Date.now();
          kill('SIGTERM');
        }
      },
    );
    expect(readyLine).toContain('"roles":["worker","publisher","http"]');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('"msg":"stopped"');
    expect(Date.now() - signalledAt).toBeLessThan(3000 + 2000);
  }, 120_000);
});
