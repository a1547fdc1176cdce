import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoverHandlers } from '../../commands/handlers/layover.handlers.js';
import type { LayoverServices } from '../../commands/services.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import { milestone } from '../helpers/posts-fixtures.js';
import type { CommandReply } from '../../src/platforms/discord/interactions/command-types.js';
import type { RedisClient } from '../../src/redis.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import { ArtistStateStore } from '../../src/state/artist-state.store.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { MilestoneStore } from '../../src/state/milestone.store.js';
import { PostLedgerStore } from '../../src/state/post-ledger.store.js';
import { cleanupPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { enterAndDrain, entryFor } from '../helpers/store-drain.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

const tracking = layoverTracking();
const trackIds = tracking.albums.flatMap((a) => a.tracks.map((t) => t.id));

function albumMilestone(threshold: number, value: number, observedAt: string): Milestone {
  return milestone('album', { threshold, value, observedAt, daysSinceRelease: null });
}

describe('/layover milestones and /layover why show milestones recorded but not posted', () => {
  const prefix = uniquePrefix('not-posted');
  const keys = stateKeys(prefix);
  let redis: RedisClient;
  let services: LayoverServices;

  beforeAll(async () => {
    redis = testRedis();
    const artistState = new ArtistStateStore(redis, keys);
    // Two snapshots: the album total reaches 1.206B, so `why` has a decision to explain.
    for (const [capturedAt, each] of [
      ['2024-04-01T09:00:00+09:00', 181_000_000],
      ['2024-04-03T09:00:00+09:00', 201_000_000],
    ] as const) {
      const n = normalizeSnapshot(
        { capturedAt, tracks: Object.fromEntries(trackIds.map((id) => [id, each])) },
        new Map([[tracking.artist.id, tracking]]),
      );
      if (!n.ok) throw new Error('bad snapshot');
      await enterAndDrain(artistState, tracking, entryFor(n.snapshot, `s-${capturedAt}`));
    }
    const milestones = new MilestoneStore(redis, keys);
    const ledger = new PostLedgerStore(redis, keys);
    const lower = albumMilestone(1_150_000_000, 1_152_000_000, '2024-04-02T09:00:00+09:00');
    const higher = albumMilestone(1_200_000_000, 1_206_000_000, '2024-04-03T09:00:00+09:00');
    const followers: Milestone = {
      ...albumMilestone(16_000_000, 16_100_000, '2024-03-30T09:00:00+09:00'),
      id: 'v/followers/16000000',
      kind: 'followers',
      albumId: null,
    };
    await milestones.record(
      [lower, higher, followers].map((milestone) => ({
        milestone,
        destinations: ['discord:111', 'x:main'],
        observedAtMs: Date.parse(milestone.observedAt),
      })),
    );
    for (const destination of ['discord:111', 'x:main']) {
      await ledger.markSuperseded(lower.id, destination, higher.id, 'superseded');
      await ledger.markSent(higher.id, destination, { platformId: '1', text: 'posted' });
      await ledger.markSkipped(
        followers.id,
        destination,
        'stale data: observed 49 h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=48)',
      );
    }
    services = {
      trackings: [tracking],
      artistState,
      milestones,
      guilds: new GuildSettingsStore(redis, keys),
      logger: createLogger('silent'),
      now: () => Date.parse('2024-04-03T10:00:00+09:00'),
    } as unknown as LayoverServices;
  });

  afterAll(async () => {
    redis.disconnect();
    await cleanupPrefix(prefix);
  });

  async function run(
    subcommand: 'milestones' | 'why',
    options: Record<string, unknown>,
    guildId: string | null,
  ): Promise<string> {
    const replies: CommandReply[] = [];
    const context = {
      interaction: {} as APIChatInputApplicationCommandInteraction,
      options,
      guildId,
      memberPermissions: null,
      language: 'en' as const,
      services,
      reply: (r: CommandReply) => {
        replies.push(r);
        return Promise.resolve();
      },
      defer: () => Promise.resolve(),
    };
    await (layoverHandlers[subcommand] as (c: typeof context) => Promise<void>)(context);
    expect(replies).toHaveLength(1);
    return replies[0]?.content ?? '';
  }

  it('lists each milestone with why it was not posted: superseded (by which) or stale data (with its age)', async () => {
    const content = await run('milestones', {}, null);
    const lines = content.split('\n');
    expect(lines.find((l) => l.includes('1,200,000,000'))).not.toContain('not posted');
    expect(lines.find((l) => l.includes('1,150,000,000'))).toContain(
      "not posted: superseded by 1,200,000,000: of one subject's milestones waiting together, only the highest is posted",
    );
    expect(lines.find((l) => l.includes('16,000,000'))).toContain(
      'not posted: stale data: observed 49 h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=48)',
    );
  });

  it('explains in why that the album’s 1.15B was superseded, also to a server it was not meant for, as no destination posted it', async () => {
    const content = await run('why', { album: 'Layover' }, '111');
    expect(content).toContain(
      'Layover (album) passing 1,150,000,000 (Apr 2, 2024) was recorded but not posted: superseded by 1,200,000,000',
    );
    expect(content).not.toContain('passing 1,200,000,000');
    const elsewhere = await run('why', { album: 'Layover' }, '222');
    // No entry for server 222; X and server 111 were not posted either, so the note still shows.
    expect(elsewhere).toContain('passing 1,150,000,000');
  });
});
