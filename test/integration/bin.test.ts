import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npx layover-bot (the package bin)', () => {
  it('runs replay --json with nothing but JSON lines on standard output, ready for jq', () => {
    const counts = (d: number) => ({
      'rainy-days': 40_000_000 + d * 2_000_000,
      blue: 8_000_000 + d * 2_000_000,
    });
    const lines = [1, 2, 3, 4, 5].map((d) =>
      JSON.stringify({ capturedAt: `2023-09-1${d}T23:00:00+09:00`, tracks: counts(d * 3) }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'layover-bin-'));
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, lines.join('\n'));
    const result = spawnSync(
      'npx',
      ['layover-bot', 'replay', '--config', 'config/layover.json', '--snapshots', file, '--json'],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          REDIS_URL: 'redis://127.0.0.1:6379',
        },
        timeout: 120_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout.trim().split('\n');
    expect(out.length).toBeGreaterThan(0);
    for (const line of out) {
      const milestone = JSON.parse(line) as { artistId?: string };
      expect(milestone.artistId).toBe('v');
    }
  }, 150_000);
});
