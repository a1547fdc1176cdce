/**
 * `npm run bench`: throughput, Redis cost, latency and memory of the live pipeline, each printed beside a
 * baseline measured in the same run on the same Redis (REDIS_URL, or a private redis-server when none answers).
 *
 * Options: --quick (smaller counts, for a smoke run), --memory-snapshots N (default 100000).
 */
import { randomUUID } from 'node:crypto';
import { loadSettings } from '../src/env.js';
import { redisForRun } from '../src/cli/private-redis.js';
import { createLogger } from '../src/logger.js';
import { inspectRedis } from '../src/ops/redis-requirements.js';
import { createRedis, serverNodes } from '../src/redis.js';
import { deletePrefix } from '../src/replay/run-replay.js';
import { benchTracking, risingSnapshots } from './fixtures.js';
import { drainPhase } from './drain-batch.js';
import { fanOutPhase } from './fan-out.js';
import { latencyPhase, memoryPhase } from './latency-memory.js';
import { baselinePhase, pipelinePhase, type PhaseContext, type PhaseResult } from './phases.js';
import { RoundTripCounter } from './redis-stats.js';
import { statusChartPhase, type StatusRow } from './status-charts.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const memoryIndex = args.indexOf('--memory-snapshots');
const memorySnapshots = memoryIndex >= 0 ? Number(args[memoryIndex + 1]) : quick ? 10_000 : 100_000;
const CONCURRENCY = 8;
const ALBUM_JOBS = quick ? 1000 : 5000;
const CATALOGUE_JOBS = quick ? 300 : 1500;
const ARTISTS = 8;
const FAN_OUT = 300;
const STATUS_REQUESTS = 50;
const STATUS_BURSTS = quick ? 1 : 2;
/** Snapshots a second the worker applies while `/layover status` is asked (the load the target is stated for). */
const STATUS_RATE = 100;
/** The stream history's cap (historyMaxPoints): the longest chart there is to draw. */
const STATUS_HISTORY = 2000;
const FIRST_RESPONSE_TARGET_MS = 1000;

const out = (line = '') => process.stdout.write(`${line}\n`);
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function statusRow(r: StatusRow): string {
  const ms = (n: number) => fixed(n, 0).padStart(6);
  const worker = r.appliedPerSecond === 0 ? 'idle' : `${fixed(r.appliedPerSecond, 0)}/s`;
  return (
    `  ${r.charts.padEnd(34)} ${worker.padStart(6)}  ${ms(r.first.p50)} ${ms(r.first.p99)} ${ms(r.first.max)} ` +
    `${`${r.deferredInTime}/${r.requests}`.padStart(7)}   ${ms(r.final.p50)} ${ms(r.final.p99)} ${ms(r.final.max)} ` +
    `${String(r.draws).padStart(6)} ${`${r.withChart}/${r.requests}`.padStart(7)} ${ms(r.loopDelayMaxMs)}`
  );
}

