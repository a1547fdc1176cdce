import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../src/command-error.js';
import {
  readFailedSnapshotJobs,
  retryFailedSnapshotJobs,
  summarizePayload,
} from '../../src/cli/failed-command.js';
import { ingestCommand } from '../../src/cli/ingest-command.js';
import { snapshotJobOptions, snapshotsQueue, type SnapshotQueue } from '../../src/jobs/contracts.js';
import { startPipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'layover-ingest-'));
const prefix = uniquePrefix('ingest-cli');
const env = {
  REDIS_URL: TEST_REDIS_URL,
  QUEUE_PREFIX: prefix,
  TRACKING_CONFIG: 'config/layover.json',
  CI: '1',
};
const redis = testRedis();
let queue: SnapshotQueue;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function refusal(argv: string[]): Promise<CommandError> {
  try {
    await ingestCommand(argv, env);
  } catch (error) {
    if (error instanceof CommandError) return error;
    throw error;
  }
  throw new Error('ingest did not refuse the file');
}

const good = (day: number, streams: number) =>
  JSON.stringify({ capturedAt: `2023-10-${day}T23:00:00+09:00`, tracks: { 'rainy-days': streams } });

beforeAll(() => {
  queue = new Queue(snapshotsQueue.name, { connection: testRedis(), prefix });
});

afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await cleanupPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run ingest, bad files', () => {
  it('lists every bad JSONL line by number, exits 2 and enqueues nothing', async () => {
    const path = file(
      'bad.jsonl',
      [
        good(11, 1),
        '{"capturedAt":"2023-10-12T23:00:00","tracks":{}}',
        '',
        '{"capturedAt":"2023-10-13T23:00:00+09:00","tracks":{"blue":-1}}',
        'not json',
        good(14, 2),
      ].join('\n'),
    );
    const error = await refusal([path]);
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')).toEqual([
      `${path}: 3 problem(s), nothing was enqueued`,
      'line 2: capturedAt: must be an ISO 8601 date-time with an offset',
      'line 4: tracks.blue: must not be negative',
      expect.stringMatching(/^line 5: \(root\): not valid JSON/),
    ]);
  });

  it('lists bad CSV rows by line: bad dates, bad counts, a repeated track, an unknown artist', async () => {
    const path = file(
      'bad.csv',
      [
        'capturedAt,track,streams,artist',
        '2023-10-11T23:00:00+09:00,rainy-days,90000000,',
        '2023-10-11,blue,55000000,',
        '2023-10-12T23:00:00+09:00,blue,-5,',
        '2023-10-12T23:00:00+09:00,blue,"55,000,000",',
        '2023-10-12T23:00:00+09:00,rainy-days,91000000,',
        '2023-10-12T23:00:00+09:00,rainy-days,91000001,',
        '2023-10-13T23:00:00+09:00,rainy-days,92000000,jimin',
      ].join('\n'),
    );
    const error = await refusal([path]);
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n').slice(1)).toEqual([
      'line 3: capturedAt: must be an ISO 8601 date-time with an offset',
      'line 4: streams: must be a whole number from 0 to 2^53-1 (found "-5")',
      'line 5: streams: must be a whole number from 0 to 2^53-1 (found "55,000,000")',
      'line 7: track "rainy-days" already has a count at this time (line 6)',
      'line 8: artist: unknown artist "jimin"',
    ]);
  });

  it('refuses a CSV without the required columns', async () => {
    const error = await refusal([file('columns.csv', 'time,song,plays\n2023-10-11T23:00:00+09:00,blue,1\n')]);
    expect(error.message).toContain('line 1: unknown column "time"');
    expect(error.message).toContain('line 1: missing the "capturedAt" column');
  });

  it('names the item and path of a bad snapshot in a JSON array', async () => {
    const path = file(
      'bad.json',
      `[${good(11, 1)}, {"capturedAt":"2023-10-12T23:00:00+09:00","tracks":{"blue":-2}}]`,
    );
    expect((await refusal([path])).message).toContain('[1].tracks.blue: must not be negative');
  });

  it('refuses unknown file types, missing files, empty files and stray arguments with exit 2', async () => {
    for (const argv of [
      [file('x.txt', good(11, 1))],
      [join(dir, 'nowhere.jsonl')],
      [file('empty.jsonl', '\n\n')],
      [],
      [file('a.jsonl', good(11, 1)), 'b.jsonl'],
      ['--bogus'],
    ]) {
      expect((await refusal(argv)).exitCode).toBe(2);
    }
  });

  it('left the queue and the state untouched', async () => {
    const counts = await queue.getJobCounts();
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(await redis.keys(`${prefix}:artist:*`)).toEqual([]);
  });
});

