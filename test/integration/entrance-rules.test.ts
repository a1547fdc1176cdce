import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../src/command-error.js';
import { ingestCommand } from '../../src/cli/ingest-command.js';
import { ingestRoute } from '../../src/http/ingest-route.js';
import { createHttpServer } from '../../src/http/server.js';
import { snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { createLogger } from '../../src/logger.js';
import { snapshotRules } from '../../src/snapshots/validate-snapshots.js';
import { JsonSource } from '../../src/sources/json-source.js';
import { pollSource } from '../../src/sources/poll-source.js';
import { PoliteHttpClient } from '../../src/sources/polite-http.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { startLoopback, type LoopbackServer } from '../../emulators/loopback-http.js';
import { VALID_TOKEN } from '../helpers/malformed-snapshots.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
/** The server's clock in these tests: 2023-10-11 14:00 UTC, 23:00 in Seoul. */
const NOW = Date.parse('2023-10-11T14:00:00Z');
const now = () => NOW;

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

async function queueTotal(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('POST /snapshots and the entrance rules', () => {
  const prefix = uniquePrefix('entrance-http');
  const { logger, lines } = recordingLogger();
  let app: FastifyInstance;
  let queue: SnapshotQueue;

  beforeAll(async () => {
    const connection = testRedis();
    queue = new Queue(snapshotsQueue.name, { connection, prefix });
    const entrance = { artistState: new ArtistStateStore(connection, stateKeys(prefix)), queue };
    app = await createHttpServer({
      logger: createLogger('silent'),
      routes: [
        ingestRoute({
          token: VALID_TOKEN,
          trackings,
          clockSkewSeconds: 600,
          now,
          entrance,
          logger,
        }),
      ],
    });
  });

  afterAll(async () => {
    await app.close();
    await queue.close();
    await cleanupPrefix(prefix);
  });

  const post = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/snapshots',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${VALID_TOKEN}` },
      payload: JSON.stringify(body),
    });

  it('answers 400 naming capturedAt, with its index in a batch, for a time past the clock skew; enqueues nothing', async () => {
    const response = await post([
      { capturedAt: '2023-10-11T23:05:00+09:00', tracks: { blue: 1 } },
      { capturedAt: '2099-09-09T23:00:00+09:00', tracks: { blue: 2 } },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: '1 problem(s) in 1 of 2 snapshot(s); nothing was enqueued',
      problems: [
        "[1].capturedAt: is 27,727 days ahead of this server's clock (2023-10-11T14:00:00.000Z); at most 600 s " +
          '(CLOCK_SKEW_SECONDS) is allowed: counts cannot be from the future',
      ],
    });
    expect(await queueTotal(queue)).toBe(0);
  });

  it('answers 400 with a suggestion for a snapshot whose only key is a typo; enqueues nothing', async () => {
    const response = await post({
      capturedAt: '2023-10-11T23:00:00+09:00',
      tracks: { 'rainy-dayz': 90_000_000 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ problems: string[] }>().problems).toEqual([
      'tracks.rainy-dayz: matches no track id or Spotify id of "v" (did you mean "rainy-days"?), and the ' +
        'snapshot has no known video, artistStreams or followers: it would change nothing',
    ]);
    expect(await queueTotal(queue)).toBe(0);
  });

  it('accepts unknown keys next to known ones, lists each once in the 202 body, and logs them in one line', async () => {
    const before = lines.length;
    const response = await post([
      { capturedAt: '2023-10-09T23:00:00+09:00', tracks: { blue: 1, 'christmas-tree': 5, bleu: 1 } },
      { capturedAt: '2023-10-10T23:00:00+09:00', tracks: { blue: 2, 'christmas-tree': 6 }, followers: 3 },
      { capturedAt: '2023-10-11T23:10:00+09:00', tracks: { blue: 3 } },
    ]);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 3, ignored: ['christmas-tree', 'bleu'] });
    expect(await queue.getWaitingCount()).toBe(3);
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ accepted: 3, ignored: ['christmas-tree', 'bleu'], ignoredCount: 2 });
  });
});