function phaseRow(r: PhaseResult, baseline: PhaseResult): string {
  const ratio = `${fixed((r.perSecond / baseline.perSecond) * 100, 0)}%`;
  return `  ${r.label.padEnd(34)} ${fixed(r.perSecond, 0).padStart(8)}/s ${ratio.padStart(6)}   ${fixed(r.commandsPerJob).padStart(6)} cmds ${fixed(r.roundTripsPerJob, 2).padStart(6)} trips   ${r.note}`;
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const redisCluster = settings.REDIS_CLUSTER;
  const redisRun = await redisForRun(settings.REDIS_URL, settings.redisUrlExplicit, redisCluster);
  const admin = createRedis(redisRun.url, { cluster: redisCluster });
  const ports = (await serverNodes(admin, 'all')).map((node) => node.options.port ?? 6379);
  const roundTrips = new RoundTripCounter(ports);
  const name = `layover-bench-${randomUUID().slice(0, 8)}`;
  const context: PhaseContext = {
    redisUrl: redisRun.url,
    redisCluster,
    // On a cluster every phase's prefix (this one plus a suffix) keeps the hash tag, so each stays on one slot.
    prefix: redisCluster ? `{${name}}` : name,
    admin,
    roundTrips,
    logger: createLogger('warn'),
    concurrency: CONCURRENCY,
    usedPrefixes: [],
  };
  context.usedPrefixes.push(context.prefix);
  try {
    const facts = (await inspectRedis(admin)).facts;
    out(
      `layover-bot bench — Redis ${facts.version} at ${redisRun.privatePort === null ? (redisCluster ? `REDIS_URL (a cluster of ${ports.length} nodes)` : 'REDIS_URL') : `private port ${redisRun.privatePort}`}, AOF ${facts.aofEnabled === true ? 'on' : 'off'}, Node ${process.version}, concurrency ${CONCURRENCY}${quick ? ', --quick' : ''}`,
    );
    out();

    const albums = Array.from({ length: ARTISTS }, (_, i) => benchTracking(`album-${i}`, 1, 6));
    const catalogues = Array.from({ length: ARTISTS }, (_, i) => benchTracking(`catalogue-${i}`, 20, 15));
    const albumSnapshots = [...risingSnapshots(albums, ALBUM_JOBS, 1)];
    const catalogueSnapshots = [...risingSnapshots(catalogues, CATALOGUE_JOBS, 2)];
    const sample = albumSnapshots[0]!;

    out(
      '1+2. Throughput and Redis cost per job (commands from INFO commandstats after CONFIG RESETSTAT; round',
    );
    out("     trips = this process's socket writes to Redis; both include enqueueing the job)");
    const baseline = await baselinePhase(context, ALBUM_JOBS, () => sample);
    const album = await pipelinePhase(context, 'pipeline, 6-track album', albums, albumSnapshots);
    const baselineBig = await baselinePhase(
      context,
      CATALOGUE_JOBS,
      () => catalogueSnapshots[0]!,
      'BullMQ no-op, catalogue payload',
    );
    const catalogue = await pipelinePhase(
      context,
      'pipeline, 300-track catalogue',
      catalogues,
      catalogueSnapshots,
    );
    out(`  ${'phase'.padEnd(34)} ${'jobs/s'.padStart(10)} ${'ratio'.padStart(6)}   per job`);
    out(phaseRow(baseline, baseline));
    out(phaseRow(album, baseline));
    out(
      phaseRow(baselineBig, baselineBig).replace(
        'BullMQ no-op (baseline)',
        'BullMQ no-op, catalogue payload',
      ),
    );
    out(phaseRow(catalogue, baselineBig));
    out(
      `  ours beyond BullMQ's own, per snapshot: album ${fixed(album.commandsPerJob - baseline.commandsPerJob)} commands, ` +
        `${fixed(album.roundTripsPerJob - baseline.roundTripsPerJob, 2)} round trips; catalogue ` +
        `${fixed(catalogue.commandsPerJob - baselineBig.commandsPerJob)} commands, ` +
        `${fixed(catalogue.roundTripsPerJob - baselineBig.roundTripsPerJob, 2)} round trips`,
    );
    out();

    out(
      '3. Enqueue-to-published latency at a steady 100 snapshots/s (every snapshot announces one milestone, posted',
    );
    out('   to two platforms that answer at once)');
    const latencyTracking = benchTracking('latency', 1, 6, { artist: [{ every: 5_000_000 }] });
    const latencySnapshots = [
      ...risingSnapshots([latencyTracking], quick ? 600 : 1100, 3, 500_000, 2_500_000),
    ];
    const latency = await latencyPhase(context, latencyTracking, latencySnapshots, 100, 100);
    out(
      `  ${latency.snapshots} snapshots (${latency.stale} overtaken by a newer one, so stale), ${latency.posts} posts: published p50 ${fixed(latency.p50)} ms, p99 ${fixed(latency.p99)} ms, ` +
        `max ${fixed(latency.max)} ms (applied p50 ${fixed(latency.appliedP50)} ms, p99 ${fixed(latency.appliedP99)} ms)`,
    );
    out();

    out(
      `4. Fan-out of one milestone to ${FAN_OUT} Discord channels through the loopback emulator (50 requests/s)`,
    );
    const fan = await fanOutPhase(context, FAN_OUT);
    out(
      `  ${fixed(fan.seconds, 2)} s end to end (first to last message request ${fixed(fan.requestSpanSeconds, 2)} s) vs the floor of ` +
        `${FAN_OUT}/50 = ${fixed(fan.floorSeconds, 0)} s: ${fixed(fan.seconds / fan.floorSeconds, 2)}x; ${fan.rateLimited} 429s; ` +
        `peak ${fan.peakPerSecond} requests in a second; ${fan.messages} messages`,
    );
    out();
    out(
      '5. Drain of one shuffled 200-snapshot batch of one artist (applied in capturedAt order, posts to two',
    );
    out('   platforms that answer at once), timed from enqueue to the last snapshot applied');
    const drain = await drainPhase(context);
    out(
      `  one process at concurrency 1 (baseline) ${fixed(drain.oneProcessMs, 0)} ms; two processes at concurrency ` +
        `${CONCURRENCY} ${fixed(drain.twoProcessesMs, 0)} ms (${fixed(drain.twoProcessesMs / drain.oneProcessMs, 2)}x); ` +
        `${drain.milestones} milestones either way`,
    );
    out();
    out(
      `6. Process memory across ${memorySnapshots.toLocaleString('en')} snapshots (both workers, GC before each reading${typeof (globalThis as { gc?: unknown }).gc === 'function' ? '' : ' — unavailable, run with --expose-gc'})`,
    );
    roundTrips.restore();
    const memoryTracking = benchTracking('memory', 1, 6);
    const memory = await memoryPhase(
      context,
      memoryTracking,
      () => risingSnapshots([memoryTracking], memorySnapshots + 5000, 4),
      memorySnapshots,
      5000,
      (done) => {
        if (done % 20_000 === 0) process.stderr.write(`  … ${done} snapshots\n`);
      },
    );
    out(
      `  RSS ${fixed(memory.rssBeforeMb)} MB -> ${fixed(memory.rssAfterMb)} MB, heap ${fixed(memory.heapBeforeMb)} MB -> ${fixed(memory.heapAfterMb)} MB ` +
        `in ${fixed(memory.seconds)} s (${fixed(memory.snapshots / memory.seconds, 0)} snapshots/s)`,
    );
    out(
      `  after a GC at ${memory.samples.map((m) => m.done.toLocaleString('en')).join(' / ')} snapshots: ` +
        `heap ${memory.samples.map((m) => fixed(m.heapMb)).join(' / ')} MB, RSS ${memory.samples.map((m) => fixed(m.rssMb, 0)).join(' / ')} MB`,
    );
    out(
      `  Redis used_memory ${fixed(memory.redisBeforeMb)} MB -> ${fixed(memory.redisAfterMb)} MB, ${memory.keysAfter} keys under the prefix ` +
        '(milestones and ledger entries are kept for good; applied-result keys expire after 7 days)',
    );
    out();

    out(
      `7. /layover status: ${STATUS_REQUESTS} signed requests at once to POST /interactions (${STATUS_BURSTS === 1 ? 'one burst' : `${STATUS_BURSTS} bursts`} per row), a ${STATUS_HISTORY.toLocaleString('en')}-point`,
    );
    out(
      '   history; first = to the HTTP answer (the deferral), final = to the edit with the chart reaching Discord',
    );
    out(
      `   (loopback emulator, in this process); worker = snapshots applied per second during the bursts (fed at ${STATUS_RATE}/s`,
    );
    out(
      "   or idle); ≤ 3 s = deferrals within Discord's deadline; loop = longest main-thread event-loop delay; times in ms",
    );
    const statusTracking = benchTracking('status', 1, 6);
    const status = await statusChartPhase(
      context,
      statusTracking,
      risingSnapshots([statusTracking], 1_000_000, 7),
      { requests: STATUS_REQUESTS, rate: STATUS_RATE, historyPoints: STATUS_HISTORY, bursts: STATUS_BURSTS },
    );
    out(
      `  ${'charts'.padEnd(34)} ${'worker'.padStart(6)}   first p50    p99    max   ≤ 3 s   final p50    p99    max  draws  charts   loop`,
    );
    for (const row of status) out(statusRow(row));
    const target = status.find((r) => r.pooled && r.appliedPerSecond > 0);
    const before = status.find((r) => !r.pooled && r.appliedPerSecond > 0);
    if (target !== undefined && before !== undefined) {
      out(
        `  target: first-response p99 under ${FIRST_RESPONSE_TARGET_MS} ms for ${STATUS_REQUESTS} concurrent requests while the worker ` +
          `is fed ${STATUS_RATE} snapshots/s: ${fixed(target.first.p99, 0)} ms (applied ${fixed(target.appliedPerSecond, 0)}/s during the bursts), ` +
          `${target.first.p99 < FIRST_RESPONSE_TARGET_MS ? 'met' : 'missed'}; main thread in the same run ${fixed(before.first.p99, 0)} ms`,
      );
    }
  } finally {
    roundTrips.restore();
    for (const prefix of context.usedPrefixes) await deletePrefix(admin, prefix);
    admin.disconnect();
    await redisRun.stop();
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  // Worker connections closed above; do not wait on any handle a library left behind.
  .finally(() => setTimeout(() => process.exit(), 500).unref());
