import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTweet } from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';
import { testRedis } from '../helpers/redis.js';

function replay(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'replay', ...args], {
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'info', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layover-replay-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const redis = testRedis();
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

describe('npm run replay', () => {
  it('exits 2 on a bad file, with one message per bad line, and enqueues nothing', async () => {
    const good = JSON.stringify({ capturedAt: '2023-10-01T23:00:00+09:00', tracks: { blue: 1 } });
    const file = tempFile(
      'bad.jsonl',
      [
        good,
        '{"capturedAt": "2023-10-02T23:00:00", "tracks": {}}',
        good,
        '{not json',
        '',
        JSON.stringify({ capturedAt: '2023-10-03T23:00:00+09:00', tracks: { blue: -5 } }),
        JSON.stringify({ capturedAt: '2023-02-30T23:00:00+09:00', tracks: {} }),
        JSON.stringify({ capturedAt: '2023-10-04T23:00:00+09:00', artist: 'jimin', tracks: {} }),
      ].join('\n'),
    );
    // Pointed at a Redis that is not there: the file is refused before anything touches Redis (a replay that
    // connected first would exit 1 naming Redis). Counting keys on the shared Redis instead would race with other
    // replays running beside this test.
    const { code, stderr, stdout } = replay(
      ['--config', 'config/layover.json', '--snapshots', file, '--json'],
      { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
    );
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/redis/i);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.startsWith('line '));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^line 2: capturedAt: .*offset/);
    expect(lines[1]).toMatch(/^line 4: \(root\): not valid JSON/);
    expect(lines[2]).toMatch(/^line 6: tracks\.blue: must not be negative/);
    expect(lines[3]).toMatch(/^line 7: capturedAt: .*exist/);
    expect(lines[4]).toMatch(/^line 8: artist: unknown artist "jimin"/);
  });

  it('exits 2 with usage when a required option is missing', () => {
    const { code, stderr } = replay(['--config', 'config/layover.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('--snapshots');
  });

  it('prints one JSON object per announced milestone on stdout, and removes its keys afterwards', async () => {
    const lines: string[] = [];
    const counts = (d: number) => ({
      'rainy-days': 40_000_000 + d * 2_000_000,
      blue: 8_000_000 + d * 2_000_000,
      '2N0SPREDYqILVEFSsWF5N5': 30_000_000 + d * 2_000_000,
      'slow-dancing': 9_000_000 + d * 2_000_000,
      'for-us': 7_000_000 + d * 2_000_000,
      'slow-dancing-piano': 5_000_000 + d * 2_000_000,
    });
    for (let d = 1; d <= 5; d += 1) {
      lines.push(JSON.stringify({ capturedAt: `2023-09-1${d}T23:00:00+09:00`, tracks: counts(d * 3) }));
    }
    const file = tempFile('good.jsonl', lines.join('\n'));
    const { code, stdout, stderr } = replay(
      ['--config', 'config/layover.json', '--snapshots', file, '--json'],
      { LOG_LEVEL: 'debug' },
    );
    expect(stderr).not.toContain('Error');
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { posts: { x: string; discord: string } });
    expect(out.length).toBeGreaterThan(3);
    for (const m of out) {
      expect(Object.keys(m).sort()).toEqual(
        [
          'albumId',
          'artistId',
          'daysSinceRelease',
          'id',
          'kind',
          'lastTrackId',
          'observedAt',
          'posts',
          'record',
          'threshold',
          'trackId',
          'value',
          'videoId',
        ].sort(),
      );
      expect(parseTweet(m.posts.x).valid).toBe(true);
      expect(m.posts.discord.length).toBeLessThanOrEqual(2000);
    }
    expect(new Set(out.map((m) => m.id)).size).toBe(out.length);
    expect(out.map((m) => m.observedAt)).toEqual([...out.map((m) => m.observedAt)].sort());
    // Its own throwaway prefix (from its log) holds no key afterwards.
    const prefix = /"prefix":"(layover-replay-[0-9a-f]+)"/.exec(stderr)?.[1];
    expect(prefix).toBeDefined();
    expect(await keysUnder(prefix!)).toEqual([]);
  });

  it('announces YouTube views milestones from a history with views, days from the video’s release', () => {
    // Views-only snapshots (what a YouTube source sends), with one key that is no configured video, repeated once.
    const views = [4_000_000, 9_000_000, 12_500_000, 12_600_000, 31_000_000];
    const lines = views.map((count, i) =>
      JSON.stringify({
        capturedAt: `2023-09-${String(9 + i).padStart(2, '0')}T23:00:00+09:00`,
        source: 'youtube',
        views: { REPLACEME01: count, someOtherId: 1 },
      }),
    );
    lines.push(lines[2] ?? '');
    const file = tempFile('views.jsonl', lines.join('\n'));
    const { code, stdout } = replay([
      '--config',
      'config/examples/layover-with-videos.json',
      '--snapshots',
      file,
      '--json',
    ]);
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { posts: { x: string; discord: string } });
    expect(
      out.map((m) => [m.kind, m.videoId, m.trackId, m.albumId, m.threshold, m.daysSinceRelease]),
    ).toEqual([
      ['views', 'slow-dancing-mv', 'slow-dancing', 'layover', 10_000_000, 3],
      ['views', 'slow-dancing-mv', 'slow-dancing', 'layover', 30_000_000, 5],
    ]);
    expect(out[1]?.id).toBe('v/views:slow-dancing-mv/30000000');
    expect(out[1]?.posts.x).toContain('Slow Dancing MV');
    expect(out[1]?.posts.x).toContain('YouTube');
  });
});
