import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/env.js';
import { healthRoutes } from '../../src/http/health.route.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { inspectRedis, RedisRequirementError } from '../../src/ops/redis-requirements.js';
import { createRedis, nodeName, redisAnswers, serverNodes, type RedisClient } from '../../src/redis.js';
import { keySlot } from '../../src/redis-key-slot.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { deletePrefix, runReplay } from '../../src/replay/run-replay.js';
import { admitRawSnapshots } from '../../src/snapshots/admit-snapshots.js';
import { snapshotRules, validateSnapshotLines } from '../../src/snapshots/validate-snapshots.js';
import { startRoles } from '../../src/roles.js';
import { ApprovalStore, draftIdOf } from '../../src/platforms/discord/approval/approval-store.js';
import { GlobalRateLimiter } from '../../src/platforms/discord/global-rate-limiter.js';
import { XBudgetStore } from '../../src/platforms/x/x-budget.store.js';
import { XGroupLock } from '../../src/platforms/x/x-group-lock.js';
import { XGroupStore } from '../../src/platforms/x/x-groups.store.js';
import { xKeys } from '../../src/platforms/x/x-keys.js';
import { XPauseStore } from '../../src/platforms/x/x-pause.store.js';
import { RedisHostLock } from '../../src/sources/host-lock.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { stateKeys } from '../../src/state/keys.js';
import { ledgerKeyOf } from '../../src/state/post-ledger.store.js';
import { milestone } from '../helpers/posts-fixtures.js';
import { RecordingPublisher } from '../helpers/recording-publisher.js';
import { TEST_REDIS_URL, cleanupPrefix, uniquePrefix } from '../helpers/redis.js';
import { TestRedisCluster } from '../helpers/redis-cluster.js';
import { runSampleHistory, SAMPLE_HISTORY } from '../helpers/sample-pipeline-run.js';
import { layoverTracking } from '../helpers/tracking-fixtures.js';

/** Keys under `prefix:` on each master, by node name (SCAN sees only the node it runs on). */
async function keysPerMaster(client: RedisClient, prefix: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const node of await serverNodes(client, 'master')) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    found.set(nodeName(node), keys);
  }
  return found;
}

/** The master that owns `key`: the one that answers for it (the others redirect with MOVED). */
async function ownerOf(client: RedisClient, key: string): Promise<Redis> {
  for (const node of await serverNodes(client, 'master')) {
    if (
      await node.exists(key).then(
        () => true,
        () => false,
      )
    )
      return node;
  }
  throw new Error(`no master owns ${key}`);
}