describe('npm run ingest and the entrance rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layover-entrance-'));
  const prefix = uniquePrefix('entrance-ingest');
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    TRACKING_CONFIG: 'config/layover.json',
    CI: '1',
  };

  afterAll(async () => {
    await cleanupPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  async function refusal(argv: string[]): Promise<CommandError> {
    try {
      await ingestCommand(argv, env, now);
    } catch (error) {
      if (error instanceof CommandError) return error;
      throw error;
    }
    throw new Error('ingest did not refuse the file');
  }

  it('exits 2 naming the line and capturedAt of each snapshot past the clock skew, in JSONL and CSV', async () => {
    const jsonl = file(
      'future.jsonl',
      [
        JSON.stringify({ capturedAt: '2023-10-10T23:00:00+09:00', tracks: { blue: 1 } }),
        JSON.stringify({ capturedAt: '2023-10-11T23:11:00+09:00', tracks: { blue: 2 } }),
      ].join('\n'),
    );
    const error = await refusal([jsonl, '--dry-run']);
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')).toEqual([
      `${jsonl}: 1 problem(s), nothing was enqueued`,
      expect.stringMatching(
        /^line 2: capturedAt: is 11 min ahead of this server's clock .*CLOCK_SKEW_SECONDS/,
      ),
    ]);
    const csv = file(
      'future.csv',
      [
        'capturedAt,track,streams',
        '2023-10-10T23:00:00+09:00,blue,1',
        '2099-09-09T23:00:00+09:00,blue,2',
        '2099-09-09T23:00:00+09:00,for-us,2',
      ].join('\n'),
    );
    expect((await refusal([csv])).message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^line 3: capturedAt: is 27,727 days ahead/),
      expect.stringMatching(/^line 4: capturedAt: is 27,727 days ahead/),
    ]);
  });

  it('exits 2 with the suggestion for a CSV row whose track is a typo, alone at its time or not', async () => {
    const csv = file(
      'bleu.csv',
      [
        'capturedAt,track,streams',
        '2023-10-10T23:00:00+09:00,blue,1',
        '2023-10-10T23:00:00+09:00,rainy-days,1',
        '2023-10-11T23:00:00+09:00,bleu,2',
        '2023-10-11T23:00:00+09:00,rainy-days,2',
        '2023-10-12T23:00:00+09:00,bleu,3',
        '2023-10-13T23:00:00+09:00,christmas-tree,3',
      ].join('\n'),
    );
    const error = await refusal([csv, '--dry-run']);
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n').slice(1)).toEqual([
      'line 4: track: "bleu" matches no track id or Spotify id of "v" (did you mean "blue"?)',
      'line 6: track: "bleu" matches no track id or Spotify id of "v" (did you mean "blue"?)',
      'line 7: tracks.christmas-tree: matches no track id or Spotify id of "v", and the snapshot has no ' +
        'known video, artistStreams or followers: it would change nothing',
    ]);
  });

  it('takes unknown keys next to known ones and lists them in its result and summary', async () => {
    const csv = file(
      'extra.csv',
      'capturedAt,track,streams\n2023-10-10T23:00:00+09:00,blue,1\n2023-10-10T23:00:00+09:00,christmas-tree,2\n',
    );
    expect(await ingestCommand([csv, '--dry-run'], env, now)).toEqual({
      snapshots: 1,
      enqueued: 0,
      ignored: ['christmas-tree'],
    });
  });

  it('as a spawned command: `ingest file.csv --dry-run` with track bleu fails with the suggestion, and the summary lists ignored keys', () => {
    const run = (path: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', path, '--dry-run'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        timeout: 60_000,
      });
    const bad = run(file('only-bleu.csv', 'capturedAt,track,streams\n2023-10-11T23:00:00+09:00,bleu,2\n'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      'line 2: track: "bleu" matches no track id or Spotify id of "v" (did you mean "blue"?)',
    );
    const good = run(
      file(
        'mixed.jsonl',
        JSON.stringify({ capturedAt: '2023-10-11T23:00:00+09:00', tracks: { blue: 2, 'rainy-dayz': 3 } }),
      ),
    );
    expect(good.status).toBe(0);
    expect(good.stderr).toContain(
      'ignored 1 track key(s) that match no tracked track: "rainy-dayz" (did you mean "rainy-days"?)',
    );
  }, 120_000);
});

