import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import { SourceError } from '../../src/sources/source.js';
import {
  youtubeMinIntervalSeconds,
  youtubeQuotaProblem,
  YoutubeViewsSource,
} from '../../src/sources/youtube-views.js';
import { startYoutubeEmulator, type YoutubeEmulator } from '../helpers/youtube-emulator.js';

/** Well-formed placeholder video ids (11 characters), numbered. */
const videoId = (n: number) => `vid${String(n).padStart(8, '0')}`;

describe('YouTube views source', () => {
  let youtube: YoutubeEmulator;

  beforeEach(async () => {
    youtube = await startYoutubeEmulator();
  });

  afterEach(() => youtube.close());

  function source(apiKey = youtube.apiKey): YoutubeViewsSource {
    return new YoutubeViewsSource({
      id: 'youtube',
      http: new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 }),
      api: { apiKey, apiUrl: youtube.apiUrl },
      now: () => Date.parse('2026-11-28T06:00:00Z'),
    });
  }

  it('reads viewCount for every id, 50 ids a call, with the key in a header and never in a URL', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => videoId(i));
    ids.forEach((id, i) => youtube.views.set(id, 100_000_000 + i));
    const { views, fetchedAtMs } = await source().fetchViews(ids);
    expect(views.size).toBe(120);
    expect(views.get(videoId(7))).toBe(100_000_007);
    expect(fetchedAtMs).toBe(Date.parse('2026-11-28T06:00:00Z'));
    expect(youtube.calls.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(youtube.quotaLeft).toBe(10_000 - 3);
    expect(youtube.urls.some((u) => u.includes(youtube.apiKey))).toBe(false);
  });

  it('names a video missing from the answer instead of reading it as zero', async () => {
    youtube.views.set(videoId(1), 5);
    await expect(source().fetchViews([videoId(1), videoId(2)])).rejects.toThrow(
      `video ${videoId(2)}: not in the answer (deleted, private, or a wrong id)`,
    );
  });

  it('says the daily quota is spent, and when it resets', async () => {
    youtube.views.set(videoId(1), 5);
    youtube.quotaLeft = 0;
    await expect(source().fetchViews([videoId(1)])).rejects.toThrow(
      /HTTP 403: The request cannot be completed because you have exceeded your quota\. \[quotaExceeded\] \(the daily quota is spent; it resets at midnight Pacific time/,
    );
  });

  it('names YOUTUBE_API_KEY when the key is refused, without printing the key', async () => {
    const failure = await source('wrong-key-secret')
      .fetchViews([videoId(1)])
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(failure?.message).toMatch(/HTTP 400: API key not valid.*\(check YOUTUBE_API_KEY\)/);
    expect(failure?.message).not.toContain('wrong-key-secret');
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
      name: 'hidden views',
      body: `{"items":[{"id":"${id}","statistics":{"likeCount":"3"}}]}`,
      error: /no "statistics.viewCount"/,
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
    { name: 'a 500', body: 'oops', status: 500, error: /HTTP 500$/ },
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
    expect(youtubeQuotaProblem(10, 3600)).toBeNull();
    expect(youtubeQuotaProblem(120, 30)).toBe(
      'polling 120 video(s) every 30 s spends 8640 units a day, more than 50% of the 10000-unit quota; poll every 52 s or more',
    );
  });
});
