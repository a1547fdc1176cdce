import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { advanceArtist, emptyArtistState } from '../../src/milestones/advance-artist.js';
import type { ArtistState } from '../../src/milestones/types.js';
import { normalizeSnapshot } from '../../src/snapshots/normalize-snapshot.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { ledgerKeyOf } from '../../src/state/post-ledger.store.js';
import { LoopbackPlatform } from '../../emulators/loopback-platform.js';
import { nonceFor } from '../../src/platforms/discord/announcement-message.js';
import { GuildSettingsStore } from '../../src/state/guild-settings.store.js';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';
import { setUpGuilds } from '../../emulators/discord-guilds.js';
import { uniquePrefix } from '../helpers/redis.js';
import { TestRedisServer } from '../helpers/redis-server.js';
import { enqueueRaw } from '../helpers/enqueue-raw.js';
import { layoverTracking, randomHistory } from '../helpers/tracking-fixtures.js';

const KILLS = 200;
const SNAPSHOTS = 200;
const DISCORD_GUILDS = 2;
const tracking = layoverTracking();
const trackings = new Map([[tracking.artist.id, tracking]]);

/** Every `lua` folder under `root`. */
function luaFolders(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name === 'lua')
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Bundles the crash child into one file (with the Lua scripts beside it, where the store looks for it): starting
 * a bundled process costs about half of a tsx one, and this test starts more than two hundred.
 */