describe('npm run replay and the entrance rules', () => {
  it('treats a future line or a line with nothing tracked as a bad line: exit 2, one message per line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layover-entrance-replay-'));
    try {
      const path = join(dir, 'history.jsonl');
      writeFileSync(
        path,
        [
          JSON.stringify({ capturedAt: '2023-10-10T23:00:00+09:00', tracks: { blue: 1 } }),
          JSON.stringify({ capturedAt: '2099-09-09T23:00:00+09:00', tracks: { blue: 2 } }),
          JSON.stringify({ capturedAt: '2023-10-12T23:00:00+09:00', tracks: { 'rainy-dayz': 3 } }),
        ].join('\n'),
      );
      const result = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli.ts',
          'replay',
          '--config',
          'config/layover.json',
          '--snapshots',
          path,
          '--json',
        ],
        { encoding: 'utf8', env: { ...process.env, REDIS_URL: TEST_REDIS_URL }, timeout: 60_000 },
      );
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n').filter((l) => l.startsWith('line '))).toEqual([
        expect.stringMatching(
          /^line 2: capturedAt: is [\d,]+ days ahead of this server's clock .*CLOCK_SKEW_SECONDS/,
        ),
        expect.stringMatching(/^line 3: tracks\.rainy-dayz: .*\(did you mean "rainy-days"\?\)/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the poller and the entrance rules', () => {
  const prefix = uniquePrefix('entrance-poll');
  const redis = testRedis();
  const { logger, lines } = recordingLogger();
  let next: unknown;
  let server: LoopbackServer;
  let queue: SnapshotQueue;

  beforeAll(async () => {
    server = await startLoopback((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(next));
    });
    queue = new Queue(snapshotsQueue.name, { connection: testRedis(), prefix });
  });

  afterAll(async () => {
    await server.close();
    await queue.close();
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  /** One poll of a JSON source; each test names its own source, so one test's backoff does not hold the next. */
  function poll(sourceId: string) {
    const http = new PoliteHttpClient({ userAgent: 'layover-bot/test', timeoutMs: 2000 });
    const source = new JsonSource({ id: sourceId, url: `${server.url}/v.json`, trackings, http });
    return pollSource(source, {
      redis,
      keys: stateKeys(prefix),
      entrance: { artistState: new ArtistStateStore(redis, stateKeys(prefix)), queue },
      trackings,
      logger,
      rules: snapshotRules(trackings, 600, now),
    });
  }

  it('fails a poll whose answer holds a snapshot past the clock skew, logs it, and enqueues none of it', async () => {
    next = [
      { capturedAt: '2023-10-10T23:00:00+09:00', tracks: { blue: 1 } },
      { capturedAt: '2023-10-12T23:00:00+09:00', tracks: { blue: 2 } },
    ];
    const before = lines.length;
    const outcome = await poll('future');
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.error).toMatch(
      /reading 2023-10-12T14-00-00\.000Z: capturedAt: is 24 h ahead of this server's clock .*CLOCK_SKEW_SECONDS/,
    );
    expect(lines.slice(before).map((l) => l.msg)).toEqual(['poll failed; nothing enqueued']);
    expect(await queueTotal(queue)).toBe(0);
  });

  it('fails a poll whose answer holds a snapshot with nothing tracked, with the suggestion', async () => {
    next = { capturedAt: '2023-10-10T23:00:00+09:00', tracks: { bleu: 1 } };
    const outcome = await poll('typo');
    expect(outcome.status === 'failed' && outcome.error).toMatch(/tracks\.bleu: .*did you mean "blue"/);
    expect(await queueTotal(queue)).toBe(0);
  });

  it('enqueues readings with unknown keys next to known ones, logging the ignored keys in one line', async () => {
    next = [
      { capturedAt: '2023-10-10T23:00:00+09:00', tracks: { blue: 1, 'christmas-tree': 1 } },
      { capturedAt: '2023-10-11T23:00:00+09:00', tracks: { blue: 2, 'christmas-tree': 2 } },
    ];
    const before = lines.length;
    expect((await poll('catalogue')).status).toBe('enqueued');
    expect(await queue.getWaitingCount()).toBe(2);
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ ignored: ['christmas-tree'], ignoredCount: 1 });
  });
});
