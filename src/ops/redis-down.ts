import type { Logger } from '../logger.js';
import { redisProblem, reportRedisErrorsTo } from '../redis.js';
import { ErrorAggregator } from './error-flood.js';

/** Raised when Redis does not answer at start-up; the message says what is wrong and what to do. */
export class RedisDownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisDownError';
  }
}

/** REDIS_URL without credentials, for messages. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^@/,]*)@/g, '//[redacted]@');
}

export interface RequireRedisOptions {
  readonly cluster?: boolean;
  /** Keep trying this long before giving up (ms); Redis may still be starting beside us. */
  readonly withinMs?: number;
  /** Each attempt's connect timeout (ms). */
  readonly attemptMs?: number;
}

/**
 * Start-up check: resolves once Redis answers a PING, or throws {@link RedisDownError} after `withinMs` (8 s by
 * default, so the message comes within 10 s) naming REDIS_URL, the reason and what to start.
 */
export async function requireReachableRedis(url: string, options: RequireRedisOptions = {}): Promise<void> {
  const withinMs = options.withinMs ?? 8000;
  const attemptMs = options.attemptMs ?? 1000;
  const cluster = options.cluster ?? false;
  const deadline = Date.now() + withinMs;
  let problem: string | null;
  do {
    const started = Date.now();
    problem = await redisProblem(url, attemptMs, { cluster });
    if (problem === null) return;
    const wait = Math.min(500 - (Date.now() - started), deadline - Date.now());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  } while (Date.now() < deadline);
  const what = cluster ? 'The Redis Cluster at REDIS_URL' : 'Redis at REDIS_URL';
  throw new RedisDownError(
    `${what} (${redactRedisUrl(url)}) did not answer within ${Math.round(withinMs / 1000)} s: ${problem}.\n` +
      'The bot keeps its queues and state in Redis (6.2 or later, maxmemory-policy noeviction). Start it, e.g.\n' +
      '  redis-server --port 6379 --appendonly yes\n' +
      '(Debian/Ubuntu: apt-get install redis-server), or set REDIS_URL in .env to the Redis you have.',
  );
}

/**
 * Once running, Redis connection errors (Redis stopped or restarting) are aggregated: one warning per kind per
 * `intervalMs` (30 s) with a count, while every client retries with backoff and /healthz answers 503. Returns a
 * function that logs what is still counted and detaches the reporter.
 */
export function reportRedisConnectionErrors(logger: Logger, intervalMs = 30_000): () => void {
  const aggregator = new ErrorAggregator(logger, { intervalMs, level: 'warn' });
  reportRedisErrorsTo((error) =>
    aggregator.report(
      'Redis connection error: retrying with backoff; /healthz answers 503 until Redis is back',
      error,
    ),
  );
  return () => {
    reportRedisErrorsTo(undefined);
    aggregator.close();
  };
}
