import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { snapshotsQueue, type SnapshotJobResult } from './jobs/contracts.js';
import type { DrainedEntry } from './jobs/drain-artist.js';
import type { AnyWorker } from './jobs/pipeline.js';
import type { PublishOutcome } from './jobs/post-settler.js';
import { platformOf, type BudgetUsage, type Publisher } from './platforms/publisher.js';

/** Job states whose sizes `layover_queue_jobs` reports. */
const queueStates = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/**
 * The process's Prometheus metrics, in a registry of its own (so tests and several pipelines in one process do
 * not collide). Feed it through {@link Metrics.onDrained}, {@link Metrics.onPublished} and
 * {@link Metrics.observeWorkers}; queue depths are read from Redis when `/metrics` is scraped.
 */
export interface Metrics {
  readonly registry: Registry;
  /** For startPipeline's `onDrained`: every inbox entry this process applied. */
  onDrained(entry: DrainedEntry): void;
  /** For startPipeline's `onApplied`: counts the jobs whose snapshot had already come in (repeats). */
  onApplied(result: SnapshotJobResult): void;
  /** For startPipeline's `onPublished`. */
  onPublished(outcome: PublishOutcome): void;
  /** Snapshots refused before they reached a queue (ingest validation). */
  onRejected(count?: number): void;
  /** Counts failed jobs of the pipeline's workers (invalid snapshots, publish errors) by queue and kind. */
  observeWorkers(workers: readonly AnyWorker[]): void;
  /** Queues whose depths are reported on scrape. */
  watchQueues(queues: readonly Queue[]): void;
  /** Publishers whose posting budget (posts and money in the rolling window, and the caps) is reported on scrape. */
  watchBudgets(publishers: readonly Publisher[]): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Node process metrics (memory, event loop lag, GC); on by default. */
  readonly defaultMetrics?: boolean;
}

/** Builds a fresh registry with every layover metric. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'layover_' });
  const snapshots = new Counter({
    name: 'layover_snapshots_total',
    help:
      "Snapshots processed, by outcome: applied, stale (every value at or before its subject's newest), repeat " +
      '(a job whose snapshot had already come in), dropped (an unreadable inbox entry), rejected',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const milestones = new Counter({
    name: 'layover_milestones_found_total',
    help: 'Milestones announced (claimed by exactly one snapshot application)',
    registers: [registry],
  });
  const posts = new Counter({
    name: 'layover_posts_total',
    help: 'Publish attempts that reached an end, by platform and outcome: sent, duplicate, failed, skipped (already final), stale, superseded',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'layover_job_failures_total',
    help: 'Failed job attempts, by queue and whether they will be retried',
    labelNames: ['queue', 'final'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'layover_publish_latency_seconds',
    help: 'From the milestone entering the post ledger to the platform accepting the post',
    labelNames: ['platform'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const watched: Queue[] = [];
  new Gauge({
    name: 'layover_queue_jobs',
    help: 'Jobs in each queue by state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        watched.map(async (queue) => {
          const counts = await queue.getJobCounts(...queueStates);
          for (const state of queueStates) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });

  const budgeted: Publisher[] = [];
  const usages = async (): Promise<BudgetUsage[]> =>
    Promise.all(budgeted.map((p) => (p.usage as () => Promise<BudgetUsage>).call(p)));
  const budgetGauge = (name: string, help: string, read: (u: BudgetUsage) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['destination'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const usage of await usages()) {
          const value = read(usage);
          if (value !== null) this.set({ destination: usage.destination }, value);
        }
      },
    });
  budgetGauge(
    'layover_budget_posts',
    'Posts sent in the rolling budget window (X_DAILY_POSTS); a post sent twice counts twice',
    (u) => u.posts,
  );
  budgetGauge('layover_budget_posts_cap', 'The posts cap of the rolling budget window', (u) => u.postsCap);
  budgetGauge(
    'layover_budget_spend_usd',
    'Dollars spent in the rolling budget window at the configured prices (X_DAILY_SPEND_USD)',
    (u) => u.spendUsd,
  );
  budgetGauge(
    'layover_budget_spend_cap_usd',
    'The money cap of the rolling budget window (absent when there is none)',
    (u) => u.spendCapUsd,
  );

  return {
    registry,
    contentType: registry.contentType,
    onDrained(entry) {
      // A `repeat` commit finishes an application whose drainer died before counting it.
      snapshots.inc({ outcome: entry.status === 'repeat' ? 'applied' : entry.status });
      if (entry.status === 'applied' && entry.milestoneIds.length > 0)
        milestones.inc(entry.milestoneIds.length);
    },
    onApplied(result) {
      if (result.status === 'repeat') snapshots.inc({ outcome: 'repeat' });
    },
    onPublished(outcome) {
      const platform = platformOf(outcome.destination);
      posts.inc({ platform, outcome: outcome.outcome });
      if (outcome.outcome === 'sent' && outcome.latencyMs !== null) {
        latency.observe({ platform }, outcome.latencyMs / 1000);
      }
    },
    onRejected(count = 1) {
      snapshots.inc({ outcome: 'rejected' }, count);
    },
    observeWorkers(workers) {
      for (const worker of workers) {
        worker.on('failed', (job, error) => {
          const attempts = job?.opts.attempts ?? 1;
          const final = error.name === 'UnrecoverableError' || (job?.attemptsMade ?? attempts) >= attempts;
          jobFailures.inc({ queue: worker.name, final: String(final) });
          if (worker.name === snapshotsQueue.name && error.name === 'UnrecoverableError') {
            snapshots.inc({ outcome: 'rejected' });
          }
        });
      }
    },
    watchQueues(queues) {
      watched.push(...queues);
    },
    watchBudgets(publishers) {
      budgeted.push(...publishers.filter((p) => p.usage !== undefined));
    },
    render: () => registry.metrics(),
  };
}
