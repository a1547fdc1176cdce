import { afterEach, describe, expect, it } from 'vitest';
import { publishJobId, publishQueue } from '../../src/jobs/contracts.js';
import { ledgerKeyOf } from '../../src/state/post-ledger.store.js';
import { until } from '../helpers/until.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import {
  AlreadyPublishedError,
  PermanentPublishError,
  RateLimitedError,
} from '../../src/platforms/publish-errors.js';
import type {
  DestinationKey,
  PublishReceipt,
  PublishRequest,
  Publisher,
} from '../../src/platforms/publisher.js';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();

/** A platform whose answer to each attempt is scripted by the test. */
class ScriptedPublisher implements Publisher {
  readonly platform = 'x';
  calls = 0;
  constructor(private readonly script: (call: number) => PublishReceipt | Error) {}
  destinationsFor(_m: Milestone): Promise<DestinationKey[]> {
    return Promise.resolve(['x:main']);
  }
  publish(_request: PublishRequest): Promise<PublishReceipt> {
    this.calls += 1;
    const answer = this.script(this.calls);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
}

const ok = (id: string): PublishReceipt => ({ platformId: id, text: 'posted' });
const snapshots = [
  { capturedAt: '2023-10-20T23:00:00+09:00', tracks: {}, artistStreams: 1_450_000_000 },
  { capturedAt: '2023-10-21T23:00:00+09:00', tracks: {}, artistStreams: 1_502_000_000 },
];
const milestoneId = 'v/artist/1500000000';

let pipeline: Pipeline | undefined;
let prefix = '';

afterEach(async () => {
  await pipeline?.close(2000);
  pipeline = undefined;
  await cleanupPrefix(prefix);
});

async function run(publisher: ScriptedPublisher) {
  prefix = uniquePrefix('publish');
  pipeline = await startPipeline({
    redisUrl: TEST_REDIS_URL,
    prefix,
    trackings: [tracking],
    publishers: [publisher],
    logger: createLogger('silent'),
    runSnapshotWorker: true,
    runPublishWorker: true,
    snapshotConcurrency: 1,
    publishConcurrency: 2,
    publishJobOptions: { attempts: 3, backoff: { type: 'fixed', delay: 50 } },
  });
  await enqueueRaw(pipeline, snapshots);
  const ready = pipeline;
  return until('the ledger entry to leave pending', async () => {
    const entry = await ready.ledger.get(milestoneId, 'x:main');
    return entry !== null && entry.state !== 'pending' ? entry : null;
  });
}

/** Waits until the milestone's publish job is over for good (failed or completed): no attempt can follow. */
async function jobOver(): Promise<string> {
  const ready = pipeline!;
  const id = publishJobId(ledgerKeyOf(milestoneId, 'x:main'));
  return until('the publish job to be over', async () => {
    const state = await ready.publishQueue.getJobState(id);
    return state === 'failed' || state === 'completed' ? state : null;
  });
}

describe('publish failures', () => {
  it('records a permanent failure in the ledger and does not retry it', async () => {
    const publisher = new ScriptedPublisher(
      () => new PermanentPublishError('Missing Permissions', 'missing permission: Send Messages'),
    );
    const entry = await run(publisher);
    expect(entry).toMatchObject({ state: 'failed', reason: 'missing permission: Send Messages' });
    expect(await jobOver()).toBe('failed');
    expect(publisher.calls).toBe(1);
  });

  it('retries a transient failure with backoff and posts once', async () => {
    const publisher = new ScriptedPublisher((call) =>
      call < 3 ? new Error('503 Service Unavailable') : ok('p-1'),
    );
    const entry = await run(publisher);
    expect(entry).toMatchObject({ state: 'sent', platformId: 'p-1' });
    expect(publisher.calls).toBe(3);
  });

  it('gives up after the last attempt and records why', async () => {
    const publisher = new ScriptedPublisher(() => new Error('socket hang up'));
    const entry = await run(publisher);
    expect(entry.state).toBe('failed');
    expect(entry.state === 'failed' && entry.reason).toBe('gave up after 3 attempts: socket hang up');
    expect(await jobOver()).toBe('failed');
    expect(publisher.calls).toBe(3);
  });

  it('records a duplicate answer as sent', async () => {
    const publisher = new ScriptedPublisher(
      () => new AlreadyPublishedError('duplicate content', 'existing-7'),
    );
    const entry = await run(publisher);
    expect(entry).toMatchObject({ state: 'sent', platformId: 'existing-7', duplicate: true });
  });

  it('waits out a rate limit without spending an attempt', async () => {
    const publisher = new ScriptedPublisher((call) =>
      call <= 3 ? new RateLimitedError('429', Date.now() + 100) : ok('after-wait'),
    );
    const entry = await run(publisher);
    // Three rate limits and the success: more calls than the 3 attempts allow, so none was spent.
    expect(entry).toMatchObject({ state: 'sent', platformId: 'after-wait' });
    expect(publisher.calls).toBe(4);
  });

  it('does nothing when a publish job runs again after its post was recorded', async () => {
    const publisher = new ScriptedPublisher(() => ok('p-once'));
    await run(publisher);
    const again = await pipeline!.publishQueue.add(publishQueue.jobName, {
      milestoneId,
      destination: 'x:main',
    });
    await until('the job run again to complete', () => again.isCompleted());
    expect(publisher.calls).toBe(1);
    expect(await pipeline!.ledger.get(milestoneId, 'x:main')).toMatchObject({
      state: 'sent',
      platformId: 'p-once',
    });
  });
});