describe('on a real Redis Cluster (three masters, ACL credentials in the URL)', () => {
  let cluster: TestRedisCluster;
  let client: RedisClient;
  const started = performance.now();

  beforeAll(async () => {
    cluster = await TestRedisCluster.start();
    // One seed only: the other masters are discovered, and must be reached with the same credentials.
    client = createRedis(cluster.nodeUrl(0), { cluster: true });
    process.stderr.write(`[cluster] 3 masters up in ${Math.round(performance.now() - started)} ms\n`);
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
    process.stderr.write(`[cluster] file done in ${Math.round(performance.now() - started)} ms\n`);
  });

  it('refuses REDIS_CLUSTER=true with a QUEUE_PREFIX without a {…} hash tag, which on the cluster fails with CROSSSLOT', async () => {
    for (const prefix of [undefined, 'layover-test', 'layover{}', 'layover{test']) {
      let error: unknown;
      try {
        loadSettings({ REDIS_URL: cluster.seedsUrl, REDIS_CLUSTER: 'true', QUEUE_PREFIX: prefix });
      } catch (e) {
        error = e;
      }
      expect(error, String(prefix)).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems).toEqual([
        expect.stringMatching(/^QUEUE_PREFIX: .*\{…\} hash tag.*CROSSSLOT/),
      ]);
      expect((error as Error).message).not.toContain('cluster-pass');
    }
    const settings = loadSettings({
      REDIS_URL: cluster.seedsUrl,
      REDIS_CLUSTER: '1',
      QUEUE_PREFIX: '{layover-test}',
    });
    expect(settings.REDIS_CLUSTER).toBe(true);
    // The CLI's reachability check speaks to the cluster with the URL's credentials, and only with them.
    expect(await redisAnswers(settings.REDIS_URL, 1000, { cluster: true })).toBe(true);
    expect(
      await redisAnswers(settings.REDIS_URL.replaceAll('cluster-pass', 'wrong-pass'), 1000, {
        cluster: true,
      }),
    ).toBe(false);

    // What the check prevents: BullMQ's own multi-key scripts refuse such a prefix on a cluster.
    const prefix = uniquePrefix('no-hash-tag');
    const queue = new Queue('snapshots', { connection: client, prefix });
    try {
      await expect(queue.add('snapshot', { n: 1 })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await queue.close();
      await deletePrefix(client, prefix);
    }
  });

  it('runs the sample history through the real pipeline: the same 89 milestones as on one Redis, each delivered once per destination', async () => {
    const clusterPrefix = `{${uniquePrefix('layover-cluster')}}`;
    const singlePrefix = uniquePrefix('layover-single');
    try {
      const [onCluster, onSingle] = await Promise.all([
        runSampleHistory({ redisUrl: cluster.seedsUrl, redisCluster: true, prefix: clusterPrefix }),
        runSampleHistory({ redisUrl: TEST_REDIS_URL, redisCluster: false, prefix: singlePrefix }),
      ]);
      process.stderr.write(
        `[cluster] sample history: cluster ${onCluster.seconds.toFixed(2)} s, one Redis ${onSingle.seconds.toFixed(2)} s\n`,
      );
      expect(onCluster.failedSnapshotJobs).toBe(0);
      expect(onCluster.failedPublishJobs).toBe(0);
      expect(onSingle.milestoneIds).toHaveLength(89);
      expect(onCluster.milestoneIds).toEqual(onSingle.milestoneIds);

      // Every (milestone, destination) was published exactly once and recorded as sent.
      const expected = onCluster.milestoneIds.flatMap((id) => [
        ledgerKeyOf(id, 'x:rec'),
        ledgerKeyOf(id, 'discord:rec'),
      ]);
      expect([...onCluster.published].sort()).toEqual([...expected].sort());
      for (const id of onCluster.milestoneIds) {
        const entries = onCluster.ledger.get(id);
        expect([...(entries?.keys() ?? [])].sort()).toEqual(['discord:rec', 'x:rec']);
        for (const entry of entries?.values() ?? []) expect(entry.state).toBe('sent');
      }

      // The hash tag put every key of the run (BullMQ's and ours) on one slot, hence on one master.
      const perMaster = [...(await keysPerMaster(client, clusterPrefix)).values()];
      expect(perMaster.filter((keys) => keys.length > 0)).toHaveLength(1);
      expect(perMaster.flat().length).toBeGreaterThan(89);
    } finally {
      await deletePrefix(client, clusterPrefix);
      await cleanupPrefix(singlePrefix);
    }
  });

  it('replays (npm run replay) on the cluster under a hash-tagged throwaway prefix, removed from every master afterwards', async () => {
    const tracking = layoverTracking();
    const { snapshots } = validateSnapshotLines(
      readFileSync(SAMPLE_HISTORY, 'utf8'),
      snapshotRules([tracking], 600),
    );
    let during: Promise<Map<string, string[]>> | undefined;
    const replayed = await runReplay({
      redisUrl: cluster.seedsUrl,
      redisCluster: true,
      trackings: [tracking],
      snapshots: admitRawSnapshots(snapshots, new Map([[tracking.artist.id, tracking]])),
      render: renderPosts,
      logger: createLogger('silent'),
      onProgress: (applied) => {
        if (applied === 1) during = keysPerMaster(client, '{layover-replay-*}');
      },
    });
    // While it ran, its keys were there, all on one master.
    const seen = [...((await during) ?? new Map<string, string[]>()).values()];
    expect(seen.filter((keys) => keys.length > 0)).toHaveLength(1);
    expect(replayed).toHaveLength(89);
    expect(replayed.every((m) => m.posts.x !== '' && m.posts.discord !== '')).toBe(true);
    const left = [...(await keysPerMaster(client, '{layover-replay-*}')).values()].flat();
    expect(left).toEqual([]);
  });

  it("runs the other stores' Lua scripts and transactions on the prefix's one slot: X outbox, Discord limiter, guild settings, approvals, host lock", async () => {
    const prefix = `{${uniquePrefix('stores')}}`;
    const keys = stateKeys(prefix);
    try {
      const groups = new XGroupStore(client, xKeys(prefix, 'account'));
      const budget = new XBudgetStore(client, xKeys(prefix, 'account'));
      const locks = new XGroupLock(client, xKeys(prefix, 'account'));
      const now = Date.now();
      const first = milestone('track', { threshold: 50_000_000 });
      const second = milestone('album', { threshold: 500_000_000 });
      const group = await groups.enter(first, 'layover', 5, now, 60_000);
      // Joining the open group reads and writes the group's hash, a key the script builds rather than declares.
      expect(await groups.enter(second, 'layover', 9, now + 1, 60_000)).toBe(group);
      expect(
        await budget.reserve(group, 'slot-1', now + 2, {
          windowMs: 86_400_000,
          dailyPosts: 17,
          recheckMs: 1000,
        }),
      ).toBe(0);
      await budget.releaseNeed(group);
      const token = await locks.lock(group, 5_000);
      expect(token).not.toBeNull();
      expect(await locks.extend(group, token ?? '', 5_000)).toBe(true);
      await locks.unlock(group, token ?? '');
      expect(await groups.close(group, now + 61_000)).toBe('closed');
      const closed = await groups.group(group);
      expect(closed.milestones.map((m) => m.id).sort()).toEqual([first.id, second.id].sort());
      const parts = [
        { text: 'first', milestoneIds: [second.id] },
        { text: 'second', milestoneIds: [first.id] },
      ];
      await groups.savePlan(group, parts);
      const revised = await groups.revisePlan({ ...closed, plan: parts }, 1, [], 0);
      expect(revised.plan).toEqual(parts.slice(0, 1));
      expect(revised.revision).toBe(1);
      const pause = new XPauseStore(client, xKeys(prefix, 'account').pause);
      expect(await pause.pause('401 from X')).toBe(true);
      await pause.resume();

      const limiter = new GlobalRateLimiter(client, keys.discordGlobalWindow(), { maxRequestMs: 1_000 });
      expect(await limiter.run(() => Promise.resolve('sent'))).toBe('sent');

      const guilds = new GuildSettingsStore(client, keys);
      await guilds.setup('111111111111111111', {
        channelId: '222222222222222222',
        channelType: 0,
        roleId: null,
        language: 'en',
        crosspost: false,
      });
      expect(
        await guilds.markChannelUnhealthy(
          '111111111111111111',
          '222222222222222222',
          'gone',
          'Unknown Channel',
        ),
      ).toBe(true);
      expect((await guilds.all()).map((g) => g.guildId)).toEqual(['111111111111111111']);
      await guilds.remove('111111111111111111');

      const approvals = new ApprovalStore(client, keys);
      await approvals.remember({
        key: `${group}#0`,
        text: 'Congratulations Taehyung!!',
        milestoneIds: [first.id],
        destination: 'x:account',
      });
      const draft = draftIdOf(`${group}#0`);
      expect(await approvals.claimPosting(draft)).toBe(true);
      await approvals.posted(draft, '333333333333333333');
      expect(await approvals.decide(draft, { state: 'approved', by: 'mod', at: now })).toMatchObject({
        won: true,
      });

      const release = await new RedisHostLock(client, keys.pollHost).acquire('kworb.net', 1_000, 1_000);
      await release(0);

      const perMaster = [...(await keysPerMaster(client, prefix)).values()];
      expect(perMaster.filter((found) => found.length > 0)).toHaveLength(1);
    } finally {
      await deletePrefix(client, prefix);
    }
  });

  it('refuses to start when one master evicts, naming that node and no other', async () => {
    const evicting = cluster.nodeClient(1);
    const prefix = `{${uniquePrefix('refuse')}}`;
    try {
      await evicting.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const refusal = startRoles({
        settings: loadSettings({
          REDIS_URL: cluster.seedsUrl,
          REDIS_CLUSTER: 'true',
          QUEUE_PREFIX: prefix,
          ROLES: 'worker,publisher',
        }),
        trackings: [layoverTracking()],
        logger: createLogger('silent'),
        publishers: [new RecordingPublisher('x', client, `${prefix}:published`)],
      });
      await expect(refusal).rejects.toBeInstanceOf(RedisRequirementError);
      const message = await refusal.catch((error: unknown) => (error as Error).message);
      const [p0, p1, p2] = cluster.ports;
      expect(message).toContain(`node 127.0.0.1:${p1} (master): maxmemory-policy is "allkeys-lru"`);
      expect(message).not.toContain(`127.0.0.1:${p0}`);
      expect(message).not.toContain(`127.0.0.1:${p2}`);
      expect(message).not.toContain('cluster-pass');
      // Nothing was created on the refused cluster.
      expect([...(await keysPerMaster(client, prefix)).values()].flat()).toEqual([]);

      await evicting.config('SET', 'maxmemory-policy', 'noeviction');
      const fit = await inspectRedis(client);
      expect(fit.problems).toEqual([]);
      expect(fit.nodes.map((n) => n.node).sort()).toEqual(cluster.ports.map((p) => `127.0.0.1:${p}`).sort());
      // AOF is off on every node: one warning each, naming it.
      expect(fit.warnings).toHaveLength(3);
      for (const port of cluster.ports) {
        expect(fit.warnings.some((w) => w.startsWith(`node 127.0.0.1:${port} (master): AOF`))).toBe(true);
      }
    } finally {
      await evicting.config('SET', 'maxmemory-policy', 'noeviction');
      evicting.disconnect();
    }
  });

  it('deletePrefix removes the prefix from every master, keys of many hash tags spread over all three', async () => {
    const seeds = createRedis(cluster.seedsUrl, { cluster: true });
    const prefix = uniquePrefix('delete');
    const other = uniquePrefix('keep');
    try {
      const keys = Array.from({ length: 60 }, (_, i) => [
        `${prefix}:{tag-${i}}:a`,
        `${prefix}:{tag-${i}}:b`,
      ]).flat();
      await Promise.all([
        ...keys.map((key) => seeds.set(key, '1')),
        ...Array.from({ length: 10 }, (_, i) => seeds.set(`${other}:{tag-${i}}`, '1')),
        seeds.set(`${prefix}x:{tag-0}`, '1'),
      ]);
      const before = await keysPerMaster(seeds, prefix);
      expect([...before.values()].map((k) => k.length > 0)).toEqual([true, true, true]);
      // deletePrefix groups keys by the slot it computes; it must be the slot the cluster computes.
      const slots = await Promise.all(keys.map((key) => seeds.call('CLUSTER', 'KEYSLOT', key)));
      expect(slots).toEqual(keys.map(keySlot));

      expect(await deletePrefix(seeds, prefix)).toBe(keys.length);
      expect([...(await keysPerMaster(seeds, prefix)).values()].flat()).toEqual([]);
      // Nothing outside `prefix:` went: not another prefix, not one that merely starts the same.
      expect(await seeds.exists(`${prefix}x:{tag-0}`)).toBe(1);
      expect([...(await keysPerMaster(seeds, other)).values()].flat()).toHaveLength(10);
    } finally {
      await deletePrefix(seeds, other);
      await seeds.del(`${prefix}x:{tag-0}`);
      seeds.disconnect();
    }
  });

  it('answers /healthz 503 while a master is down, and a command sent meanwhile completes once it is back', async () => {
    const server = await createHttpServer({
      logger: createLogger('silent'),
      routes: [healthRoutes({ redisUrl: cluster.seedsUrl, redisCluster: true, timeoutMs: 1000 })],
    });
    const health = async () => {
      const response = await server.inject({ method: 'GET', url: '/healthz' });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };
    const waitForHealth = async (status: number, withinMs: number) => {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const answer = await health();
        if (answer.status === status) return answer;
        if (Date.now() > deadline) throw new Error(`healthz stayed ${answer.status}, wanted ${status}`);
        await sleep(100);
      }
    };
    const key = `{${uniquePrefix('restart')}}:value`;
    try {
      expect(await health()).toMatchObject({
        status: 200,
        body: { status: 'ok', redis: { reachable: true } },
      });
      await client.set(key, 'before');
      const owner = await ownerOf(client, key);
      const index = cluster.ports.indexOf(owner.options.port ?? -1);
      expect(index).toBeGreaterThanOrEqual(0);

      const down = performance.now();
      await cluster.killNode(index);
      const during = await waitForHealth(503, 8_000);
      expect(during.body).toMatchObject({ status: 'unavailable', redis: { reachable: false } });

      // Sent while the slot's master is down (the cluster is failing): ioredis retries it until the node is back.
      const write = client.set(key, 'after');
      await sleep(500);
      await cluster.restartNode(index);
      expect(await write).toBe('OK');
      const outage = (performance.now() - down) / 1000;
      await waitForHealth(200, 15_000);
      process.stderr.write(
        `[cluster] master down ${outage.toFixed(1)} s until the pending write completed\n`,
      );
      expect(await client.get(key)).toBe('after');
    } finally {
      await server.close();
      await client.del(key).catch(() => undefined);
    }
  });
});
