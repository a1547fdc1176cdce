/**
 * A second process for multi-process tests: runs pipelines (by default two, each with a snapshot worker and a
 * publish worker at concurrency 3) on the prefix given as argv[2], recording deliveries like the test's own
 * workers, until SIGTERM (or SIGKILL). argv[3] and argv[4], optional: the number of pipelines and the concurrency.
 */
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { RecordingPublisher } from './recording-publisher.js';
import { layoverTracking } from './tracking-fixtures.js';
import { TEST_REDIS_URL } from './redis.js';

const [prefix, pipelineCount = '2', concurrency = '3'] = process.argv.slice(2);
if (prefix === undefined) throw new Error('usage: pipeline-process.ts <prefix> [pipelines] [concurrency]');
const redis = createRedis(TEST_REDIS_URL);
const logger = createLogger('silent');
const pipelines: Pipeline[] = [];
for (let i = 0; i < Number(pipelineCount); i += 1) {
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
      snapshotConcurrency: Number(concurrency),
      publishConcurrency: Number(concurrency),
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
