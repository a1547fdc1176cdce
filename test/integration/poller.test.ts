import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { JsonSource } from '../../src/sources/json-source.js';
import { KworbSource } from '../../src/sources/kworb-source.js';
import { pollSource, type PollDeps, type PollOutcome } from '../../src/sources/poll-source.js';
import { RedisHostLock } from '../../src/sources/host-lock.js';
import { startPoller } from '../../src/sources/poller.js';
import { PoliteHttpClient, userAgentFor } from '../../src/sources/polite-http.js';
import { snapshotRules } from '../../src/snapshots/validate-snapshots.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { kworbFixture, kworbTracking } from '../helpers/kworb-fixtures.js';
import { startLoopback, type LoopbackServer } from '../../emulators/loopback-http.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';

const tracking = kworbTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
const rules = snapshotRules(trackings, 600);
const logger = createLogger('silent');
const redis = testRedis();

/** What the loopback kworb answers next: a fixture page, an HTTP status, or silence. */
type Answer =
  | { page: Parameters<typeof kworbFixture>[0] }
  | { status: number }
  | 'hang'
  | { json: unknown }
  | { html: string };

function answer(response: ServerResponse, a: Answer): void {
  if (a === 'hang') return;
  if ('html' in a) {
    response.writeHead(200, { 'content-type': 'text/html' }).end(a.html);
  } else if ('page' in a) {
    // kworb serves UTF-8 without a charset.
    response.writeHead(200, { 'content-type': 'text/html' }).end(kworbFixture(a.page));
  } else if ('json' in a) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(a.json));
  } else {
    response.writeHead(a.status, { 'content-type': 'text/plain' }).end('Internal Server Error');
  }
}

