import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import { SourceError, SourcePausedError } from '../../src/sources/source.js';
import {
  nextQuotaResetMs,
  youtubeMinIntervalSeconds,
  youtubeQuotaProblem,
} from '../../src/sources/youtube-quota.js';
import { YoutubeViewsReader } from '../../src/sources/youtube-views.js';
import { startYoutubeEmulator, type YoutubeEmulator } from '../../emulators/youtube-emulator.js';

/** Well-formed placeholder video ids (11 characters), numbered. */
const videoId = (n: number) => `vid${String(n).padStart(8, '0')}`;

describe('YouTube views source', () => {
  let youtube: YoutubeEmulator;

  beforeEach(async () => {
    youtube = await startYoutubeEmulator();
  });

  afterEach(() => youtube.close());

  function source(apiKey = youtube.apiKey): YoutubeViewsReader {
    return new YoutubeViewsReader({
      id: 'youtube',
      http: new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 }),
      api: { apiKey, apiUrl: youtube.apiUrl },
      now: () => Date.parse('2026-11-28T06:00:00Z'),
    });
  }

  it('reads viewCount for every id, 50 ids a call, with the key in a header and never in a URL', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => videoId(i));
    ids.forEach((id, i) => youtube.views.set(id, 100_000_000 + i));
    const { views, fetchedAtMs, missing, calls } = await source().fetchViews(ids);
    expect(views.size).toBe(120);
    expect(missing).toEqual([]);
    expect(calls).toBe(3);
    expect(views.get(videoId(7))).toBe(100_000_007);
    expect(fetchedAtMs).toBe(Date.parse('2026-11-28T06:00:00Z'));
    expect(youtube.calls.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(youtube.quotaLeft).toBe(10_000 - 3);
    expect(youtube.urls.some((u) => u.includes(youtube.apiKey))).toBe(false);
  });

  it('lists a video missing from the answer instead of reading it as zero', async () => {
    youtube.views.set(videoId(1), 5);
    const { views, missing } = await source().fetchViews([videoId(1), videoId(2)]);
    expect([...views]).toEqual([[videoId(1), 5]]);
    expect(missing).toEqual([videoId(2)]);
  });

  it('pauses until midnight Pacific time when the daily quota is spent', async () => {
    youtube.views.set(videoId(1), 5);
    youtube.quotaLeft = 0;
    const failure = await source()
      .fetchViews([videoId(1)])
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(SourcePausedError);
    // 06:00 UTC on 28 November is 22:00 on the 27th in Los Angeles (PST, UTC-8): the reset is 08:00 UTC.
    expect((failure as SourcePausedError).untilMs).toBe(Date.parse('2026-11-28T08:00:00Z'));
    expect((failure as Error).message).toMatch(
      /HTTP 403: The request cannot be completed because you have exceeded your quota\. \[quotaExceeded\]: the YouTube daily quota is spent; polling pauses until it resets at midnight Pacific time \(2026-11-28T08:00:00\.000Z\)/,
    );
  });

  it('names YOUTUBE_API_KEY when the key is refused, without printing the key', async () => {
    const failure = await source('wrong-key-secret')
      .fetchViews([videoId(1)])
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(failure).toBeInstanceOf(SourceError);
    expect(failure).not.toBeInstanceOf(SourcePausedError);
    expect(failure?.message).toMatch(
      /HTTP 400: API key not valid\. Please pass a valid API key\. \[badRequest, API_KEY_INVALID\]: YouTube refused the key in YOUTUBE_API_KEY/,
    );
    expect(failure?.message).not.toContain('wrong-key-secret');
  });

  it('asks as strictly as the API wants: part=statistics, ids only, no maxResults', async () => {
    youtube.views.set(videoId(1), 5);
    await source().fetchViews([videoId(1)]);
    const asked = new URL(youtube.urls[0] ?? '', 'http://127.0.0.1');
    expect([...asked.searchParams.keys()].sort()).toEqual(['id', 'part']);
    expect(asked.searchParams.get('part')).toBe('statistics');
    // The emulator refuses what the API refuses, so a client that drifts fails here.
    const base = youtube.apiUrl;
    const get = (query: string, headers: Record<string, string> = { 'x-goog-api-key': youtube.apiKey }) =>
      fetch(`${base}/videos?${query}`, { headers }).then(async (r) => ({
        status: r.status,
        reason: ((await r.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason,
      }));
    expect(await get(`part=statistics&id=${videoId(1)}&maxResults=50`)).toEqual({
      status: 400,
      reason: 'incompatibleParameters',
    });
    expect(await get(`id=${videoId(1)}`)).toEqual({ status: 400, reason: 'required' });
    expect(await get('part=statistics')).toEqual({ status: 400, reason: 'missingRequiredParameter' });
    expect(await get(`part=statistics&id=${videoId(1)}`, {})).toEqual({ status: 403, reason: 'forbidden' });
  });

  it('refuses ids that are not YouTube video ids before spending quota', async () => {
    await expect(source().fetchViews(['not a video id'])).rejects.toThrow(
      'not YouTube video ids: not a video id',
    );
    expect(youtube.calls).toHaveLength(0);
  });

  const id = videoId(1);
  const broken: { name: string; body: string; status?: number; error: RegExp }[] = [
    { name: 'a body that is not JSON', body: '<html>', error: /answer is not JSON/ },
    {
      name: 'a truncated body',
      body: '{"kind":"youtube#videoListResponse","items":[{"id":"',
      error: /answer is not JSON/,
    },
    {
      name: 'another kind of response',
      body: '{"kind":"youtube#searchListResponse","items":[]}',
      error: /not a videoListResponse/,
    },
    { name: 'no items', body: '{"kind":"youtube#videoListResponse"}', error: /has no "items" list/ },
    { name: 'an item without statistics', body: `{"items":[{"id":"${id}"}]}`, error: /no "statistics"/ },
    {
      name: 'statistics without viewCount',
      body: `{"items":[{"id":"${id}","statistics":{"likeCount":"3"}}]}`,
      error: /no "statistics.viewCount"/,
    },
    {
      name: 'a video that was not asked for',
      body: `{"items":[{"id":"zzzzzzzzzzz","statistics":{"viewCount":"5"}}]}`,
      error: /video "zzzzzzzzzzz": in the answer but not asked for/,
    },
    {
      name: 'one video with two counts',
      body: `{"items":[{"id":"${id}","statistics":{"viewCount":"5"}},{"id":"${id}","statistics":{"viewCount":"6"}}]}`,
      error: /listed twice with different counts \(5, 6\)/,
    },
    {
      name: 'a negative count',
      body: `{"items":[{"id":"${id}","statistics":{"viewCount":"-5"}}]}`,
      error: /is not a count \("-5"\)/,
    },
    {
      name: 'a fractional count',
      body: `{"items":[{"id":"${id}","statistics":{"viewCount":"1.5"}}]}`,
      error: /is not a count/,
    },
    {
      name: 'an empty count',
      body: `{"items":[{"id":"${id}","statistics":{"viewCount":""}}]}`,
      error: /is not a count \(""\)/,
    },
    {
      name: 'a count past 2^53',
      body: `{"items":[{"id":"${id}","statistics":{"viewCount":"99999999999999999999"}}]}`,
      error: /is not a count/,
    },
    {
      name: 'an item without an id',
      body: '{"items":[{"statistics":{"viewCount":"5"}}]}',
      error: /items\[0\] has no video id/,
    },
    { name: 'a 500', body: 'oops', status: 500, error: /\(call 1 of 1, 1 id\(s\)\): HTTP 500$/ },
  ];
  for (const { name, body, status, error } of broken) {
    it(`refuses ${name} with an error naming it, never a zero`, async () => {
      youtube.raw = { body, ...(status === undefined ? {} : { status }) };
      const failure = await source()
        .fetchViews([id])
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failure).toBeInstanceOf(SourceError);
      expect((failure as Error).message).toMatch(error);
    });
  }
});