async function bundleChild(): Promise<{ file: string; dir: string }> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'layover-crash-'));
  // The post templates are found at ../../templates from the module (src/posts/template-store.ts).
  symlinkSync(resolve('templates'), join(dir, 'templates'));
  const out = join(dir, 'bundle', 'child');
  const file = join(out, 'crash-process.mjs');
  await build({
    entryPoints: ['test/helpers/crash-process.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  // Every folder's Lua scripts (their file names are unique across folders) go into the one lua/ beside the bundle.
  for (const folder of luaFolders('src')) cpSync(folder, join(out, 'lua'), { recursive: true });
  return { file, dir };
}

/** Milestone ids the pure engine announces for the snapshots that were applied, in capturedAt order. */
function pureMilestones(applied: readonly Snapshot[]): string[] {
  let state: ArtistState = emptyArtistState;
  const ids: string[] = [];
  for (const raw of [...applied].sort((a, b) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt))) {
    const n = normalizeSnapshot(raw, trackings);
    if (!n.ok) throw new Error('bad snapshot');
    const result = advanceArtist(tracking, state, n.snapshot);
    ids.push(...result.milestones.map((m) => m.id));
    state = result.state;
  }
  return ids;
}

describe('crash test', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(`delivers every milestone to each destination exactly once through ${KILLS}+ kill -9s and a Redis restart`, async () => {
    // AOF with fsync on every write. Its directory is on tmpfs when there is one: the file survives a SIGKILL of
    // redis-server (what this test does) just the same, and a disk fsync per write would dominate the runtime.
    const redisServer = await TestRedisServer.start(
      ['--appendonly', 'yes', '--appendfsync', 'always'],
      existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
    );
    cleanups.push(() => redisServer.stop());
    // X: a loopback stand-in that refuses duplicate text. Discord: the loopback emulator with enforce_nonce, its
    // per-channel limit raised so that two channels can take a milestone every few hundred milliseconds.
    const platform = await LoopbackPlatform.start(20);
    cleanups.push(() => platform.close());
    const discord = await DiscordEmulator.start({ messagesPerChannel: 100 });
    cleanups.push(() => discord.close());
    const bundle = await bundleChild();
    cleanups.push(() => rmSync(bundle.dir, { recursive: true, force: true }));
    const prefix = uniquePrefix('crash');
    const children = new Set<ChildProcess>();
    cleanups.push(() => {
      for (const child of children) child.kill('SIGKILL');
    });

    const spawnChild = (role: 'worker' | 'publisher'): Promise<ChildProcess | null> => {
      const args = [role, redisServer.url, prefix, platform.url, discord.api, discord.token];
      const child = spawn(process.execPath, [bundle.file, ...args], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return new Promise((resolve) => {
        child.once('exit', () => resolve(null));
        child.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve(child);
        });
      });
    };

    // The producer: enqueues the stream and, at the end, reads results. Runs no workers itself.
    const producer: Pipeline = await startPipeline({
      redisUrl: redisServer.url,
      prefix,
      trackings: [tracking],
      publishers: [],
      logger: createLogger('silent'),
      runSnapshotWorker: false,
      runPublishWorker: false,
      snapshotConcurrency: 1,
      publishConcurrency: 1,
    });
    cleanups.push(() => producer.close(1000));
    const guilds = await setUpGuilds(
      discord,
      new GuildSettingsStore(producer.redis, producer.keys),
      DISCORD_GUILDS,
    );
    const destinations = [...guilds.map((g) => `discord:${g.settings.guildId}`), 'x:main'];

    let kills = 0;
    let streaming = true;
    const killLoop = async (role: 'worker' | 'publisher') => {
      while (streaming || kills < KILLS) {
        const child = await spawnChild(role);
        if (child === null) continue;
        await sleep(30 + Math.random() * 400);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        kills += 1;
        await exited;
      }
    };
    const started = Date.now();
    const killers = (['worker', 'worker', 'worker', 'publisher', 'publisher', 'publisher'] as const).map(
      (role) => killLoop(role),
    );
    const history = randomHistory(tracking, SNAPSHOTS, 2026);
    let restartedAt = -1;
    for (const [i, data] of history.entries()) {
      await enqueueRaw(producer, [data], { jobIds: [`s-${i}`], attempts: 10 });
      if (i === Math.floor(SNAPSHOTS / 2)) {
        restartedAt = Date.now() - started;
        await redisServer.restart(300);
      }
      await sleep(100);
    }
    streaming = false;
    await Promise.all(killers);
    const killPhaseMs = Date.now() - started;

    // Survivors: one worker and one publisher drain whatever the crashes left behind.
    await spawnChild('worker');
    await spawnChild('publisher');
    const drainStarted = Date.now();
    for (;;) {
      // Jobs BullMQ failed for stalling too often are retried by the survivors' sweeper (every 2 s), so the run is
      // over only when nothing is failed, waiting or active.
      const s = await producer.snapshotQueue.getJobCounts('completed');
      const p = await producer.publishQueue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'failed',
      );
      const sf = await producer.snapshotQueue.getFailedCount();
      const waiting = (await producer.artistState.view(tracking.artist.id)).waiting;
      if (s.completed === SNAPSHOTS && sf === 0 && waiting === 0 && Object.values(p).every((n) => n === 0))
        break;
      if (Date.now() - drainStarted > 45_000) throw new Error(`did not drain: ${JSON.stringify({ s, p })}`);
      await sleep(100);
    }

    process.stderr.write(
      `crash test: ${kills} kill -9s in ${killPhaseMs} ms, Redis restarted at ${restartedAt} ms, ` +
        `platform ${JSON.stringify(platform.stats())}, drained in ${Date.now() - drainStarted} ms\n`,
    );
    // Nothing lost: every snapshot job completed, nothing waits in the inbox, and every snapshot was applied in
    // time order: the newest one is the state's newest.
    expect(await producer.snapshotQueue.getFailedCount()).toBe(0);
    const jobs = await producer.snapshotQueue.getJobs(['completed'], 0, -1);
    expect(jobs.length).toBe(SNAPSHOTS);
    const view = await producer.artistState.view(tracking.artist.id);
    expect(view.waiting).toBe(0);
    expect(view.lastAppliedMs).toBe(Date.parse(history.at(-1)!.capturedAt));

    // The milestones are exactly what the rules give for the whole history, each claimed once (a job that ran
    // again after a kill reports its own milestones again, never another's).
    const expected = pureMilestones(history).sort();
    expect(expected.length).toBeGreaterThan(50);
    const claimed = jobs.flatMap((j) => j.returnvalue.milestoneIds);
    expect(claimed.filter((id) => !expected.includes(id))).toEqual([]);
    const stored = await producer.redis.zrange(producer.keys.artistMilestones(tracking.artist.id), '0', '-1');
    expect([...stored].sort()).toEqual(expected);

    // Per the platforms' own records: every (milestone, destination) exactly once, and nothing else.
    const xPosts = platform.created();
    const xSeen = new Map<string, number>();
    for (const post of xPosts) {
      const id = post.text.slice(0, post.text.indexOf(' reached '));
      xSeen.set(id, (xSeen.get(id) ?? 0) + 1);
    }
    expect([...xSeen.keys()].sort()).toEqual(expected);
    expect([...xSeen.values()].every((n) => n === 1)).toBe(true);
    for (const g of guilds) {
      const destination = `discord:${g.settings.guildId}`;
      const byNonce = new Map(expected.map((id) => [nonceFor(ledgerKeyOf(id, destination)), id]));
      const messages = discord.messagesIn(g.channel.id);
      const delivered = messages.map((m) => byNonce.get(String(m.nonce)));
      expect(delivered.every((id) => id !== undefined)).toBe(true);
      expect([...delivered].sort()).toEqual(expected);
    }
    const discordPosts = discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));

    // And the ledger agrees: every delivery is final and sent.
    let duplicatesRecorded = 0;
    for (const id of expected) {
      const entries = await producer.ledger.entries(id);
      expect([...entries.keys()].sort()).toEqual([...destinations].sort());
      for (const entry of entries.values()) {
        expect(entry.state).toBe('sent');
        if (entry.state === 'sent' && entry.duplicate === true) duplicatesRecorded += 1;
      }
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(restartedAt).toBeGreaterThan(0);
    process.stderr.write(
      `crash test: ${expected.length} milestones x ${destinations.length} destinations; Discord ${discordPosts.length} ` +
        `message requests for ${discord.messages.size} messages; ledger duplicates ${duplicatesRecorded}\n`,
    );
  }, 300_000);
});
