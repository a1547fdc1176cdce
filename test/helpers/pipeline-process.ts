/**
 * A second process for multi-process tests: runs two pipelines (two snapshot workers and two publish workers,
 * concurrency 3) on the prefix given as argv[2], recording deliveries like the test's own workers, until SIGTERM.
 */
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { RecordingPublisher } from './recording-publisher.js';
import { layoverTracking } from './tracking-fixtures.js';
import { TEST_REDIS_URL } from './redis.js';

const prefix = process.argv[2];
if (prefix === undefined) throw new Error('usage: pipeline-process.ts <prefix>');
const redis = createRedis(TEST_REDIS_URL);
const logger = createLogger('silent');
const pipelines: Pipeline[] = [];
for (let i = 0; i < 2; i += 1) {
  pipelines.push(
    await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [layoverTracking()],
      publishers: [
        new RecordingPublisher('x', redis, `${prefix}:test:published`, 2),
        new RecordingPublisher('discord', redis, `${prefix}:test:published`, 2),
      ],
      logger,
      runSnapshotWorker: true,
      runPublishWorker: true,
      snapshotConcurrency: 3,
      publishConcurrency: 3,
    }),
  );
}
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void Promise.all(pipelines.map((p) => p.close(5000))).then(() => {
    redis.disconnect();
    process.exit(0);
  });
});
