/**
 * A child for the crash test: one pipeline running one role (`worker` or `publisher`) against the given Redis,
 * publishing to the loopback Discord emulator through the real Discord publisher (nonce + enforce_nonce) and to
 * the loopback X stand-in. It is meant to be killed with SIGKILL at any moment.
 *
 * argv: <role> <redisUrl> <prefix> <xUrl> <discordApi> <discordToken>. Prints `ready` once its workers are
 * connected. Sweeps stalled-too-often jobs every 2 s.
 */
import { startPipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { createDiscordRest } from '../../src/platforms/discord/discord-rest.js';
import { DiscordPublisher } from '../../src/platforms/discord/discord-publisher.js';
import { GlobalRateLimiter } from '../../src/platforms/discord/global-rate-limiter.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { createRedis } from '../../src/redis.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { LoopbackXPublisher } from './loopback-publishers.js';
import { layoverTracking } from './tracking-fixtures.js';

const [role, redisUrl, prefix, xUrl, discordApi, discordToken] = process.argv.slice(2);
if (
  role === undefined ||
  redisUrl === undefined ||
  prefix === undefined ||
  xUrl === undefined ||
  discordApi === undefined ||
  discordToken === undefined
) {
  throw new Error(
    'usage: crash-process <worker|publisher> <redisUrl> <prefix> <xUrl> <discordApi> <discordToken>',
  );
}
const logger = createLogger('silent');
const redis = createRedis(redisUrl);
const keys = stateKeys(prefix);
const rest = createDiscordRest({
  api: discordApi,
  token: discordToken,
  limiter: new GlobalRateLimiter(redis, keys.discordGlobalWindow(), { maxRequestMs: 2000 }),
  timeoutMs: 2000,
});
await startPipeline({
  redisUrl,
  prefix,
  trackings: [layoverTracking()],
  publishers: [
    new DiscordPublisher({ rest, guilds: new GuildSettingsStore(redis, keys), render: renderPosts, logger }),
    new LoopbackXPublisher(xUrl),
  ],
  logger,
  runSnapshotWorker: role === 'worker',
  runPublishWorker: role === 'publisher',
  snapshotConcurrency: 4,
  publishConcurrency: 8,
  stalledSweepMs: 2000,
});
// Warm the HTTP client (its first request loads and compiles undici) so that a freshly started child does not
// hold its first jobs for hundreds of milliseconds.
await fetch(`${xUrl}/warm-up`).catch(() => undefined);
process.stdout.write('ready\n');
