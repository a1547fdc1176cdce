import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAnswers } from '../redis.js';

export interface RedisForRun {
  readonly url: string;
  /** Stops the private Redis, if one was started. */
  stop(): Promise<void>;
  /** Set when a private Redis was started for this run. */
  readonly privatePort: number | null;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Raised when no Redis can be had; the message says exactly what to start. */
export class NoRedisError extends Error {}

/**
 * The Redis a one-shot command (demo, replay) should use. An explicit REDIS_URL is used as it is. Otherwise the
 * default address is tried, and when nothing answers there and `redis-server` is on the PATH, a private Redis
 * (no persistence) is started on a free port and stopped afterwards. A Redis Cluster (`cluster`) is used as it
 * is or not at all: a private single server is no stand-in for it.
 */
export async function redisForRun(url: string, explicit: boolean, cluster = false): Promise<RedisForRun> {
  const none = { url, privatePort: null, stop: () => Promise.resolve() };
  if (await redisAnswers(url, 1000, { cluster })) return none;
  if (cluster) {
    throw new NoRedisError(
      `The Redis Cluster at REDIS_URL (${redact(url)}) does not answer. Start it, or fix REDIS_URL.`,
    );
  }
  if (explicit) {
    throw new NoRedisError(
      `Redis does not answer at REDIS_URL (${redact(url)}). Start it, or fix REDIS_URL.`,
    );
  }
  if (!hasRedisServer()) {
    throw new NoRedisError(
      `No Redis answers at ${url}, and no redis-server is on the PATH to start a private one.\n` +
        'Start Redis 6.2 or later, for example:\n' +
        '  redis-server --port 6379 --save "" --appendonly no\n' +
        'or install it (Debian/Ubuntu: apt-get install redis-server), or set REDIS_URL to a Redis you have.',
    );
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const privateUrl = `redis://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !(await redisAnswers(privateUrl, 200)); i += 1) await sleep(50);
  if (!(await redisAnswers(privateUrl, 500))) {
    child.kill('SIGKILL');
    throw new NoRedisError(`Started redis-server on port ${port}, but it did not answer.`);
  }
  return {
    url: privateUrl,
    privatePort: port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A Redis URL (or comma-separated URLs) with any username and password replaced, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/,]*)@/g, '//[redacted]@');
}
