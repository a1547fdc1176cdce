import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { KworbSource } from '../../src/sources/kworb-source.js';
import { pollSource, type PollDeps } from '../../src/sources/poll-source.js';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { snapshotRules } from '../../src/snapshots/validate-snapshots.js';
import { stateKeys } from '../../src/state/keys.js';
import { kworbFixture } from '../helpers/kworb-fixtures.js';
import { startLoopback, type LoopbackServer } from '../../emulators/loopback-http.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const redis = testRedis();

/** The headerless fixture with another "Last updated" day. */
function stamped(day: string): string {
  return kworbFixture('headerless').toString('utf8').replace('2023/10/13', day);
}

describe('kworb page stamps', () => {
  let server: LoopbackServer;
  let page: string;
  let prefix: string;
  let queue: SnapshotQueue;
  let logs: { msg: string; [key: string]: unknown }[];
  let deps: PollDeps;
  let clock: number;
  let source: KworbSource;

  beforeEach(async () => {
    page = stamped('2023/10/11');
    server = await startLoopback((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(page),
    );
    prefix = uniquePrefix('kworb-stamps');
    queue = new Queue(snapshotsQueue.name, { connection: testRedis(), prefix });
    logs = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs.push(JSON.parse(chunk.toString('utf8')) as { msg: string });
          done();
        },
      }),
    );
    deps = {
      redis,
      keys: stateKeys(prefix),
      entrance: { artistState: new ArtistStateStore(redis, stateKeys(prefix)), queue },
      trackings: new Map([['v', layoverTracking()]]),
      logger,
      rules: snapshotRules([layoverTracking()], 600),
    };
    clock = Date.parse('2023-10-11T15:00:00Z');
    source = new KworbSource({
      id: 'kworb-v',
      tracking: layoverTracking(),
      http: new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 }),
      url: `${server.url}/spotify/artist/x_songs.html`,
      logger,
      now: () => clock,
    });
  });

  afterEach(async () => {
    await server.close();
    await queue.close();
    await cleanupPrefix(prefix);
  });

  afterAll(() => redis.disconnect());

  const ids = async () => (await queue.getJobs(['waiting'])).map((j) => j.id).sort();

  it('a stamp that skips a day still gives its reading, keyed on its own day, and the skip is logged', async () => {
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    page = stamped('2023/10/13');
    clock = Date.parse('2023-10-13T15:00:00Z');
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    expect(await ids()).toEqual(['poll~v~2023-10-11', 'poll~v~2023-10-13']);
    const skip = logs.find((l) => l.msg.startsWith('kworb: the page stamp skipped days'));
    expect(skip).toMatchObject({ from: '2023-10-11', to: '2023-10-13', days: 2 });
  });

  it('a page lagging behind the clock is read as of its own stamp (never the poll time), logged, and not repeated', async () => {
    clock = Date.parse('2023-10-14T09:00:00Z');
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    expect((await pollSource(source, deps)).status).toBe('unchanged');
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.data.snapshot.capturedAt).toBe('2023-10-11T12:00:00+00:00');
    expect(logs.find((l) => l.msg.startsWith('kworb: the page stamp lags'))).toMatchObject({
      lastUpdated: '2023-10-11',
      days: 2,
    });
  });

  it('a page stamped today is held until noon UTC of that day, then enqueued once', async () => {
    page = stamped('2023/10/12');
    clock = Date.parse('2023-10-12T03:00:00Z');
    expect((await pollSource(source, deps)).status).toBe('unchanged');
    expect(await queue.count()).toBe(0);
    clock = Date.parse('2023-10-12T12:00:00Z');
    expect((await pollSource(source, deps)).status).toBe('enqueued');
    expect(await ids()).toEqual(['poll~v~2023-10-12']);
  });

  it('logs the songs matched by title on the first poll and again only when they change', async () => {
    await pollSource(source, deps);
    await pollSource(source, deps);
    const titled = () =>
      logs.filter((l) => l.msg.startsWith('kworb: songs without a Spotify id matched by title'));
    expect(titled()).toHaveLength(1);
    expect(titled()[0]).toMatchObject({
      byTitle: [
        'blue=FixtureBlue00000000001',
        'slow-dancing=FixtureSlowDancing0001',
        'for-us=FixtureForUs0000000001',
        'slow-dancing-piano=FixturePiano0000000001',
      ],
      unmatched: [],
    });
    page = page.replace('>For Us<', '>For Them<');
    await pollSource(source, deps);
    expect(titled()).toHaveLength(2);
    expect(titled()[1]).toMatchObject({ unmatched: ['for-us'] });
  });
});
