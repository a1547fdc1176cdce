import type { KeyObject } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChartPool } from '../src/cards/chart-pool.js';
import { renderStatusChart, type StatusChartDrawer } from '../src/cards/status-chart.js';
import { createHttpServer } from '../src/http/server.js';
import { enqueueSnapshots } from '../src/jobs/enqueue-snapshots.js';
import { startPipeline, type Pipeline } from '../src/jobs/pipeline.js';
import { createDiscordApp } from '../src/discord-app.js';
import { renderPosts } from '../src/platform-posts/default-renderer.js';
import { createRedis } from '../src/redis.js';
import { admitRawSnapshots } from '../src/snapshots/admit-snapshots.js';
import type { Snapshot } from '../src/snapshots/schema.js';
import { stateKeys } from '../src/state/keys.js';
import type { Tracking } from '../src/tracking/tracking.js';
import { DiscordEmulator } from '../emulators/discord-emulator.js';
import {
  chatInputInteraction,
  interactionKeyPair,
  signedHeaders,
} from '../emulators/discord-interactions.js';
import { NullPublisher } from './fixtures.js';
import type { PhaseContext } from './phases.js';

/** Bursts of `/layover status` requests under one way of drawing charts, with the worker idle or loaded. */
export interface StatusRow {
  readonly charts: string;
  /** Drawn in the chart worker with charts kept by data version (false: the baseline). */
  readonly pooled: boolean;
  /** Snapshots the worker applied per second while the bursts were answered (0: idle). */
  readonly appliedPerSecond: number;
  /** Requests in all, over `bursts` bursts. */
  readonly requests: number;
  readonly bursts: number;
  /** POST /interactions to its HTTP answer (the deferral), ms. */
  readonly first: Percentiles;
  /** POST /interactions to the final edit (with the chart) arriving at Discord, ms (deferred requests only). */
  readonly final: Percentiles;
  /** Requests deferred within Discord's three seconds. */
  readonly deferredInTime: number;
  /** Charts drawn for the bursts. */
  readonly draws: number;
  /** Final edits that carried the chart. */
  readonly withChart: number;
  /** Longest event-loop delay of the main thread during a burst, ms. */
  readonly loopDelayMaxMs: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Discord's deadline for the first answer to an interaction. */
const DISCORD_DEADLINE_MS = 3000;

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { p50: at(50), p99: at(99), max: sorted.at(-1) ?? NaN };
}

/** Feeds snapshots to the pipeline at a steady rate until stopped (the "worker applying 100 snapshots/s"). */
function feed(pipeline: Pipeline, source: Iterator<Snapshot>, rate: number) {
  let running = true;
  const adds: Promise<unknown>[] = [];
  const done = (async () => {
    const started = performance.now();
    for (let i = 0; running; i += 1) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const next = source.next();
      if (next.done === true) throw new Error('the status bench ran out of snapshots');
      adds.push(enqueueSnapshots(pipeline.entrance, admitRawSnapshots([next.value], pipeline.trackings)));
    }
  })();
  return async () => {
    running = false;
    await done;
    await Promise.all(adds);
  };
}

interface Variant {
  readonly label: string;
  readonly pooled: boolean;
  readonly draw: StatusChartDrawer;
  readonly cache: boolean;
}

/**
 * `/layover status` under load: bursts of `requests` signed interactions POSTed at once to the real HTTP route
 * (over loopback), first with the snapshot worker idle, then while it applies `rate` snapshots a second for the
 * same artist, for each way of drawing charts: on the main thread for every request (the baseline: the code path
 * before the chart worker) and in a chart worker with charts kept by data version. The history is first filled
 * with `historyPoints` snapshots; before each burst one more is applied, so that no chart of the current data
 * exists yet. Edits go to the loopback Discord emulator, in this process like everything else.
 */
