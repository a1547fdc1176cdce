import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/env.js';
import { futureCapturedAtProblem } from '../../src/snapshots/clock-skew.js';
import { editDistance, slugOf, suggestTrackId } from '../../src/snapshots/did-you-mean.js';
import {
  checkSnapshot,
  snapshotRules,
  validateSnapshotLines,
} from '../../src/snapshots/validate-snapshots.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
/** The server's clock in these tests: 2023-10-11 14:00 UTC (23:00 in Seoul). */
const NOW = Date.parse('2023-10-11T14:00:00Z');
const rules = snapshotRules([tracking], 600, () => NOW);

describe('the clock-skew rule', () => {
  const rule = { now: () => NOW, clockSkewSeconds: 600 };

  it('accepts a capturedAt up to CLOCK_SKEW_SECONDS ahead of the clock, and any time before it', () => {
    expect(futureCapturedAtProblem(NOW + 600_000, rule)).toBeNull();
    expect(futureCapturedAtProblem(NOW, rule)).toBeNull();
    expect(futureCapturedAtProblem(Date.parse('2001-01-01T00:00:00Z'), rule)).toBeNull();
  });

  it('refuses one millisecond past the allowed skew, naming capturedAt, the setting and the clock', () => {
    expect(futureCapturedAtProblem(NOW + 600_001, rule)).toEqual({
      path: 'capturedAt',
      message:
        "is 11 min ahead of this server's clock (2023-10-11T14:00:00.000Z); at most 600 s " +
        '(CLOCK_SKEW_SECONDS) is allowed: counts cannot be from the future',
    });
  });

  it('says how far ahead a typo’d year is, in days', () => {
    const problem = futureCapturedAtProblem(Date.parse('2099-09-09T23:00:00+09:00'), rule);
    expect(problem?.message).toMatch(/^is 27,727 days ahead/);
  });

  it('follows the injected clock and setting: CLOCK_SKEW_SECONDS=0 refuses anything later than now', () => {
    const strict = { now: () => NOW, clockSkewSeconds: 0 };
    expect(futureCapturedAtProblem(NOW + 1, strict)).not.toBeNull();
    expect(futureCapturedAtProblem(NOW + 1, { ...strict, now: () => NOW + 1 })).toBeNull();
  });
});

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('blue', 'blue')).toBe(0);
    expect(editDistance('bleu', 'blue')).toBe(1);
    expect(editDistance('rainy-dayz', 'rainy-days')).toBe(1);
    expect(editDistance('rainydays', 'rainy-days')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('gives up past the limit, answering limit + 1', () => {
    expect(editDistance('completely', 'different', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });

  it('writes titles as keys would be typed', () => {
    expect(slugOf('Slow Dancing (Piano Ver.)')).toBe('slow-dancing-piano-ver');
    expect(slugOf('  Café Blue ')).toBe('cafe-blue');
  });

  it('suggests the track id closest to a typo, a title, or a Spotify id one character off', () => {
    expect(suggestTrackId('bleu', tracking)).toBe('blue');
    expect(suggestTrackId('rainy-dayz', tracking)).toBe('rainy-days');
    expect(suggestTrackId('Rainy Days', tracking)).toBe('rainy-days');
    expect(suggestTrackId('Slow Dancing (Piano Ver.)', tracking)).toBe('slow-dancing-piano');
    expect(suggestTrackId('slow-dancin', tracking)).toBe('slow-dancing');
    expect(suggestTrackId('5ydjxBSUIDn26MFzU3asP5', tracking)).toBe('rainy-days');
  });

  it('suggests nothing for keys that are not close to any tracked track', () => {
    expect(suggestTrackId('christmas-tree', tracking)).toBeNull();
    expect(suggestTrackId('0UFfvnpa3Ho1vYdCtNm8Ir', tracking)).toBeNull();
    expect(suggestTrackId('for', tracking)).toBeNull();
  });
});

describe('checkSnapshot: what every entrance refuses', () => {
  const at = '2023-10-11T23:00:00+09:00';

  it('refuses a snapshot whose only key is a typo, with the suggestion', () => {
    expect(checkSnapshot({ capturedAt: at, tracks: { 'rainy-dayz': 90_000_000 } }, rules)).toEqual({
      ok: false,
      problems: [
        {
          path: 'tracks.rainy-dayz',
          message:
            'matches no track id or Spotify id of "v" (did you mean "rainy-days"?), and the snapshot has no ' +
            'known video, artistStreams or followers: it would change nothing',
        },
      ],
    });
  });

  it('refuses a snapshot of several unknown keys, suggesting where it can', () => {
    const checked = checkSnapshot({ capturedAt: at, tracks: { bleu: 1, 'christmas-tree': 2 } }, rules);
    expect(checked.ok ? [] : checked.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'tracks: none of its 2 keys matches a track id or Spotify id of "v" ("bleu" (did you mean "blue"?), ' +
        '"christmas-tree"), and the snapshot has no known video, artistStreams or followers: it would change nothing',
    ]);
  });

  it('refuses an empty snapshot', () => {
    const checked = checkSnapshot({ capturedAt: at, tracks: {} }, rules);
    expect(checked.ok ? [] : checked.problems).toEqual([
      {
        path: 'tracks',
        message:
          'is empty, and the snapshot has no known video, artistStreams or followers: it would change nothing',
      },
    ]);
  });

  it('accepts unknown keys next to a known one, or next to artistStreams or followers, and lists them', () => {
    const known = checkSnapshot({ capturedAt: at, tracks: { blue: 1, 'christmas-tree': 2, bleu: 3 } }, rules);
    expect(known.ok && known.ignoredKeys).toEqual(['christmas-tree', 'bleu']);
    const counts = checkSnapshot({ capturedAt: at, tracks: { bleu: 3 }, followers: 15_000_000 }, rules);
    expect(counts.ok && counts.ignoredKeys).toEqual(['bleu']);
    const artist = checkSnapshot({ capturedAt: at, tracks: {}, artistStreams: 1 }, rules);
    expect(artist.ok && artist.ignoredKeys).toEqual([]);
  });

  it('refuses a capturedAt past the clock skew, and takes one within it', () => {
    const later = checkSnapshot({ capturedAt: '2023-10-11T23:10:01+09:00', tracks: { blue: 1 } }, rules);
    expect(later.ok ? [] : later.problems.map((p) => p.path)).toEqual(['capturedAt']);
    expect(checkSnapshot({ capturedAt: '2023-10-11T23:10:00+09:00', tracks: { blue: 1 } }, rules).ok).toBe(
      true,
    );
  });

  it('makes a future line a bad line of a JSON Lines file, by number', () => {
    const text = [
      JSON.stringify({ capturedAt: '2023-10-10T23:00:00+09:00', tracks: { blue: 1, 'not-ours': 5 } }),
      JSON.stringify({ capturedAt: '2099-09-09T23:00:00+09:00', tracks: { blue: 2 } }),
      JSON.stringify({ capturedAt: '2023-10-11T23:00:00+09:00', tracks: { bleu: 3 } }),
    ].join('\n');
    const { snapshots, problems, ignored } = validateSnapshotLines(text, rules);
    expect(snapshots).toHaveLength(1);
    expect(ignored).toEqual(['not-ours']);
    expect(problems).toEqual([
      expect.stringMatching(/^line 2: capturedAt: is 27,727 days ahead of this server's clock/),
      expect.stringMatching(/^line 3: tracks\.bleu: matches no .*\(did you mean "blue"\?\)/),
    ]);
  });
});

describe('the CLOCK_SKEW_SECONDS setting', () => {
  it('defaults to 600 seconds and takes whole seconds from 0', () => {
    expect(loadSettings({}).CLOCK_SKEW_SECONDS).toBe(600);
    expect(loadSettings({ CLOCK_SKEW_SECONDS: '0' }).CLOCK_SKEW_SECONDS).toBe(0);
    expect(loadSettings({ CLOCK_SKEW_SECONDS: '3600' }).CLOCK_SKEW_SECONDS).toBe(3600);
  });

  it('refuses a negative, fractional or non-numeric value, naming the setting', () => {
    for (const value of ['-1', '1.5', 'ten minutes']) {
      expect(() => loadSettings({ CLOCK_SKEW_SECONDS: value })).toThrow(/CLOCK_SKEW_SECONDS: /);
    }
  });
});
