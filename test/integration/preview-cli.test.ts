import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { milestoneKinds } from '../../src/tracking/schema.js';
import { pngSize } from '../helpers/png.js';

function preview(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'preview', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CARD_FONTS: '' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run preview', () => {
  it('prints every kind in every language and writes a card per milestone and a chart per album', () => {
    const out = mkdtempSync(join(tmpdir(), 'layover-preview-'));
    const { code, stdout, stderr } = preview(['--config', 'config/layover.json', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const language of ['en', 'ko']) {
      // config/layover.json lists no videos (no real YouTube ids are known), so it has no views sample.
      for (const kind of milestoneKinds.filter((k) => k !== 'views'))
        expect(stdout).toContain(`[${language}] ${kind} `);
      expect(stdout).not.toContain(`[${language}] views `);
      expect(stdout).toContain(`[${language}] /layover status chart for layover`);
    }
    expect(stdout).toContain('[X] ');
    expect(stdout).toContain('[Discord] ');
    expect(stdout).toContain('Congratulations Taehyung!!');
    expect(stdout).toMatch(/alt: Card: Layover by V passed 500 million Spotify streams/);
    for (const language of ['en', 'ko']) {
      const files = readdirSync(join(out, 'v', language)).sort();
      // One card per kind (the album and every-song samples break the config's records) + 1 chart.
      expect(files).toEqual([
        'album-layover-500000000-record.png',
        'allTracks-layover-40000000-record.png',
        'artist-v-500000000.png',
        'followers-v-5000000.png',
        'status-layover.png',
        'track-rainy-days-50000000.png',
      ]);
      for (const file of files) {
        expect(pngSize(readFileSync(join(out, 'v', language, file)))).toEqual({ width: 1200, height: 630 });
      }
    }
    expect(stdout).toContain(`12 images written under ${out}`);
  });

  it('exits 2 with the usage on an unknown option, and with every problem on a bad config', () => {
    const unknown = preview(['--colour', 'red']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: npm run preview');
    const dir = mkdtempSync(join(tmpdir(), 'layover-preview-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ artist: { id: 'V!' }, albums: [] }));
    const invalid = preview(['--config', bad, '--out', dir]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`${bad}: artist.id`);
    const history = join(dir, 'history.jsonl');
    writeFileSync(
      history,
      `${JSON.stringify({ capturedAt: '2023-10-01T23:00:00+09:00', tracks: {} })}\n{"tracks": {}}\n`,
    );
    const badHistory = preview(['--config', 'config/layover.json', '--snapshots', history, '--out', dir]);
    expect(badHistory.code).toBe(2);
    expect(badHistory.stderr).toMatch(/^line 2: capturedAt: /m);
    expect(readdirSync(dir).sort()).toEqual(['bad.json', 'history.jsonl']);
  });
});
