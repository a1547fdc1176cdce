import { describe, expect, it } from 'vitest';
import { clusterSeedProblems, parseClusterSeeds, splitRedisUrls } from '../../src/redis-seeds.js';

describe('REDIS_URL as Redis Cluster seeds', () => {
  it('reads several comma-separated seeds with their shared credentials', () => {
    expect(
      parseClusterSeeds(
        'redis://bot:p%40ss@10.0.0.1:7000, redis://bot:p%40ss@10.0.0.2:7001,redis://bot:p%40ss@[::1]',
      ),
    ).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 6379 },
      ],
      username: 'bot',
      password: 'p@ss',
      tls: false,
    });
    expect(parseClusterSeeds('rediss://:secret@h:7000')).toMatchObject({
      username: undefined,
      password: 'secret',
      tls: true,
    });
    expect(splitRedisUrls(' redis://a:1 ,, redis://b:2 ')).toEqual(['redis://a:1', 'redis://b:2']);
  });

  it('names what is wrong without echoing a URL', () => {
    const problems = clusterSeedProblems(
      'redis://u:secret1@a:7000,rediss://u:secret2@b:7000/2,http://secret3@c,redis://',
    );
    expect(problems).toEqual([
      'seed 3 is not a redis:// or rediss:// URL with a host',
      'seed 4 is not a redis:// or rediss:// URL with a host',
      'the seeds must all be redis:// or all rediss:// (every node is reached the same way)',
      'the seeds must carry the same username and password (every node is reached with them)',
      'Redis Cluster has only database 0: remove the /<number> from the URL',
    ]);
    expect(problems.join('\n')).not.toMatch(/secret/);
    expect(clusterSeedProblems('redis://a:7000/0,redis://b:7000')).toEqual([]);
    expect(() => parseClusterSeeds('')).toThrow(/at least one seed/);
  });
});
