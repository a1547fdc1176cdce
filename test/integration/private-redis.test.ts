import { describe, expect, it } from 'vitest';
import { NoRedisError, redact, redisForRun } from '../../src/cli/private-redis.js';
import { redisAnswers } from '../../src/redis.js';

const deadUrl = 'redis://127.0.0.1:1';

describe('the Redis for demo and replay', () => {
  it('uses the given Redis when it answers', async () => {
    const redis = await redisForRun('redis://127.0.0.1:6379', false);
    expect(redis.privatePort).toBeNull();
    expect(redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('starts a private redis-server when the default address does not answer, and stops it afterwards', async () => {
    const redis = await redisForRun(deadUrl, false);
    expect(redis.privatePort).not.toBeNull();
    expect(await redisAnswers(redis.url)).toBe(true);
    await redis.stop();
    expect(await redisAnswers(redis.url, 300)).toBe(false);
  });

  it('says what to fix when an explicit REDIS_URL does not answer, without showing its password', async () => {
    const attempt = redisForRun('redis://user:hunter2@127.0.0.1:1', true);
    await expect(attempt).rejects.toBeInstanceOf(NoRedisError);
    await expect(attempt).rejects.toThrow(/REDIS_URL/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
    expect(redact('redis://user:hunter2@host:6379')).toBe('redis://[redacted]@host:6379');
  });

  it('never starts a private server in place of a Redis Cluster that does not answer', async () => {
    const seeds = 'redis://user:hunter2@127.0.0.1:1,redis://user:hunter2@127.0.0.1:2';
    const attempt = redisForRun(seeds, false, true);
    await expect(attempt).rejects.toBeInstanceOf(NoRedisError);
    await expect(attempt).rejects.toThrow(/Redis Cluster at REDIS_URL/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
    expect(redact(seeds)).toBe('redis://[redacted]@127.0.0.1:1,redis://[redacted]@127.0.0.1:2');
  });
});
