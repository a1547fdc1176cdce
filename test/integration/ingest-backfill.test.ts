import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCommand } from '../../src/cli/ingest-command.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { liveRules } from '../../src/jobs/publish-rules.js';
import { createLogger } from '../../src/logger.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const dir = mkdtempSync(join(tmpdir(), 'layover-backfill-'));
const prefix = uniquePrefix('ingest-backfill');
const redis = testRedis();
let pipeline: Pipeline | undefined;

afterAll(async () => {
  await pipeline?.close(2000);
  redis.disconnect();
  await cleanupPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run ingest -- <file> --backfill', () => {
  it('seeds the state from a history: its milestones are recorded, every destination skipped, nothing posted', async () => {
    const history = randomHistory(tracking, 12, 21);
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, history.map((s) => JSON.stringify(s)).join('\n'));
    const published = `${prefix}:test:published`;
    pipeline = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [tracking],
      publishers: [
        new RecordingPublisher('x', redis, published),
        new RecordingPublisher('discord', redis, published),
      ],
      logger: createLogger('silent'),
      runSnapshotWorker: true,
      runPublishWorker: true,
      snapshotConcurrency: 4,
      publishConcurrency: 4,
      // The live rules, with no age limit: without --backfill this history would be posted.
      publishRules: liveRules(0),
    });
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      TRACKING_CONFIG: 'config/layover.json',
      CI: '1',
    };
    expect(await ingestCommand([path, '--backfill'], env)).toMatchObject({
      snapshots: history.length,
      enqueued: history.length,
    });
    for (let waited = 0; ; waited += 20) {
      const counts = await pipeline.snapshotQueue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) === history.length) break;
      if (waited > 20_000) throw new Error(`snapshots not applied: ${JSON.stringify(counts)}`);
      await sleep(20);
    }
    expect(await pipeline.snapshotQueue.getFailedCount()).toBe(0);
    const recorded = await pipeline.milestones.recentWithDeliveries(tracking.artist.id, 1000);
    expect(recorded.length).toBeGreaterThan(5);
    for (const { deliveries } of recorded) {
      expect([...deliveries.keys()].sort()).toEqual(['discord:rec', 'x:rec']);
      for (const entry of deliveries.values())
        expect(entry).toMatchObject({ state: 'skipped', reason: 'backfill' });
    }
    expect(await pipeline.publishQueue.count()).toBe(0);
    expect(await redis.llen(published)).toBe(0);
    // The state is seeded: the artist's state has the history's last day.
    const view = await pipeline.artistState.view(tracking.artist.id);
    expect(view.lastAppliedAt).toBe(history.at(-1)!.capturedAt);
  });
});
