import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestRoute } from '../../src/http/ingest-route.js';
import { createHttpServer } from '../../src/http/server.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { runReplay } from '../../src/replay/run-replay.js';
import { admitRawSnapshots } from '../../src/snapshots/admit-snapshots.js';
import { snapshotRules, validateSnapshotLines } from '../../src/snapshots/validate-snapshots.js';
import { ledgerKeyOf } from '../../src/state/post-ledger.store.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { seededRandom, shuffle } from '../helpers/random.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { SAMPLE_HISTORY } from '../helpers/sample-pipeline-run.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);
const logger = createLogger('silent');
const TOKEN = 'live-order-token';

/** A worker process: one pipeline (snapshot and publish workers) at concurrency 8, until killed. */
function startWorkerProcess(prefix: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/pipeline-process.ts', prefix, '1', '8'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** What a post must say the same way live and in the replay: everything but the texts. */
const facts = (m: Milestone) =>
  JSON.stringify([
    m.id,
    m.kind,
    m.albumId,
    m.trackId,
    m.threshold,
    m.value,
    m.observedAt,
    m.daysSinceRelease,
    m.lastTrackId,
    m.record,
  ]);

describe('the live bot announces exactly what the replay announces, however the snapshots arrive', () => {
  const prefix = uniquePrefix('live-order');
  const redis = testRedis();
  const children: ChildProcess[] = [];
  let producer: Pipeline | undefined;
  let http: FastifyInstance | undefined;

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await http?.close();
    await producer?.close(5000);
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('with two worker processes at concurrency 8, one shuffled batch over HTTP, repeats from a second source, and kill -9s', async () => {
    const { snapshots, problems } = validateSnapshotLines(
      readFileSync(SAMPLE_HISTORY, 'utf8'),
      snapshotRules(trackings, 600),
    );
    expect(problems).toEqual([]);
    const replayed = await runReplay({
      redisUrl: TEST_REDIS_URL,
      trackings: [tracking],
      snapshots: admitRawSnapshots(snapshots, trackings),
      render: renderPosts,
      logger,
    });
    expect(replayed.length).toBeGreaterThan(80);

    children.push(await startWorkerProcess(prefix), await startWorkerProcess(prefix));
    // This process only takes snapshots in (POST /snapshots) and watches.
    producer = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [tracking],
      publishers: [],
      logger,
      runSnapshotWorker: false,
      runPublishWorker: false,
      snapshotConcurrency: 1,
      publishConcurrency: 1,
    });
    const pipeline = producer;
    http = await createHttpServer({
      logger,
      routes: [
        ingestRoute({
          token: TOKEN,
          trackings,
          clockSkewSeconds: 600,
          entrance: pipeline.entrance,
          logger,
        }),
      ],
    });

    // The history shuffled within 12-day windows, in one request.
    const random = seededRandom(2026);
    const shuffled = [];
    for (let i = 0; i < snapshots.length; i += 12)
      shuffled.push(...shuffle(snapshots.slice(i, i + 12), random));
    const response = await http.inject({
      method: 'POST',
      url: '/snapshots',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(shuffled),
    });
    expect(response.statusCode).toBe(202);
    // Every 7th snapshot again, as another source would send it: separate jobs carrying the same data.
    const repeats = shuffled.filter((_, i) => i % 7 === 0).map((s) => ({ ...s, source: 'mirror' }));
    await enqueueRaw(pipeline, repeats, { jobIds: repeats.map((_, i) => `mirror-${i}`) });
    const jobs = snapshots.length + repeats.length;

    // Kill each worker process once while the inbox is being drained, and start a new one in its place.
    const recorded = async () => await redis.zcard(pipeline.keys.artistMilestones('v'));
    for (const [i, threshold] of [1, 30].entries()) {
      for (let waited = 0; (await recorded()) < threshold; waited += 20) {
        if (waited > 60_000) throw new Error(`fewer than ${threshold} milestones recorded`);
        await sleep(20);
      }
      await kill(children[i]!);
      children.push(await startWorkerProcess(prefix));
    }

    for (let waited = 0; ; waited += 100) {
      const counts = await pipeline.snapshotQueue.getJobCounts('completed', 'failed');
      const publish = await pipeline.publishQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const waiting = (await pipeline.artistState.view('v')).waiting;
      if (
        (counts.completed ?? 0) + (counts.failed ?? 0) === jobs &&
        waiting === 0 &&
        Object.values(publish).every((n) => n === 0)
      )
        break;
      if (waited > 120_000)
        throw new Error(`did not settle: ${JSON.stringify({ counts, publish, waiting })}`);
      await sleep(100);
    }
    expect(await pipeline.snapshotQueue.getFailedCount()).toBe(0);

    // Same milestones, values, day counts, last tracks and records as the replay.
    const live = await pipeline.milestones.recent('v', 10_000);
    expect(live.map(facts).sort()).toEqual(replayed.map(facts).sort());

    // And each (milestone, destination) was published exactly once.
    const published = await redis.lrange(`${prefix}:test:published`, 0, -1);
    const expected = replayed.flatMap((m) => [ledgerKeyOf(m.id, 'x:rec'), ledgerKeyOf(m.id, 'discord:rec')]);
    expect([...published].sort()).toEqual(expected.sort());
  }, 240_000);
});
