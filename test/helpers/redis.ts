import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis } from '../../src/redis.js';
import { deletePrefix } from '../../src/replay/run-replay.js';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A fresh key prefix per test, so tests never see each other's keys. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${randomUUID().slice(0, 8)}`;
}

export function testRedis(): Redis {
  return createRedis(TEST_REDIS_URL);
}

/** Removes every key under the prefix (queues and state alike). */
export async function cleanupPrefix(prefix: string): Promise<void> {
  const redis = testRedis();
  try {
    await deletePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