export async function statusChartPhase(
  context: PhaseContext,
  tracking: Tracking,
  snapshots: Iterator<Snapshot>,
  options: {
    readonly requests: number;
    readonly rate: number;
    readonly historyPoints: number;
    readonly bursts: number;
  },
): Promise<StatusRow[]> {
  const prefix = `${context.prefix}-status`;
  context.usedPrefixes.push(prefix);
  let applied = 0;
  const pipeline = await startPipeline({
    redisUrl: context.redisUrl,
    redisCluster: context.redisCluster,
    prefix,
    trackings: [tracking],
    publishers: [new NullPublisher('discord'), new NullPublisher('x')],
    logger: context.logger,
    runSnapshotWorker: true,
    runPublishWorker: false,
    snapshotConcurrency: context.concurrency,
    publishConcurrency: 1,
    stalledSweepMs: 0,
    onDrained: () => {
      applied += 1;
    },
  });
  const emulator = await DiscordEmulator.start();
  const redis = createRedis(context.redisUrl, { cluster: context.redisCluster });
  const pool = new ChartPool({ size: 1 });
  const keys = interactionKeyPair();
  const rows: StatusRow[] = [];
  /** Applies `n` more snapshots and waits until they are. */
  const applyNow = async (n: number) => {
    const target = applied + n;
    const batch: Snapshot[] = [];
    for (let i = 0; i < n; i += 1) {
      const next = snapshots.next();
      if (next.done === true) throw new Error('the status bench ran out of snapshots');
      batch.push(next.value);
    }
    await enqueueSnapshots(pipeline.entrance, admitRawSnapshots(batch, pipeline.trackings));
    while (applied < target) await sleep(10);
  };
  try {
    await applyNow(options.historyPoints);
    pool.start();
    await pool.draw([], [], tracking);
    const variants: Variant[] = [
      { label: 'main thread, every request draws', pooled: false, draw: renderStatusChart, cache: false },
      { label: 'chart worker, kept by data version', pooled: true, draw: pool.draw, cache: true },
    ];
    for (const variant of variants) {
      let draws = 0;
      const discord = createDiscordApp({
        publicKey: keys.publicKeyHex,
        apiUrl: emulator.api,
        redis,
        keys: stateKeys(prefix),
        trackings: [tracking],
        render: renderPosts,
        logger: context.logger,
        drawChart: (...args) => {
          draws += 1;
          return variant.draw(...args);
        },
        cacheCharts: variant.cache,
      });
      const app = await createHttpServer({ logger: context.logger, routes: [discord.interactionsRoute!] });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        // Warm-up: one request, not measured (connections, fonts, code paths).
        await burst(address, emulator, keys.privateKey, 1);
        for (const rate of [0, options.rate]) {
          const timings: Timing[] = [];
          let drawsOfRow = 0;
          let loopDelayMaxMs = 0;
          let appliedDuring = 0;
          let secondsUnderLoad = 0;
          for (let n = 0; n < options.bursts; n += 1) {
            await applyNow(1);
            const stop = rate > 0 ? feed(pipeline, snapshots, rate) : null;
            // Under load, measure once the feed is steady.
            if (stop !== null) await sleep(500);
            draws = 0;
            const appliedBefore = applied;
            const loop = monitorEventLoopDelay({ resolution: 5 });
            loop.enable();
            const started = performance.now();
            try {
              timings.push(...(await burst(address, emulator, keys.privateKey, options.requests)));
            } finally {
              secondsUnderLoad += (performance.now() - started) / 1000;
              loop.disable();
              await stop?.();
            }
            appliedDuring += applied - appliedBefore;
            drawsOfRow += draws;
            loopDelayMaxMs = Math.max(loopDelayMaxMs, loop.max / 1e6);
            // Let the backlog drain before the next burst.
            while (
              Object.values(await pipeline.snapshotQueue.getJobCounts('waiting', 'active')).some(
                (count) => count > 0,
              )
            )
              await sleep(20);
          }
          rows.push({
            charts: variant.label,
            pooled: variant.pooled,
            appliedPerSecond: rate === 0 ? 0 : appliedDuring / secondsUnderLoad,
            requests: timings.length,
            bursts: options.bursts,
            first: percentiles(timings.map((t) => t.first)),
            final: percentiles(timings.flatMap((t) => (t.final === null ? [] : [t.final]))),
            deferredInTime: timings.filter((t) => t.deferred && t.first <= DISCORD_DEADLINE_MS).length,
            draws: drawsOfRow,
            withChart: timings.filter((t) => t.chart).length,
            loopDelayMaxMs,
          });
        }
      } finally {
        await app.close();
      }
    }
    return rows;
  } finally {
    await pool.close();
    await pipeline.close(5000);
    await emulator.close();
    redis.disconnect();
  }
}

