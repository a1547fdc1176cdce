import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { snapshotsQueue, type SnapshotQueue } from '../src/jobs/contracts.js';
import { enqueueSnapshots } from '../src/jobs/enqueue-snapshots.js';
import { createRedis } from '../src/redis.js';
import { admitRawSnapshots } from '../src/snapshots/admit-snapshots.js';
import type { Snapshot } from '../src/snapshots/schema.js';
import { ArtistStateStore } from '../src/state/artist-state.store.js';
import { stateKeys } from '../src/state/keys.js';
import { benchTracking, risingSnapshots } from './fixtures.js';
import type { PhaseContext } from './phases.js';

export interface DrainResult {
  /** One process at concurrency 1: the baseline. */
  readonly oneProcessMs: number;
  /** Two processes at the bench's concurrency each. */
  readonly twoProcessesMs: number;
  readonly snapshots: number;
  readonly milestones: number;
}

function startWorker(context: PhaseContext, prefix: string, concurrency: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/drain-worker.ts',
      context.redisUrl,
      prefix,
      String(concurrency),
      String(context.redisCluster),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`drain worker exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

/** A deterministic shuffle (so every run drains the same batch). */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 2026;
  for (let i = out.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Enqueues the batch once `processes` worker processes are up, and times it until every snapshot is applied. */
async function timeDrain(
  context: PhaseContext,
  label: string,
  batch: readonly Snapshot[],
  processes: number,
  concurrency: number,
): Promise<{ ms: number; milestones: number }> {
  const prefix = `${context.prefix}-drain-${label}`;
  context.usedPrefixes.push(prefix);
  const tracking = benchTracking('drain', 1, 6);
  const connection = createRedis(context.redisUrl, { cluster: context.redisCluster });
  const queue: SnapshotQueue = new Queue(snapshotsQueue.name, { connection, prefix });
  const keys = stateKeys(prefix);
  const artistState = new ArtistStateStore(connection, keys);
  const children = await Promise.all(
    Array.from({ length: processes }, () => startWorker(context, prefix, concurrency)),
  );
  try {
    const records = admitRawSnapshots(batch, new Map([[tracking.artist.id, tracking]]));
    const started = performance.now();
    await enqueueSnapshots({ artistState, queue }, records);
    for (;;) {
      const counts = await queue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) === records.length) {
        if ((await artistState.view(tracking.artist.id)).waiting === 0) break;
      }
      await sleep(2);
    }
    const ms = performance.now() - started;
    return { ms, milestones: await connection.zcard(keys.artistMilestones(tracking.artist.id)) };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await queue.close();
    connection.disconnect();
  }
}

/**
 * The time to drain one shuffled 200-snapshot batch of one artist: two worker processes at the bench's
 * concurrency against one process at concurrency 1. Ordering is per artist, so one worker at a time applies the
 * artist's inbox whatever the number of workers; the others take jobs and return. The figure shows what ordering
 * costs (or saves) when more workers are there.
 */
export async function drainPhase(context: PhaseContext, snapshots = 200): Promise<DrainResult> {
  const tracking = benchTracking('drain', 1, 6);
  const batch = shuffled([...risingSnapshots([tracking], snapshots, 5)]);
  const one = await timeDrain(context, 'one', batch, 1, 1);
  const two = await timeDrain(context, 'two', batch, 2, context.concurrency);
  if (one.milestones !== two.milestones) {
    throw new Error(
      `the two drains announced differently: ${one.milestones} vs ${two.milestones} milestones`,
    );
  }
  return { oneProcessMs: one.ms, twoProcessesMs: two.ms, snapshots, milestones: one.milestones };
}
