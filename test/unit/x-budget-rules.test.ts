import { describe, expect, it } from 'vitest';
import { rateLimitRetryAt, readDailyLimit } from '../../src/platforms/x/x-limits.js';
import { byXPriority, meetsXMinimum, xCombineKey } from '../../src/platforms/x/x-priority.js';
import { loadSettings } from '../../src/env.js';
import { milestone } from '../helpers/posts-fixtures.js';

describe('X priority', () => {
  it('orders album, all tracks, artist, track, followers, larger threshold first within a kind', () => {
    const list = [
      milestone('followers', { threshold: 20_000_000 }),
      milestone('track', { threshold: 100_000_000 }),
      milestone('track', { threshold: 200_000_000 }),
      milestone('artist', { threshold: 2_000_000_000 }),
      milestone('allTracks', { threshold: 40_000_000 }),
      milestone('album', { threshold: 500_000_000 }),
      milestone('album', { threshold: 600_000_000 }),
    ];
    expect([...list].sort(byXPriority).map((m) => `${m.kind}:${m.threshold}`)).toEqual([
      'album:600000000',
      'album:500000000',
      'allTracks:40000000',
      'artist:2000000000',
      'track:200000000',
      'track:100000000',
      'followers:20000000',
    ]);
  });

  it('applies the per-kind minimum only to its kind', () => {
    const min = { track: 100_000_000 };
    expect(meetsXMinimum(milestone('track', { threshold: 90_000_000 }), min)).toBe(false);
    expect(meetsXMinimum(milestone('track', { threshold: 100_000_000 }), min)).toBe(true);
    expect(meetsXMinimum(milestone('followers', { threshold: 1_000_000 }), min)).toBe(true);
  });

  it('combines by album; artist and followers stand alone', () => {
    expect(xCombineKey(milestone('track'))).toBe('v/layover');
    expect(xCombineKey(milestone('allTracks'))).toBe('v/layover');
    expect(xCombineKey(milestone('artist'))).toBeNull();
  });
});

describe('X limit headers', () => {
  it('reads the tighter of the user and app 24-hour limits', () => {
    expect(
      readDailyLimit({
        'x-user-limit-24hour-remaining': '3',
        'x-user-limit-24hour-reset': '1700000000',
        'x-app-limit-24hour-remaining': '1',
        'x-app-limit-24hour-reset': '1700000500',
      }),
    ).toEqual({ remaining: 1, resetAtMs: 1_700_000_500_000 });
    expect(readDailyLimit({})).toBeNull();
  });

  it('waits for an exhausted 24-hour limit before the 15-minute window reset', () => {
    const now = 1_700_000_000_000;
    const headers = {
      'x-rate-limit-reset': '1700000100',
      'x-user-limit-24hour-remaining': '0',
      'x-user-limit-24hour-reset': '1700050000',
    };
    expect(rateLimitRetryAt(headers, now)).toBe(1_700_050_000_000);
    expect(rateLimitRetryAt({ 'x-rate-limit-reset': '1700000100' }, now)).toBe(1_700_000_100_000);
    expect(rateLimitRetryAt({}, now)).toBe(now + 15 * 60_000);
    expect(rateLimitRetryAt({ 'x-rate-limit-reset': '1' }, now)).toBe(now + 1000);
  });
});

describe('X settings', () => {
  it('defaults to 17 posts a day, a two-minute combine window and no minimums', () => {
    const settings = loadSettings({});
    expect(settings.X_DAILY_POSTS).toBe(17);
    expect(settings.X_COMBINE_WINDOW_SECONDS).toBe(120);
    expect(settings.X_MIN_THRESHOLDS).toEqual({});
  });

  it('parses per-kind minimums and names a bad pair', () => {
    expect(
      loadSettings({ X_MIN_THRESHOLDS: 'track:100000000, followers:20000000' }).X_MIN_THRESHOLDS,
    ).toEqual({
      track: 100_000_000,
      followers: 20_000_000,
    });
    expect(() => loadSettings({ X_MIN_THRESHOLDS: 'tracks:5' })).toThrow(
      /X_MIN_THRESHOLDS: "tracks:5" is not/,
    );
  });
});
