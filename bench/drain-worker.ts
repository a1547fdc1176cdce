/**
 * A worker process for the bench's drain phase: one pipeline (snapshot and publish workers) on the given Redis and
 * prefix, publishing to platforms that answer at once, until SIGTERM. Prints `ready` once its workers are up.
 *
 * argv: <redisUrl> <prefix> <concurrency> <cluster: true|false>
 */
import { startPipeline } from '../src/jobs/pipeline.js';
import { createLogger } from '../src/logger.js';
import { benchTracking, NullPublisher } from './fixtures.js';

const [redisUrl, prefix, concurrency, cluster] = process.argv.slice(2);
if (redisUrl === undefined || prefix === undefined || concurrency === undefined) {
  throw new Error('usage: drain-worker.ts <redisUrl> <prefix> <concurrency> [cluster]');
}
const pipeline = await startPipeline({
  redisUrl,
  redisCluster: cluster === 'true',
  prefix,
  trackings: [benchTracking('drain', 1, 6)],
  publishers: [new NullPublisher('discord'), new NullPublisher('x')],
  logger: createLogger('warn'),
  runSnapshotWorker: true,
  runPublishWorker: true,
  snapshotConcurrency: Number(concurrency),
  publishConcurrency: Number(concurrency),
  stalledSweepMs: 0,
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void pipeline.close(5000).then(() => process.exit(0));
});