describe('npm run ingest, good files', () => {
  it('groups CSV rows into one snapshot per time, enqueues them in capturedAt order, and only once', async () => {
    const tracking = layoverTracking();
    const ids = [...tracking.tracksById.values()].map((t) => t.spotifyId ?? t.id);
    const rows = ['track,streams,capturedAt'];
    for (const day of [13, 11, 12]) {
      ids.forEach((id, i) => rows.push(`${id},${day * 1_000_000 + i},2023-10-${day}T23:00:00+09:00`));
    }
    const path = file('good.csv', `${rows.join('\r\n')}\r\n`);
    expect(await ingestCommand([path], env)).toEqual({ snapshots: 3, enqueued: 3, ignored: [] });
    expect(await ingestCommand([path], env)).toEqual({ snapshots: 3, enqueued: 3, ignored: [] });
    // getWaiting lists jobs in the order workers take them.
    const data = (await queue.getWaiting()).map((j) => j.data.snapshot);
    expect(data.map((d) => d.capturedAt)).toEqual([
      '2023-10-11T23:00:00+09:00',
      '2023-10-12T23:00:00+09:00',
      '2023-10-13T23:00:00+09:00',
    ]);
    const day11 = data.find((d) => d.capturedAt.startsWith('2023-10-11'));
    // Admitted at the entrance: Spotify ids resolved to track ids.
    expect(day11?.tracks).toEqual({
      'rainy-days': 11_000_000,
      blue: 11_000_001,
      'love-me-again': 11_000_002,
      'slow-dancing': 11_000_003,
      'for-us': 11_000_004,
      'slow-dancing-piano': 11_000_005,
    });
    await queue.obliterate({ force: true });
  });

  it('validates without enqueuing on --dry-run', async () => {
    const path = file('dry.jsonl', `${good(11, 1)}\n${good(12, 2)}\n`);
    expect(await ingestCommand([path, '--dry-run'], env)).toEqual({ snapshots: 2, enqueued: 0, ignored: [] });
    expect(await queue.getWaitingCount()).toBe(0);
  });
});

describe('npm run failed', () => {
  it('shows a refused snapshot job with its reason and payload', async () => {
    const pipeline = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [layoverTracking()],
      publishers: [new RecordingPublisher('x', redis, `${prefix}:test:published`)],
      logger: createLogger('silent'),
      runSnapshotWorker: true,
      runPublishWorker: false,
      snapshotConcurrency: 1,
      publishConcurrency: 1,
    });
    try {
      // Valid when it was enqueued; the artist has since left the tracking config.
      const snapshot = {
        artistId: 'ghost',
        capturedAt: '2023-10-11T23:00:00+09:00',
        at: Date.parse('2023-10-11T23:00:00+09:00'),
        source: 'kworb',
        tracks: { blue: 1 },
      };
      await pipeline.snapshotQueue.add(
        snapshotsQueue.jobName,
        { entry: 'ghost-entry', snapshot },
        { ...snapshotJobOptions, jobId: 'poll~ghost~2023-10-11' },
      );
      await until('the job to fail', async () => (await pipeline.snapshotQueue.getFailedCount()) > 0);
    } finally {
      await pipeline.close(2000);
    }
    const { total, jobs } = await readFailedSnapshotJobs(TEST_REDIS_URL, prefix, 10);
    expect(total).toBe(1);
    expect(jobs[0]).toMatchObject({
      id: 'poll~ghost~2023-10-11',
      failedReason: 'invalid snapshot: artist: unknown artist "ghost" (no longer in the tracking configs)',
      attemptsMade: 1,
      data: {
        entry: 'ghost-entry',
        snapshot: { capturedAt: '2023-10-11T23:00:00+09:00', artistId: 'ghost' },
      },
    });
    expect(summarizePayload(jobs[0]?.data)).toBe(
      '2023-10-11T23:00:00+09:00 · artist=ghost · source=kworb · 1 track(s)',
    );
  });

  it('--retry moves a failed job (by id, or all of them) back to waiting; other ids are named as problems', async () => {
    const unknown = await retryFailedSnapshotJobs(TEST_REDIS_URL, prefix, 'no-such-job');
    expect(unknown).toEqual({ retried: [], problems: ['no snapshot job with id "no-such-job"'] });
    const queue = new Queue(snapshotsQueue.name, { connection: redis, prefix });
    try {
      const one = await retryFailedSnapshotJobs(TEST_REDIS_URL, prefix, 'poll~ghost~2023-10-11');
      expect(one).toEqual({ retried: ['poll~ghost~2023-10-11'], problems: [] });
      expect(await queue.getJobState('poll~ghost~2023-10-11')).toBe('waiting');
      expect(await queue.getFailedCount()).toBe(0);
      const again = await retryFailedSnapshotJobs(TEST_REDIS_URL, prefix, 'poll~ghost~2023-10-11');
      expect(again.problems).toEqual([
        'snapshot job "poll~ghost~2023-10-11" is waiting, not failed: nothing to retry',
      ]);
      // Fail it again (the artist is still unknown), then retry all.
      const pipeline = await startPipeline({
        redisUrl: TEST_REDIS_URL,
        prefix,
        trackings: [layoverTracking()],
        publishers: [],
        logger: createLogger('silent'),
        runSnapshotWorker: true,
        runPublishWorker: false,
        snapshotConcurrency: 1,
        publishConcurrency: 1,
      });
      try {
        await until('the job to fail again', async () => (await queue.getFailedCount()) === 1);
      } finally {
        await pipeline.close(2000);
      }
      const all = await retryFailedSnapshotJobs(TEST_REDIS_URL, prefix, 'all');
      expect(all).toEqual({ retried: ['poll~ghost~2023-10-11'], problems: [] });
      expect(await queue.getJobState('poll~ghost~2023-10-11')).toBe('waiting');
    } finally {
      await queue.close();
    }
  });
});
