/**
 * An `npm start`-like child for shutdown and crash tests: runs startRoles + stopOnSignal, exactly as
 * `tsx src/cli.ts start` does, but publishes through RecordingPublishers (optionally slow) instead of the console.
 *
 * argv[2]: JSON of settings (as environment variables); argv[3]: publish delay in ms (default 0).
 * Prints `ready <httpPort|->` when started and `stopped` after a signal has drained it.
 */
import { loadSettings } from '../../src/env.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';
import { startRoles, stopOnSignal } from '../../src/roles.js';
import { RecordingPublisher } from './recording-publisher.js';
import { layoverTracking } from './tracking-fixtures.js';

const settings = loadSettings(JSON.parse(process.argv[2] ?? '{}') as Record<string, string>);
const delayMs = Number(process.argv[3] ?? '0');
const logger = createLogger(settings.LOG_LEVEL);
const redis = createRedis(settings.REDIS_URL);
const listKey = `${settings.QUEUE_PREFIX}:test:published`;
const app = await startRoles({
  settings,
  trackings: [layoverTracking()],
  logger,
  publishers: [
    new RecordingPublisher('x', redis, listKey, delayMs),
    new RecordingPublisher('discord', redis, listKey, delayMs),
  ],
  httpHost: '127.0.0.1',
});
const stopped = stopOnSignal(app, logger, settings.SHUTDOWN_TIMEOUT_MS);
process.stdout.write(`ready ${app.httpPort ?? '-'}\n`);
await stopped;
redis.disconnect();
process.stdout.write('stopped\n');
setTimeout(() => process.exit(0), 500).unref();