describe('poller', () => {
  let prefix: string;
  let server: LoopbackServer;
  let queue: SnapshotQueue;
  let next: Answer;
  let http: PoliteHttpClient;
  let deps: PollDeps;

  beforeEach(async () => {
    prefix = uniquePrefix('poller');
    next = { page: 'normal' };
    server = await startLoopback((_req, res) => answer(res, next));
    queue = new Queue(snapshotsQueue.name, { connection: testRedis(), prefix });
    http = new PoliteHttpClient({
      userAgent: userAgentFor('0.1.0', 'https://example.org/contact'),
      timeoutMs: 2000,
    });
    const entrance = { artistState: new ArtistStateStore(redis, stateKeys(prefix)), queue };
    deps = {
      redis,
      keys: stateKeys(prefix),
      entrance,
      trackings: new Map([[tracking.artist.id, tracking]]),
      logger,
      rules,
    };
  });

  afterEach(async () => {
    await server.close();
    await queue.close();
    await cleanupPrefix(prefix);
  });

  afterAll(() => redis.disconnect());

  function kworb(): KworbSource {
    return new KworbSource({
      id: 'kworb-v',
      tracking,
      http,
      url: `${server.url}/spotify/artist/x_songs.html`,
    });
  }

  async function snapshotJobs() {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    return jobs.map((j) => ({ id: j.id, data: j.data }));
  }

  it('enqueues once per new data date, keyed on the page date and not the time of the poll', async () => {
    const source = kworb();
    const outcomes: PollOutcome[] = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await pollSource(source, deps));
    next = { page: 'featured-only' }; // Last updated 2023/10/12
    outcomes.push(await pollSource(source, deps));
    outcomes.push(await pollSource(source, deps));
    next = { page: 'normal' }; // an older page (a stale cache) is not news
    outcomes.push(await pollSource(source, deps));

    expect(outcomes.map((o) => o.status)).toEqual([
      'enqueued',
      'unchanged',
      'unchanged',
      'enqueued',
      'unchanged',
      'unchanged',
    ]);
    expect(server.requests).toHaveLength(6);
    const jobs = await snapshotJobs();
    expect(jobs.map((j) => j.id).sort()).toEqual(['poll~v~2023-10-11', 'poll~v~2023-10-12']);
    const first = jobs.find((j) => j.id === 'poll~v~2023-10-11');
    expect(first?.data.snapshot).toMatchObject({
      capturedAt: '2023-10-11T12:00:00+00:00',
      artistId: 'v',
      source: 'kworb',
      artistStreams: 1_480_312_977,
      tracks: { 'slow-dancing': 150_123_456, blue: 55_000_000 },
    });
  });

  it('a crash between enqueue and "seen" re-enqueues nothing: the job id is the artist and data date', async () => {
    const source = kworb();
    await pollSource(source, deps);
    await redis.hdel(stateKeys(prefix).pollSource('kworb-v'), 'latest:v');
    const again = await pollSource(source, deps);
    expect(again.status).toBe('enqueued');
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it('survives a timeout, a 500 and a changed layout without enqueuing a bad snapshot, then recovers', async () => {
    const source = kworb();
    const outcomes: PollOutcome[] = [];
    const plan: Answer[] = ['hang', { status: 500 }, { page: 'changed-layout' }, { page: 'normal' }];
    next = 'hang';
    while (plan.length > 0) {
      const outcome = await pollSource(source, deps);
      outcomes.push(outcome);
      if (outcome.status !== 'backing-off') {
        plan.shift();
        if (plan[0] !== undefined) next = plan[0];
      }
      if (outcome.status === 'enqueued') break;
    }
    // Fetches at ticks 1, 2, 4 and 8: the skips in between are the backoff.
    expect(outcomes.map((o) => o.status)).toEqual([
      'failed',
      'failed',
      'backing-off',
      'failed',
      'backing-off',
      'backing-off',
      'backing-off',
      'enqueued',
    ]);
    const errors = outcomes.flatMap((o) => (o.status === 'failed' ? [o.error] : []));
    expect(errors[0]).toMatch(/no complete answer within 2000 ms/);
    expect(errors[1]).toMatch(/HTTP 500/);
    expect(errors[2]).toMatch(/missing "Last updated: YYYY\/MM\/DD"/);
    const jobs = await snapshotJobs();
    expect(jobs.map((j) => j.id)).toEqual(['poll~v~2023-10-11']);
    expect(await redis.hmget(stateKeys(prefix).pollSource('kworb-v'), 'failures', 'skip')).toEqual([
      '0',
      '0',
    ]);
  });

  it('enqueues nothing from a damaged page: cut short, a row missing a cell, a garbled count, no stamp', async () => {
    const html = kworbFixture('headerless').toString('utf8');
    const damaged = [
      html.slice(0, Math.floor(html.length * 0.8)),
      html.replace('<td>56,300,000</td>', ''),
      html.replace('<td>56,300,000</td>', '<td>n/a</td>'),
      html.replace('Last updated: 2023/10/13', ''),
    ];
    for (const page of damaged) {
      next = { html: page };
      await redis.del(stateKeys(prefix).pollSource('kworb-v'));
      const outcome = await pollSource(kworb(), deps);
      expect(outcome.status).toBe('failed');
    }
    expect(await queue.count()).toBe(0);
    expect(await redis.zcard(stateKeys(prefix).artistInbox('v'))).toBe(0);
    next = { page: 'headerless' };
    await redis.del(stateKeys(prefix).pollSource('kworb-v'));
    expect((await pollSource(kworb(), deps)).status).toBe('enqueued');
    expect(await queue.count()).toBe(1);
  });

  it('backs off exponentially on consecutive failures: fetches at ticks 1, 2, 4, 8 and 16, capped by maxSkipTicks', async () => {
    next = { status: 500 };
    const source = kworb();
    const fetchedAt: number[] = [];
    for (let tick = 1; tick <= 20; tick += 1) {
      const before = server.requests.length;
      await pollSource(source, deps);
      if (server.requests.length > before) fetchedAt.push(tick);
    }
    expect(fetchedAt).toEqual([1, 2, 4, 8, 16]);
    expect(await queue.getWaitingCount()).toBe(0);

    const capped = uniquePrefix('poller-cap');
    try {
      const cappedDeps = { ...deps, keys: stateKeys(capped), maxSkipTicks: 2 };
      const cappedAt: number[] = [];
      for (let tick = 1; tick <= 12; tick += 1) {
        const before = server.requests.length;
        await pollSource(source, cappedDeps);
        if (server.requests.length > before) cappedAt.push(tick);
      }
      expect(cappedAt).toEqual([1, 2, 4, 7, 10]);
    } finally {
      await cleanupPrefix(capped);
    }
  });

  it('polls from a BullMQ job scheduler, sends a User-Agent naming the project and a contact URL, and enqueues once', async () => {
    const polls: PollOutcome[] = [];
    const poller = await startPoller({
      redisUrl: TEST_REDIS_URL,
      prefix,
      sources: [{ source: kworb(), intervalMs: 100 }],
      entrance: deps.entrance,
      trackings: deps.trackings,
      logger,
      rules,
      onPoll: (o) => polls.push(o),
    });
    try {
      for (let i = 0; i < 100 && polls.length < 4; i += 1) await sleep(50);
      expect(polls.length).toBeGreaterThanOrEqual(4);
      const schedulers = await poller.queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toEqual(['source~kworb-v']);
    } finally {
      await poller.close();
    }
    expect(polls[0]?.status).toBe('enqueued');
    expect(polls.slice(1).every((o) => o.status === 'unchanged')).toBe(true);
    expect((await snapshotJobs()).map((j) => j.id)).toEqual(['poll~v~2023-10-11']);
    expect(server.requests[0]?.['user-agent']).toBe('layover-bot/0.1.0 (+https://example.org/contact)');
  });

  it('removes the scheduler of a source that is no longer configured', async () => {
    const first = await startPoller({
      redisUrl: TEST_REDIS_URL,
      prefix,
      sources: [{ source: kworb(), intervalMs: 60_000 }],
      entrance: deps.entrance,
      trackings: deps.trackings,
      logger,
      rules,
    });
    await first.close();
    const second = await startPoller({
      redisUrl: TEST_REDIS_URL,
      prefix,
      sources: [],
      entrance: deps.entrance,
      trackings: deps.trackings,
      logger,
      rules,
    });
    try {
      expect(await second.queue.getJobSchedulers()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('sends one request at a time to a host', async () => {
    await server.close();
    server = await startLoopback((_req, res) => {
      setTimeout(() => answer(res, { page: 'normal' }), 30);
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => http.get(`${server.url}/a`, 'text/html')),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.requests).toHaveLength(5);
    expect(server.maxInFlight()).toBe(1);
  });

  it('keeps one request at a time per host across processes sharing a Redis host lock, with the gap between', async () => {
    await server.close();
    const starts: number[] = [];
    server = await startLoopback((_req, res) => {
      starts.push(Date.now());
      setTimeout(() => answer(res, { page: 'normal' }), 40);
    });
    const lock = new RedisHostLock(redis, stateKeys(prefix).pollHost, 10);
    // Two clients stand in for two poller processes: their in-process lanes do not know each other.
    const clients = [0, 1].map(
      () =>
        new PoliteHttpClient({
          userAgent: 'layover-bot/test',
          timeoutMs: 2000,
          minGapMs: 60,
          hostLock: lock,
        }),
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => clients[i % 2]!.get(`${server.url}/p${i}`, 'text/html')),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.maxInFlight()).toBe(1);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Each request takes 40 ms, then the host stays taken for the 60 ms gap.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
    expect(await redis.exists(stateKeys(prefix).pollHost(new URL(server.url).host))).toBe(1);
  });

  it('times out an answer that stalls half-way through its body, and refuses one larger than the limit', async () => {
    await server.close();
    server = await startLoopback((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      if (req.url === '/stall') res.write(kworbFixture('normal').subarray(0, 500));
      else res.end(Buffer.alloc(64 * 1024, 0x20));
    });
    await expect(http.get(`${server.url}/stall`, 'text/html')).rejects.toThrow(
      /no complete answer within 2000 ms/,
    );
    const small = new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 1000, maxBytes: 1024 });
    await expect(small.get(`${server.url}/big`, 'text/html')).rejects.toThrow(
      /answer larger than 1024 bytes/,
    );
  });

  it('takes every new snapshot a JSON source lists, in capturedAt order, and each only once', async () => {
    const source = new JsonSource({ id: 'fan-json', url: `${server.url}/v.json`, trackings, http });
    const day = (d: number, streams: number) => ({
      capturedAt: `2023-10-${String(d).padStart(2, '0')}T23:00:00+09:00`,
      tracks: { 'rainy-days': streams },
    });
    next = { json: [day(12, 91_000_000), day(11, 90_000_000)] };
    const first = await pollSource(source, deps);
    next = { json: [day(11, 90_000_000), day(12, 91_000_000), day(13, 92_000_000)] };
    const second = await pollSource(source, deps);
    expect(first).toMatchObject({
      status: 'enqueued',
      jobIds: ['poll~v~2023-10-11T14-00-00.000Z', 'poll~v~2023-10-12T14-00-00.000Z'],
    });
    expect(second).toMatchObject({ status: 'enqueued', jobIds: ['poll~v~2023-10-13T14-00-00.000Z'] });
    const job = await queue.getJob('poll~v~2023-10-13T14-00-00.000Z');
    expect(job?.data.snapshot).toEqual({
      artistId: 'v',
      capturedAt: day(13, 0).capturedAt,
      at: Date.parse(day(13, 0).capturedAt),
      source: 'fan-json',
      tracks: { 'rainy-days': 92_000_000 },
    });
  });

  it('refuses a JSON answer with any bad snapshot, naming each problem, and enqueues none of it', async () => {
    const source = new JsonSource({ id: 'fan-json', url: `${server.url}/v.json`, trackings, http });
    next = {
      json: [
        { capturedAt: '2023-10-11T23:00:00+09:00', tracks: { 'rainy-days': 1 } },
        { capturedAt: '2023-10-12T23:00:00', tracks: { blue: -4 } },
      ],
    };
    const outcome = await pollSource(source, deps);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.error).toMatch(
      /\[1\]\.capturedAt: must be an ISO 8601 date-time with an offset; \[1\]\.tracks\.blue: must not be negative/,
    );
    expect(await queue.getWaitingCount()).toBe(0);
  });
});
