import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { pollSource, type PollDeps } from '../../src/sources/poll-source.js';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import { SourceError } from '../../src/sources/source.js';
import { YoutubeSource } from '../../src/sources/youtube-source.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { snapshotRules } from '../../src/snapshots/validate-snapshots.js';
import { stateKeys } from '../../src/state/keys.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import {
  layoverWithPlaceholderVideos as trackingWithVideos,
  placeholderYoutubeId as youtubeId,
} from '../helpers/tracking-fixtures.js';
import { startYoutubeEmulator, type YoutubeEmulator } from '../../emulators/youtube-emulator.js';

const redis = testRedis();

function captureLogs(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('YouTube views source', () => {
  let youtube: YoutubeEmulator;
  let prefix: string;
  let queue: SnapshotQueue;
  let clock: number;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    youtube = await startYoutubeEmulator();
    prefix = uniquePrefix('youtube-source');
    queue = new Queue(snapshotsQueue.name, { connection: testRedis(), prefix });
    clock = Date.parse('2026-11-28T06:00:00.250Z');
    logs = captureLogs();
  });

  afterEach(async () => {
    await youtube.close();
    await queue.close();
    await cleanupPrefix(prefix);
  });

  afterAll(() => redis.disconnect());

  function setUp(tracking: Tracking): { source: YoutubeSource; deps: PollDeps } {
    const logger = createLogger('info', logs.stream, 'json');
    const source = new YoutubeSource({
      id: 'youtube-v',
      tracking,
      http: new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 }),
      api: { apiKey: youtube.apiKey, apiUrl: youtube.apiUrl },
      logger,
      now: () => clock,
    });
    const deps: PollDeps = {
      redis,
      keys: stateKeys(prefix),
      entrance: { artistState: new ArtistStateStore(redis, stateKeys(prefix)), queue },
      trackings: new Map([['v', tracking]]),
      logger,
      rules: snapshotRules([tracking], 600),
      now: () => clock,
    };
    return { source, deps };
  }

  async function queuedSnapshots() {
    return (await queue.getJobs(['waiting'])).map((job) => job.data.snapshot);
  }

  it('a poll enqueues one snapshot of the views of every configured video, keyed by video id', async () => {
    const tracking = trackingWithVideos(3);
    [120_000_000, 45_000_001, 9_999_999].forEach((v, i) => youtube.views.set(youtubeId(i + 1), v));
    const { source, deps } = setUp(tracking);
    const outcome = await pollSource(source, deps);
    expect(outcome).toMatchObject({
      status: 'enqueued',
      jobIds: ['poll~v~views-2026-11-28T06-00-00.000Z'],
    });
    const [snapshot] = await queuedSnapshots();
    expect(snapshot).toMatchObject({
      artistId: 'v',
      capturedAt: '2026-11-28T06:00:00.000Z',
      source: 'youtube',
      tracks: {},
      views: { 'mv-1': 120_000_000, 'mv-2': 45_000_001, 'mv-3': 9_999_999 },
    });
    expect(await redis.zcard(stateKeys(prefix).artistInbox('v'))).toBe(1);
    expect(youtube.urls.some((u) => u.includes(youtube.apiKey))).toBe(false);
    // The same instant again is not news; a later poll is.
    expect((await pollSource(source, deps)).status).toBe('unchanged');
    clock += 3_600_000;
    youtube.views.set(youtubeId(1), 120_100_000);
    expect(await pollSource(source, deps)).toMatchObject({
      status: 'enqueued',
      jobIds: ['poll~v~views-2026-11-28T07-00-00.000Z'],
    });
  });

  it('splits more than 50 videos into calls of 50 and still gives one snapshot', async () => {
    const tracking = trackingWithVideos(120);
    for (let i = 1; i <= 120; i += 1) youtube.views.set(youtubeId(i), 1_000_000 + i);
    const { source, deps } = setUp(tracking);
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    expect(youtube.calls.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(new Set(youtube.calls.flat()).size).toBe(120);
    expect(youtube.quotaLeft).toBe(10_000 - 3);
    const [snapshot] = await queuedSnapshots();
    expect(Object.keys(snapshot?.views ?? {})).toHaveLength(120);
    expect(snapshot?.views?.['mv-77']).toBe(1_000_077);
  });

  it('a spent quota pauses polling until midnight Pacific time, says so once, and enqueues nothing', async () => {
    const tracking = trackingWithVideos(2);
    youtube.views.set(youtubeId(1), 5_000_000);
    youtube.views.set(youtubeId(2), 6_000_000);
    youtube.quotaLeft = 0;
    const { source, deps } = setUp(tracking);
    const reset = Date.parse('2026-11-28T08:00:00Z'); // 00:00 PST
    expect(await pollSource(source, deps)).toEqual({
      status: 'paused',
      sourceId: 'youtube-v',
      untilMs: reset,
    });
    expect(await queue.count()).toBe(0);
    expect(await redis.zcard(stateKeys(prefix).artistInbox('v'))).toBe(0);
    const hash = await redis.hgetall(stateKeys(prefix).pollSource('youtube-v'));
    expect(hash).toMatchObject({ pausedUntil: String(reset) });
    // Not a failure: no backoff is counted.
    expect(hash.failures ?? '0').toBe('0');

    // Until the reset, ticks ask YouTube nothing, even once the quota is back, and log nothing more.
    youtube.quotaLeft = 10_000;
    const callsBefore = youtube.urls.length;
    clock = reset - 60_000;
    expect((await pollSource(source, deps)).status).toBe('paused');
    expect(youtube.urls).toHaveLength(callsBefore);
    const warnings = logs.lines().filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toBe('poll paused until the source answers again; nothing enqueued');
    expect(warnings[0]?.until).toBe('2026-11-28T08:00:00.000Z');

    // After midnight Pacific time it polls again.
    clock = reset + 1000;
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    const [snapshot] = await queuedSnapshots();
    expect(snapshot?.views).toEqual({ 'mv-1': 5_000_000, 'mv-2': 6_000_000 });
    expect(await redis.hget(stateKeys(prefix).pollSource('youtube-v'), 'pausedUntil')).toBe('0');
  });

  it('a quota spent half-way through a poll enqueues nothing of it', async () => {
    const tracking = trackingWithVideos(60);
    for (let i = 1; i <= 60; i += 1) youtube.views.set(youtubeId(i), 1000 + i);
    youtube.quotaLeft = 1;
    const { source, deps } = setUp(tracking);
    expect((await pollSource(source, deps)).status).toBe('paused');
    expect(youtube.calls).toHaveLength(1);
    expect(await queue.count()).toBe(0);
  });

  it('a video YouTube leaves out (deleted or private) is named and gets no count, never zero', async () => {
    const tracking = trackingWithVideos(3);
    youtube.views.set(youtubeId(1), 120_000_000);
    youtube.views.set(youtubeId(3), 7_000_000);
    const { source, deps } = setUp(tracking);
    const check = await source.check();
    expect(check.report).toContain(
      '  "mv-2" (Video 2, yt000000002): NOT in the answer (deleted, private, or a wrong id); no count',
    );
    expect(check.report).toContain('  "mv-1" (Video 1, yt000000001): 120000000 views');
    expect(check.report[0]).toBe(
      'videos: 3 configured, 2 found, 1 missing; 1 videos.list call(s) of up to 50 ids (1 quota unit each; 1 a poll)',
    );

    clock += 1000;
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    const [snapshot] = await queuedSnapshots();
    expect(snapshot?.views).toEqual({ 'mv-1': 120_000_000, 'mv-3': 7_000_000 });
    expect(snapshot?.views).not.toHaveProperty('mv-2');
    // One warning per change of the missing set, naming the video, not one per poll.
    clock += 1000;
    await pollSource(source, deps);
    const missing = logs.lines().filter((l) => String(l.msg).startsWith('youtube: videos missing'));
    expect(missing).toHaveLength(1);
    expect(missing[0]?.missing).toEqual(['"mv-2" (Video 2, yt000000002)']);
    youtube.views.set(youtubeId(2), 1);
    clock += 1000;
    await pollSource(source, deps);
    expect(logs.lines().some((l) => l.msg === 'youtube: every configured video is in the answer again')).toBe(
      true,
    );
  });

  it('fails the poll, naming every video, when none of them is in the answer', async () => {
    const { source, deps } = setUp(trackingWithVideos(2));
    const outcome = await pollSource(source, deps);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' ? outcome.error : '').toMatch(
      /none of the 2 video\(s\) of "v" is in YouTube's answer \(deleted, private, or wrong ids\): "mv-1" \(Video 1, yt000000001\), "mv-2" \(Video 2, yt000000002\)/,
    );
    expect(await queue.count()).toBe(0);
  });

  it('a refused key fails the poll with an error naming YOUTUBE_API_KEY, and backs off', async () => {
    const tracking = trackingWithVideos(1);
    youtube.views.set(youtubeId(1), 5);
    const { deps } = setUp(tracking);
    const source = new YoutubeSource({
      id: 'youtube-v',
      tracking,
      http: new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 }),
      api: { apiKey: 'AIza-wrong-SECRET', apiUrl: youtube.apiUrl },
      now: () => clock,
    });
    const outcome = await pollSource(source, deps);
    expect(outcome).toMatchObject({ status: 'failed', failures: 1 });
    expect(outcome.status === 'failed' ? outcome.error : '').toMatch(
      /HTTP 400: API key not valid\. Please pass a valid API key\. \[badRequest, API_KEY_INVALID\]: YouTube refused the key in YOUTUBE_API_KEY/,
    );
    expect(JSON.stringify(logs.lines())).not.toContain('AIza-wrong-SECRET');
    expect(await queue.count()).toBe(0);
  });

  it('refuses an artist without videos', () => {
    expect(() => setUp(trackingWithVideos(0))).toThrow(/artist "v" has no videos/);
  });

  const broken: { name: string; body: string; status?: number; error: RegExp }[] = [
    {
      name: 'an HTML error page',
      body: '<html><body>Service Unavailable</body></html>',
      error: /answer is not JSON/,
    },
    {
      name: 'a search answer',
      body: '{"kind":"youtube#searchListResponse","items":[]}',
      error: /not a videoListResponse/,
    },
    {
      name: 'statistics left out',
      body: `{"kind":"youtube#videoListResponse","items":[{"kind":"youtube#video","id":"${youtubeId(1)}"}]}`,
      error: /no "statistics"/,
    },
    {
      name: 'a count as a number past 2^53',
      body: `{"items":[{"id":"${youtubeId(1)}","statistics":{"viewCount":1e300}}]}`,
      error: /is not a count/,
    },
    {
      name: 'a 503 Google error',
      body: '{"error":{"code":503,"message":"The service is currently unavailable.","errors":[{"reason":"backendError"}]}}',
      status: 503,
      error: /HTTP 503: The service is currently unavailable\. \[backendError\]$/,
    },
  ];
  for (const { name, body, status, error } of broken) {
    it(`refuses ${name}: the poll fails and nothing is enqueued`, async () => {
      youtube.views.set(youtubeId(1), 5);
      youtube.raw = { body, ...(status === undefined ? {} : { status }) };
      const { source, deps } = setUp(trackingWithVideos(1));
      const failure = await source.check().then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(SourceError);
      expect((failure as Error).message).toMatch(error);
      expect((await pollSource(source, deps)).status).toBe('failed');
      expect(await queue.count()).toBe(0);
      expect(await redis.zcard(stateKeys(prefix).artistInbox('v'))).toBe(0);
    });
  }
});
