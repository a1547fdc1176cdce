import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/env.js';
import { createLogger } from '../../src/logger.js';
import { inspectRedis, RedisRequirementError } from '../../src/ops/redis-requirements.js';
import { createRedis } from '../../src/redis.js';
import { startRoles } from '../../src/roles.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { TestRedisServer } from '../helpers/redis-server.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

describe('start-up Redis checks', () => {
  let evicting: TestRedisServer;
  let evictingNoConfig: TestRedisServer;

  beforeAll(async () => {
    [evicting, evictingNoConfig] = await Promise.all([
      TestRedisServer.start(['--maxmemory-policy', 'allkeys-lru', '--appendonly', 'no']),
      TestRedisServer.start([
        '--maxmemory-policy',
        'volatile-ttl',
        '--appendonly',
        'no',
        '--rename-command',
        'CONFIG',
        '',
      ]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([evicting.stop(), evictingNoConfig.stop()]);
  });

  it('refuses to start on a Redis whose maxmemory-policy evicts, naming the policy and the fix, and starts nothing', async () => {
    const prefix = uniquePrefix('refuse');
    const redis = createRedis(evicting.url);
    const settings = loadSettings({
      REDIS_URL: evicting.url,
      QUEUE_PREFIX: prefix,
      ROLES: 'worker,publisher,http',
      HTTP_PORT: '0',
    });
    const refusal = startRoles({
      settings,
      trackings: [layoverTracking()],
      logger: createLogger('silent'),
      publishers: [new RecordingPublisher('x', redis, `${prefix}:published`)],
    });
    await expect(refusal).rejects.toBeInstanceOf(RedisRequirementError);
    await expect(refusal).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/s);
    // Nothing was created on the refused Redis: no queue keys, no state.
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    redis.disconnect();
  });

  it('reads the policy from INFO memory when CONFIG is disabled, and still refuses an evicting one', async () => {
    const redis = createRedis(evictingNoConfig.url);
    await expect(redis.call('CONFIG', 'GET', 'maxmemory-policy')).rejects.toThrow(/unknown command/i);
    const report = await inspectRedis(redis);
    redis.disconnect();
    expect(report.facts.maxmemoryPolicy).toBe('volatile-ttl');
    expect(report.facts.policySource).toBe('info');
    expect(report.problems.join('\n')).toMatch(/volatile-ttl/);
  });

  it('accepts a noeviction Redis of version 6.2 or later, and warns when AOF is off', async () => {
    const redis = testRedis();
    const report = await inspectRedis(redis);
    const aof = await redis.config('GET', 'appendonly');
    redis.disconnect();
    expect(report.problems).toEqual([]);
    expect(report.facts.maxmemoryPolicy).toBe('noeviction');
    expect(report.facts.policySource).toBe('config');
    expect(report.warnings.some((w) => w.includes('AOF'))).toBe(aof[1] === 'no');
    expect(TEST_REDIS_URL).toContain('6379');
  });

  it('does not warn about AOF on a Redis that has it on', async () => {
    const aof = await TestRedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
    try {
      const redis = createRedis(aof.url);
      const report = await inspectRedis(redis);
      redis.disconnect();
      expect(report.facts.aofEnabled).toBe(true);
      expect(report.warnings).toEqual([]);
    } finally {
      await aof.stop();
    }
  });
});
