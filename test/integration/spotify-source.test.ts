import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { pollSource, type PollDeps } from '../../src/sources/poll-source.js';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import { SourceError } from '../../src/sources/source.js';
import { SpotifyFollowersSource } from '../../src/sources/spotify-followers-source.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { snapshotRules } from '../../src/snapshots/validate-snapshots.js';
import { stateKeys } from '../../src/state/keys.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify-emulator.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const tracking = layoverTracking();
const artistId = '3JsHnjpbhX4SnySpvpa9DK';
const redis = testRedis();
const logger = createLogger('silent');

describe('Spotify followers source', () => {
  let spotify: SpotifyEmulator;
  let prefix: string;
  let queue: SnapshotQueue;
  let deps: PollDeps;
  let clock: number;

  beforeEach(async () => {
    spotify = await startSpotifyEmulator(artistId);
    prefix = uniquePrefix('spotify-source');
    queue = new Queue(snapshotsQueue.name, { connection: testRedis(), prefix });
    deps = {
      redis,
      keys: stateKeys(prefix),
      entrance: { artistState: new ArtistStateStore(redis, stateKeys(prefix)), queue },
      trackings: new Map([['v', layoverTracking()]]),
      logger,
      rules: snapshotRules([layoverTracking()], 600),
    };
    clock = Date.parse('2026-11-28T06:00:00.250Z');
  });

  afterEach(async () => {
    await spotify.close();
    await queue.close();
    await cleanupPrefix(prefix);
  });

  afterAll(() => redis.disconnect());

  function source(secret = spotify.clientSecret): SpotifyFollowersSource {
    return new SpotifyFollowersSource({
      id: 'spotify-v',
      tracking,
      http: new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 }),
      api: {
        clientId: spotify.clientId,
        clientSecret: secret,
        tokenUrl: spotify.tokenUrl,
        apiUrl: spotify.apiUrl,
      },
      now: () => clock,
    });
  }

  it('reads followers.total with a client-credentials token and keeps the token until it nears expiry', async () => {
    const s = source();
    const [reading] = await s.fetch();
    expect(reading?.snapshot).toEqual({
      capturedAt: '2026-11-28T06:00:00.000Z',
      artist: 'v',
      source: 'spotify',
      tracks: {},
      followers: 15_720_000,
    });
    expect(reading?.dataKey).toBe('followers-2026-11-28T06-00-00.000Z');
    spotify.followers = 15_720_001;
    clock += 60_000;
    expect((await s.fetch())[0]?.snapshot.followers).toBe(15_720_001);
    expect(spotify.tokensIssued()).toBe(1);
    clock += 3600_000;
    await s.fetch();
    expect(spotify.tokensIssued()).toBe(2);
    expect(spotify.calls.filter((c) => c === 'POST /api/token')).toHaveLength(2);
  });

  it('a poll enqueues the followers snapshot once per reading', async () => {
    const outcome = await pollSource(source(), deps);
    expect(outcome).toMatchObject({
      status: 'enqueued',
      jobIds: ['poll~v~followers-2026-11-28T06-00-00.000Z'],
    });
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.data.snapshot).toMatchObject({ artistId: 'v', followers: 15_720_000 });
  });

  it('gets a new token once when the API says the one it holds expired', async () => {
    const s = source();
    await s.fetch();
    spotify.revokeTokens();
    expect((await s.fetch())[0]?.snapshot.followers).toBe(15_720_000);
    expect(spotify.tokensIssued()).toBe(2);
  });

  it('names the February 2026 change when a Development Mode app gets no followers, and enqueues nothing', async () => {
    spotify.mode = 'development';
    await expect(source().fetch()).rejects.toThrow(
      /has no "followers": Spotify stopped returning followers to Development Mode apps in February 2026/,
    );
    const outcome = await pollSource(source(), deps);
    expect(outcome.status).toBe('failed');
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 0, delayed: 0 });
    expect(await redis.zcard(stateKeys(prefix).artistInbox('v'))).toBe(0);
  });

  it('names the credentials when the token endpoint refuses them', async () => {
    await expect(source('wrong-secret').fetch()).rejects.toThrow(
      /api\/token \(SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET\): HTTP 400: invalid_client \(Invalid client\)/,
    );
  });

  const broken: { name: string; raw: string; status?: number; error: RegExp }[] = [
    { name: 'a body that is not JSON', raw: '<html>oops</html>', error: /answer is not JSON/ },
    {
      name: 'a truncated body',
      raw: '{"id":"3JsHnjpbhX4SnySpvpa9DK","followers":{"to',
      error: /answer is not JSON/,
    },
    { name: 'an array', raw: '[]', error: /not a Spotify artist object/ },
    {
      name: 'another artist',
      raw: '{"id":"someone","type":"artist","followers":{"total":5}}',
      error: /about artist "someone"/,
    },
    {
      name: 'followers: null',
      raw: `{"id":"${artistId}","type":"artist","followers":null}`,
      error: /February 2026/,
    },
    {
      name: 'no total',
      raw: `{"id":"${artistId}","type":"artist","followers":{"href":null}}`,
      error: /no "followers.total": .*February 2026/,
    },
    {
      name: 'a string total',
      raw: `{"id":"${artistId}","type":"artist","followers":{"total":"15720000"}}`,
      error: /"followers.total" is not a count \("15720000"\)/,
    },
    {
      name: 'a negative total',
      raw: `{"id":"${artistId}","type":"artist","followers":{"total":-1}}`,
      error: /is not a count \(-1\)/,
    },
    {
      name: 'a fractional total',
      raw: `{"id":"${artistId}","type":"artist","followers":{"total":1.5}}`,
      error: /is not a count \(1.5\)/,
    },
    {
      name: 'a 429',
      raw: '{"error":{"status":429,"message":"API rate limit exceeded"}}',
      status: 429,
      error: /HTTP 429: API rate limit exceeded/,
    },
    { name: 'a 500', raw: 'Internal Server Error', status: 500, error: /HTTP 500$/ },
  ];

  for (const { name, raw, status, error } of broken) {
    it(`refuses ${name} with an error naming it, never a zero`, async () => {
      spotify.mode = { raw, ...(status === undefined ? {} : { status }) };
      const failure = await source()
        .fetch()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failure).toBeInstanceOf(SourceError);
      expect((failure as Error).message).toMatch(error);
      expect((await pollSource(source(), deps)).status).toBe('failed');
      expect(await queue.count()).toBe(0);
      expect(await redis.zcard(stateKeys(prefix).artistInbox('v'))).toBe(0);
    });
  }
});
