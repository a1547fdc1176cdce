import { setTimeout as sleep } from 'node:timers/promises';
import { enqueueSnapshots } from '../src/jobs/enqueue-snapshots.js';
import { admitRawSnapshots } from '../src/snapshots/admit-snapshots.js';
import { startPipeline } from '../src/jobs/pipeline.js';
import { createDiscordRest } from '../src/platforms/discord/discord-rest.js';
import { DiscordPublisher } from '../src/platforms/discord/discord-publisher.js';
import { GlobalRateLimiter } from '../src/platforms/discord/global-rate-limiter.js';
import { renderPosts } from '../src/platform-posts/default-renderer.js';
import { createRedis } from '../src/redis.js';
import { GuildSettingsStore } from '../src/state/guild-settings.store.js';
import { stateKeys } from '../src/state/keys.js';
import { DiscordEmulator } from '../emulators/discord-emulator.js';
import { setUpGuilds } from '../emulators/discord-guilds.js';
import { loadTrackings } from '../src/tracking/load-tracking.js';
import type { PhaseContext } from './phases.js';

export interface FanOutResult {
  readonly channels: number;
  /** From enqueueing the snapshot that crosses the threshold to the last ledger entry turning final. */
  readonly seconds: number;
  /** From the first to the last message request the emulator received. */
  readonly requestSpanSeconds: number;
  readonly floorSeconds: number;
  readonly rateLimited: number;
  readonly peakPerSecond: number;
  readonly messages: number;
}

/**
 * One milestone to `channels` Discord servers through the real Discord publisher (its REST client and the shared
 * global rate limiter) against the loopback Discord emulator, which enforces 50 requests a second.
 */
export async function fanOutPhase(context: PhaseContext, channels: number): Promise<FanOutResult> {
  const prefix = `${context.prefix}-fanout`;
  context.usedPrefixes.push(prefix);
  const [tracking] = loadTrackings(['config/layover.json']);
  if (tracking === undefined) throw new Error('config/layover.json did not load');
  const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));
  const emulator = await DiscordEmulator.start({ globalPerSecond: 50 });
  const redis = createRedis(context.redisUrl, { cluster: context.redisCluster });
  const keys = stateKeys(prefix);
  const guilds = new GuildSettingsStore(redis, keys);
  const rest = createDiscordRest({
    api: emulator.api,
    token: emulator.token,
    limiter: new GlobalRateLimiter(redis, keys.discordGlobalWindow(), { maxRequestMs: 5000 }),
    timeoutMs: 5000,
  });
  const pipeline = await startPipeline({
    redisUrl: context.redisUrl,
    redisCluster: context.redisCluster,
    prefix,
    trackings: [tracking],
    publishers: [new DiscordPublisher({ rest, guilds, render: renderPosts, logger: context.logger })],
    logger: context.logger,
    runSnapshotWorker: true,
    runPublishWorker: true,
    snapshotConcurrency: 2,
    publishConcurrency: 16,
    stalledSweepMs: 0,
  });
  try {
    await setUpGuilds(emulator, guilds, channels);
    const baseline = {
      capturedAt: '2023-09-20T23:00:00+09:00',
      tracks: Object.fromEntries(trackIds.map((id) => [id, 15e6])),
    };
    const crossing = {
      capturedAt: '2023-09-21T23:00:00+09:00',
      tracks: { ...baseline.tracks, 'rainy-days': 21e6 },
    };
    const milestoneId = 'v/track:rainy-days/20000000';
    const [firstId] = await enqueueSnapshots(
      pipeline.entrance,
      admitRawSnapshots([baseline], pipeline.trackings),
    );
    const first = await pipeline.snapshotQueue.getJob(firstId ?? '');
    while (first !== undefined && !(await first.isCompleted())) await sleep(10);
    const started = performance.now();
    await enqueueSnapshots(pipeline.entrance, admitRawSnapshots([crossing], pipeline.trackings));
    for (;;) {
      const entries = await pipeline.ledger.entries(milestoneId);
      if (entries.size === channels && [...entries.values()].every((e) => e.state !== 'pending')) break;
      if (performance.now() - started > 120_000) throw new Error('fan-out did not finish within 2 minutes');
      await sleep(10);
    }
    const seconds = (performance.now() - started) / 1000;
    const posts = emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    const span = posts.length > 0 ? (posts.at(-1)!.at - posts[0]!.at) / 1000 : Number.NaN;
    return {
      channels,
      seconds,
      requestSpanSeconds: span,
      floorSeconds: channels / 50,
      rateLimited: emulator.rateLimitCount('global') + emulator.rateLimitCount('user'),
      peakPerSecond: emulator.peakPerSecond(),
      messages: emulator.messages.size,
    };
  } finally {
    await pipeline.close(5000);
    await emulator.close();
    redis.disconnect();
  }
}