describe('YouTube quota', () => {
  it('keeps polling within half the daily quota: 10,000 units a day allow a poll every 18 s for up to 50 videos', () => {
    expect(youtubeMinIntervalSeconds(1)).toBe(18);
    expect(youtubeMinIntervalSeconds(50)).toBe(18);
    expect(youtubeMinIntervalSeconds(51)).toBe(35);
    expect(youtubeMinIntervalSeconds(10, 100)).toBe(1728);
    expect(youtubeMinIntervalSeconds(10, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(youtubeQuotaProblem([{ sourceId: 'yt', videoCount: 10, intervalSeconds: 3600 }])).toBeNull();
    expect(youtubeQuotaProblem([{ sourceId: 'yt', videoCount: 120, intervalSeconds: 30 }])).toBe(
      'YouTube polling would spend 8640 quota units a day ("yt": 120 video(s) = 3 call(s) every 30 s = 8640 units), more than the 5000 units polling may use (50% of YOUTUBE_DAILY_QUOTA=10000); poll it every 52 s or more, or raise YOUTUBE_DAILY_QUOTA if Google granted the project more',
    );
  });

  it('adds up every YouTube source, since they share one key', () => {
    const one = { sourceId: 'a', videoCount: 150, intervalSeconds: 60 };
    expect(youtubeQuotaProblem([one])).toBeNull(); // 1440 polls x 3 calls = 4320 units
    expect(
      youtubeQuotaProblem([one, { ...one, sourceId: 'b', videoCount: 10, intervalSeconds: 120 }]),
    ).toMatch(
      /^YouTube polling would spend 5040 quota units a day \("a": .* = 4320 units; "b": 10 video\(s\) = 1 call\(s\) every 120 s = 720 units\), more than the 5000 units .*; poll each of them every 70 s or more/,
    );
  });

  it('resets at midnight Pacific time, daylight saving included', () => {
    // PST (UTC-8) in November, PDT (UTC-7) in July.
    expect(new Date(nextQuotaResetMs(Date.parse('2026-11-28T06:00:00Z'))).toISOString()).toBe(
      '2026-11-28T08:00:00.000Z',
    );
    expect(new Date(nextQuotaResetMs(Date.parse('2026-11-28T08:00:00Z'))).toISOString()).toBe(
      '2026-11-29T08:00:00.000Z',
    );
    expect(new Date(nextQuotaResetMs(Date.parse('2026-07-01T12:00:00Z'))).toISOString()).toBe(
      '2026-07-02T07:00:00.000Z',
    );
    // The night the clocks go back (1 November 2026): the next midnight is PST.
    expect(new Date(nextQuotaResetMs(Date.parse('2026-11-01T10:00:00Z'))).toISOString()).toBe(
      '2026-11-02T08:00:00.000Z',
    );
  });
});