interface Timing {
  /** ms to the HTTP answer (whatever it was). */
  readonly first: number;
  /** Whether that answer was the deferral (else e.g. a 408 from a server too busy to read the request in time). */
  readonly deferred: boolean;
  /** ms to the final edit's arrival at Discord; null without a deferral. */
  readonly final: number | null;
  readonly chart: boolean;
}

/** Sends `count` signed `/layover status` at once; per request, ms to the HTTP answer and to the final edit. */
async function burst(
  address: string,
  emulator: DiscordEmulator,
  privateKey: KeyObject,
  count: number,
): Promise<Timing[]> {
  const requests = Array.from({ length: count }, () => {
    const interaction = chatInputInteraction({ command: 'layover', subcommand: 'status' });
    emulator.interactions.register(interaction as { id: unknown; token: unknown; type: unknown });
    // Discord knows of the deferral before the bot's edit can arrive; the HTTP answer is checked below.
    emulator.interactions.respond(String(interaction.token), null, { type: 5 });
    const body = JSON.stringify(interaction);
    return { token: String(interaction.token), body, headers: signedHeaders(privateKey, body) };
  });
  // As many signed PINGs first, so that every request of the burst finds an open connection: connection set-up
  // is the client's cost, not the bot's.
  await Promise.all(
    requests.map(async (_, i) => {
      const ping = JSON.stringify({
        id: `ping-${i}`,
        application_id: '1',
        type: 1,
        token: `ping-${i}`,
        version: 1,
      });
      const res = await fetch(`${address}/interactions`, {
        method: 'POST',
        body: ping,
        headers: signedHeaders(privateKey, ping),
      });
      await res.arrayBuffer();
    }),
  );
  const started = Date.now();
  const firsts = await Promise.all(
    requests.map(async ({ body, headers }) => {
      const res = await fetch(`${address}/interactions`, { method: 'POST', body, headers });
      const at = Date.now();
      const answer = (await res.json()) as { type?: number };
      return { at: at - started, deferred: res.status === 200 && answer.type === 5 };
    }),
  );
  const expected = new Set(requests.filter((_, i) => firsts[i]?.deferred === true).map((q) => q.token));
  const edits = new Map<string, { at: number; chart: boolean }>();
  for (const start = Date.now(); edits.size < expected.size;) {
    for (const r of emulator.requests) {
      if (r.method !== 'PATCH' || r.status !== 200) continue;
      // /webhooks/<application>/<token>/messages/@original
      const token = r.path.split('/')[3] ?? '';
      if (expected.has(token) && !edits.has(token)) {
        edits.set(token, { at: r.at, chart: r.files.some((f) => f.filename === 'status.png') });
      }
    }
    if (Date.now() - start > 60_000) {
      const refusals = requests.flatMap((q) => emulator.interactions.get(q.token)?.refusals ?? []);
      throw new Error(
        `only ${edits.size} of ${expected.size} status edits arrived within 60 s; Discord refused ${JSON.stringify(refusals.slice(0, 3))}`,
      );
    }
    if (edits.size < expected.size) await sleep(10);
  }
  return requests.map((q, i) => {
    const edit = edits.get(q.token);
    return {
      first: firsts[i]?.at ?? NaN,
      deferred: firsts[i]?.deferred === true,
      final: edit === undefined ? null : edit.at - started,
      chart: edit?.chart === true,
    };
  });
}
