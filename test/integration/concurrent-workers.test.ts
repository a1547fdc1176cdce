import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState, Milestone } from '../../src/milestones/types.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { ledgerKeyOf } from '../../src/state/post-ledger.store.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { seededRandom, shuffle } from '../helpers/random.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);

function startChild(prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/pipeline-process.ts', prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

/** The milestones the pure engine announces over the given history in capturedAt order (what the replay gives). */
function pureMilestones(history: readonly Snapshot[]): Milestone[] {
  let state: ArtistState = emptyArtistState;
  const out: Milestone[] = [];
  const ordered = [...history].sort((a, b) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt));
  for (const raw of ordered) {
    const n = normalizeSnapshot(raw, trackings);
    if (!n.ok) throw new Error('bad snapshot');
    const result = advanceArtist(tracking, state, n.snapshot);
    out.push(...result.milestones);
    state = result.state;
  }
  return out;
}

describe('four workers in two processes', () => {
  const prefix = uniquePrefix('concurrent');
  const redis = testRedis();
  let child: ChildProcess | undefined;
  const pipelines: Pipeline[] = [];

  afterAll(async () => {
    child?.kill('SIGTERM');
    await Promise.all(pipelines.map((p) => p.close(5000)));
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  it('announces what the rules give in capturedAt order, each milestone once, from one shuffled and duplicated batch', async () => {
    child = await startChild(prefix);
    for (let i = 0; i < 2; i += 1) {
      pipelines.push(
        await startPipeline({
          redisUrl: TEST_REDIS_URL,
          prefix,
          trackings: [tracking],
          publishers: [
            new RecordingPublisher('x', redis, `${prefix}:test:published`, 2),
            new RecordingPublisher('discord', redis, `${prefix}:test:published`, 2),
          ],
          logger: createLogger('silent'),
          runSnapshotWorker: true,
          runPublishWorker: true,
          snapshotConcurrency: 3,
          publishConcurrency: 3,
        }),
      );
    }
    const random = seededRandom(42);
    const history = randomHistory(tracking, 120, 42);
    // Mostly forward with local shuffles (as real pollers deliver), every snapshot twice.
    const fed: Snapshot[] = [];
    for (let i = 0; i < history.length; i += 6) {
      const chunk = history.slice(i, i + 6);
      fed.push(...shuffle([...chunk, ...chunk], random));
    }
    const queue = pipelines[0]!.snapshotQueue;
    // One batch, every copy its own job: the repeats are separate jobs carrying the same snapshot.
    await enqueueRaw(pipelines[0]!, fed, { jobIds: fed.map((_, i) => `f-${i}`) });

    for (let waited = 0; ; waited += 50) {
      const counts = await queue.getJobCounts('completed', 'failed');
      const publish = await pipelines[0]!.publishQueue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
      );
      const waiting = (await pipelines[0]!.artistState.view('v')).waiting;
      if (
        (counts.completed ?? 0) + (counts.failed ?? 0) === fed.length &&
        waiting === 0 &&
        Object.values(publish).every((n) => n === 0)
      )
        break;
      if (waited > 60_000) throw new Error(`timed out: ${JSON.stringify(counts)}`);
      await sleep(50);
    }
    expect(await queue.getFailedCount()).toBe(0);

    const jobs = await queue.getJobs(['completed'], 0, -1);
    const results = jobs.map((j) => j.returnvalue);
    const announced = results.flatMap((r) => r.milestoneIds);

    // No milestone was reported by two jobs (a repeat reports none; a job whose snapshot another worker applied
    // reports `queued`) ...
    expect(new Set(announced).size).toBe(announced.length);
    // ... and what was recorded is exactly what the rules give over the history in time order: same
    // milestones, values and day counts.
    const expected = pureMilestones(history);
    const recorded = await pipelines[0]!.milestones.recent('v', 10_000);
    const key = (m: Milestone) => `${m.id} ${m.value} @${m.daysSinceRelease} ${m.observedAt}`;
    expect(recorded.map(key).sort()).toEqual(expected.map(key).sort());
    const expectedIds = new Set(expected.map((m) => m.id));
    expect(announced.filter((id) => !expectedIds.has(id))).toEqual([]);
    expect(expected.length).toBeGreaterThan(20);

    // Every (milestone, destination) reached the ledger once, as sent, and was published exactly once.
    const published = await redis.lrange(`${prefix}:test:published`, 0, -1);
    expect(published.length).toBe(expected.length * 2);
    expect(new Set(published).size).toBe(published.length);
    for (const { id } of expected) {
      const entries = await pipelines[0]!.ledger.entries(id);
      expect([...entries.keys()].sort()).toEqual(['discord:rec', 'x:rec']);
      for (const destination of ['x:rec', 'discord:rec']) {
        expect(entries.get(destination)?.state).toBe('sent');
        expect(published).toContain(ledgerKeyOf(id, destination));
      }
    }
    // No publish job was duplicated: one job per ledger entry.
    const publishCounts = await pipelines[0]!.publishQueue.getJobCounts('completed', 'failed');
    expect((publishCounts.completed ?? 0) + (publishCounts.failed ?? 0)).toBe(expected.length * 2);
  });
});
