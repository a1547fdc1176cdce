/**
 * A child for the crash test: one pipeline running one role (`worker` or `publisher`) against the given Redis,
 * publishing to the loopback platform. It is meant to be killed with SIGKILL at any moment.
 *
 * argv: <role> <redisUrl> <prefix> <platformUrl>. Prints `ready` once its workers are connected. Sweeps
 * stalled-too-often jobs every 2 s.
 */
import { startPipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { LoopbackDiscordPublisher, LoopbackXPublisher } from './loopback-publishers.js';
import { layoverTracking } from './tracking-fixtures.js';

const [role, redisUrl, prefix, platformUrl] = process.argv.slice(2);
if (role === undefined || redisUrl === undefined || prefix === undefined || platformUrl === undefined) {
  throw new Error('usage: crash-process <worker|publisher> <redisUrl> <prefix> <platformUrl>');
}
await startPipeline({
  redisUrl,
  prefix,
  trackings: [layoverTracking()],
  publishers: [new LoopbackDiscordPublisher(platformUrl, ['c1', 'c2']), new LoopbackXPublisher(platformUrl)],
  logger: createLogger('silent'),
  runSnapshotWorker: role === 'worker',
  runPublishWorker: role === 'publisher',
  snapshotConcurrency: 4,
  publishConcurrency: 8,
  stalledSweepMs: 2000,
});
// Warm the HTTP client (its first request loads and compiles undici) so that a freshly started child does not
// hold its first jobs for hundreds of milliseconds.
await fetch(`${platformUrl}/warm-up`).catch(() => undefined);
process.stdout.write('ready\n');
