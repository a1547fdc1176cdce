import { Agent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { CardSource } from '../../src/cards/card-cache.js';
import type { Language } from '../../src/posts/types.js';
import { publishJobOptions } from '../../src/jobs/contracts.js';
import type { PublishRules } from '../../src/jobs/publish-rules.js';
import { enqueueRaw } from './enqueue-raw.js';
import { startPipeline, type Pipeline } from '../../src/jobs/pipeline.js';
import { createLogger } from '../../src/logger.js';
import type { Milestone } from '../../src/milestones/types.js';
import type { ApprovalGate } from '../../src/platforms/approval-gate.js';
import type { ModeratorNotifier } from '../../src/platforms/moderator-notifier.js';
import type { Publisher } from '../../src/platforms/publisher.js';
import type { Logger } from '../../src/logger.js';
import { XClient } from '../../src/platforms/x/x-client.js';
import type { XPrices } from '../../src/platforms/x/x-prices.js';
import type { XMinThresholds } from '../../src/platforms/x/x-priority.js';
import { XPublisher, type XPublisherOptions } from '../../src/platforms/x/x-publisher.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import type { Snapshot } from '../../src/snapshots/schema.js';
import { stateKeys } from '../../src/state/keys.js';
import type { LedgerEntry } from '../../src/state/post-ledger.store.js';
import { PostLedgerStore } from '../../src/state/post-ledger.store.js';
import { cleanupPrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from './redis.js';
import { layoverTracking } from './tracking-fixtures.js';
import { until } from './until.js';
import { XEmulator } from '../../emulators/x-emulator.js';

export const xCredentials = {
  appKey: 'test-app-key',
  appSecret: 'test-app-secret',
  accessToken: '4242-test-access-token',
  accessSecret: 'test-access-secret',
};

export interface XHarnessOptions {
  readonly combineWindowMs?: number;
  readonly dailyPosts?: number;
  readonly budgetWindowMs?: number;
  readonly recheckMs?: number;
  readonly minThresholds?: XMinThresholds;
  /** The emulator's own daily limit, reported in its 24-hour limit headers. */
  readonly emulatorDailyLimit?: number;
  readonly publishConcurrency?: number;
  readonly maxWaitMs?: number;
  readonly approval?: ApprovalGate;
  /** Milestone cards for the X posts; none when not given. */
  readonly cards?: CardSource;
  /** `X_LANGUAGE`; English when not given. */
  readonly language?: Language;
  /** Also tell this notifier (e.g. the Discord moderators' channel); `notices` records every notice regardless. */
  readonly notifier?: ModeratorNotifier;
  /** `X_DAILY_SPEND_USD`. */
  readonly dailySpendUsd?: number;
  /** `X_PRICE_*`; X's published rates when not given. */
  readonly prices?: XPrices;
  /** Where the publisher logs (silent when not given). */
  readonly logger?: Logger;
  /**
   * One clock for the publisher (budget, combine window, X_MAX_WAIT_HOURS), the emulator (post times, limit
   * headers) and the publishing rules (freshness); Date.now when not given.
   */
  readonly clock?: () => number;
  /** Freshness and supersession for the publish jobs; none (everything is posted) when not given. */
  readonly publishRules?: PublishRules;
  /** Attempts per publish job; the production policy's when not given. */
  readonly publishAttempts?: number;
  /**
   * What the publish jobs see of the X publisher (e.g. one whose `publish` fails before any request for some
   * milestones); the publisher itself when not given.
   */
  readonly publishVia?: (publisher: XPublisher) => Publisher;
}

/** Layover's tracks at 5M each, the artist at 950M, 15.5M followers: the baseline (announces nothing). */
export const baselineSnapshot: Snapshot = {
  capturedAt: '2023-10-01T23:00:00+09:00',
  tracks: Object.fromEntries(
    ['rainy-days', 'blue', 'love-me-again', 'slow-dancing', 'for-us', 'slow-dancing-piano'].map((id) => [
      id,
      5_000_000,
    ]),
  ),
  artistStreams: 950_000_000,
  followers: 15_500_000,
};

/** Every track to 20M (six track milestones, all tracks 20M, album 100M), artist 1B, followers 16M: ten milestones. */
export const crossingSnapshot: Snapshot = {
  capturedAt: '2023-10-02T23:00:00+09:00',
  tracks: Object.fromEntries(
    Object.keys(baselineSnapshot.tracks).map((id, i) => [id, 20_000_000 + i * 1000]),
  ),
  artistStreams: 1_050_000_000,
  followers: 16_200_000,
};

/** An HTTPS X emulator, a publisher connected to it, and the live pipeline (both roles) on a fresh prefix. */
export class XHarness {
  static readonly publishConcurrency = 8;
  private constructor(
    /** What was sent to the moderators. */
    readonly notices: string[],
    readonly emulator: XEmulator,
    readonly publisher: XPublisher,
    readonly pipeline: Pipeline,
    readonly redis: Redis,
    readonly prefix: string,
    readonly ledger: PostLedgerStore,
    private readonly options: XHarnessOptions,
  ) {}

  static async start(options: XHarnessOptions = {}): Promise<XHarness> {
    const emulator = await XEmulator.start(xCredentials, {
      ...(options.emulatorDailyLimit === undefined ? {} : { dailyLimit: options.emulatorDailyLimit }),
      ...(options.clock === undefined ? {} : { now: options.clock }),
    });
    const prefix = uniquePrefix('x');
    const redis = testRedis();
    const ledger = new PostLedgerStore(redis, stateKeys(prefix));
    const notices: string[] = [];
    const publisher = await XPublisher.connect(
      XHarness.publisherOptions({ emulator, redis, prefix, ledger, notices, options }),
    );
    const pipeline = await startPipeline({
      redisUrl: TEST_REDIS_URL,
      prefix,
      trackings: [layoverTracking()],
      publishers: [options.publishVia?.(publisher) ?? publisher],
      logger: createLogger('silent'),
      runSnapshotWorker: true,
      runPublishWorker: true,
      snapshotConcurrency: 1,
      // The production policy (8 attempts, exponential from 2 s) with a shorter base, to keep tests quick.
      publishJobOptions: {
        ...publishJobOptions,
        backoff: { type: 'exponential', delay: 200 },
        ...(options.publishAttempts === undefined ? {} : { attempts: options.publishAttempts }),
      },
      publishConcurrency: options.publishConcurrency ?? XHarness.publishConcurrency,
      ...(options.publishRules === undefined ? {} : { publishRules: options.publishRules }),
      ...(options.clock === undefined ? {} : { now: options.clock }),
    });
    return new XHarness(notices, emulator, publisher, pipeline, redis, prefix, ledger, options);
  }

  /**
   * The options the harness connects its X publisher with, for a test that connects one of its own: the ledger of
   * `prefix` unless given, moderators' notices pushed to `notices`, `credentials` signing its requests.
   */
  static publisherOptions(at: {
    readonly emulator: XEmulator;
    readonly redis: Redis;
    readonly prefix: string;
    readonly ledger?: PostLedgerStore;
    readonly notices?: string[];
    readonly options?: XHarnessOptions;
    readonly credentials?: typeof xCredentials;
  }): XPublisherOptions {
    const { emulator, redis, prefix, notices = [], options = {} } = at;
    const ledger = at.ledger ?? new PostLedgerStore(redis, stateKeys(prefix));
    return {
      client: XHarness.client(emulator, at.credentials),
      redis,
      prefix,
      ledger,
      render: renderPosts,
      notifier: {
        notify: (text) => {
          notices.push(text);
          return options.notifier?.notify(text) ?? Promise.resolve();
        },
      },
      logger: options.logger ?? createLogger('silent'),
      dailyPosts: options.dailyPosts ?? 17,
      minThresholds: options.minThresholds ?? {},
      combineWindowMs: options.combineWindowMs ?? 0,
      maxWaitMs: options.maxWaitMs ?? 72 * 3_600_000,
      ...(options.approval === undefined ? {} : { approval: options.approval, approvalRecheckMs: 200 }),
      ...(options.cards === undefined ? {} : { cards: options.cards }),
      ...(options.language === undefined ? {} : { language: options.language }),
      ...(options.budgetWindowMs === undefined ? {} : { budgetWindowMs: options.budgetWindowMs }),
      ...(options.dailySpendUsd === undefined ? {} : { dailySpendUsd: options.dailySpendUsd }),
      ...(options.prices === undefined ? {} : { prices: options.prices }),
      ...(options.clock === undefined ? {} : { now: options.clock }),
      recheckMs: options.recheckMs ?? 2000,
    };
  }

  /**
   * What a restart with good credentials does: verifies them (`GET /2/users/me`) with a fresh publisher on the same
   * prefix, which lifts an X pause for every worker.
   */
  async restartPublisher(): Promise<XPublisher> {
    return XPublisher.connect(
      XHarness.publisherOptions({
        emulator: this.emulator,
        redis: this.redis,
        prefix: this.prefix,
        ledger: this.ledger,
        notices: this.notices,
        options: this.options,
      }),
    );
  }

  /** Polls `condition` until it holds (or throws naming `what` after `timeoutMs`). */
  async waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    for (let waited = 0; !(await condition()); waited += 50) {
      if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  /**
   * With an injected clock: moves it on by `windowMs` each time the budget window is full (`perWindow` requests
   * sent in it, and none of them still in flight), until no milestone of `milestones` is pending.
   */
  async windowByWindow(
    clock: { advance(ms: number): void },
    milestones: readonly Milestone[],
    perWindow: number,
    windowMs: number,
  ): Promise<void> {
    for (let window = 1; window <= 20; window += 1) {
      const state = await until('the budget window to fill or every milestone to settle', async () => {
        const entries = await this.entries(milestones);
        if ([...entries.values()].every((e) => e.state !== 'pending')) return 'settled';
        // The window is full, and no job is between taking its slot and X's answer: every request of this
        // window reached the emulator at this window's time.
        return (await this.publisher.usage()).posts >= perWindow && (await this.noJobRunning()) && 'full';
      });
      if (state === 'settled') return;
      clock.advance(windowMs);
    }
    throw new Error('still pending after 20 budget windows');
  }

  private async noJobRunning(): Promise<boolean> {
    const counts = await this.pipeline.publishQueue.getJobCounts('active', 'waiting', 'prioritized');
    return (counts.active ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0) === 0;
  }

  /** Waits until no publish job is running or ready to run: every one is done, failed or delayed (waiting). */
  async publishJobsIdle(): Promise<void> {
    await this.waitFor('publish jobs to settle or wait', () => this.noJobRunning());
  }

  static client(emulator: XEmulator, credentials = xCredentials): XClient {
    return new XClient({
      credentials,
      apiUrl: emulator.url,
      timeoutMs: 500,
      httpAgent: new Agent({ ca: emulator.ca }),
    });
  }

  /** Feeds the baseline then the crossing snapshot; returns the ten milestones once both are applied. */
  async announce(): Promise<Milestone[]> {
    return this.feed([baselineSnapshot, crossingSnapshot]);
  }

  /** Feeds `snapshots` one after another, each once the one before is applied; returns every milestone announced. */
  async feed(snapshots: readonly Snapshot[]): Promise<Milestone[]> {
    const before = await this.pipeline.snapshotQueue.getCompletedCount();
    for (const [i, data] of snapshots.entries()) {
      await enqueueRaw(this.pipeline, [data]);
      await this.waitFor(
        'the snapshot to be applied',
        async () => (await this.pipeline.snapshotQueue.getCompletedCount()) === before + i + 1,
        10_000,
      );
    }
    for (let waited = 0; ; waited += 25) {
      if ((await this.pipeline.snapshotQueue.getCompletedCount()) === before + snapshots.length) break;
      if (waited > 10_000) throw new Error('snapshots were not applied');
      await sleep(25);
    }
    return this.pipeline.milestones.recent('v', 100);
  }

  /** Ledger entries of `milestones` for the X destination once none is pending (or throws after `timeoutMs`). */
  async settled(milestones: readonly Milestone[], timeoutMs = 25_000): Promise<Map<string, LedgerEntry>> {
    for (let waited = 0; ; waited += 50) {
      const entries = await this.entries(milestones);
      if ([...entries.values()].every((e) => e.state !== 'pending')) return entries;
      if (waited > timeoutMs) {
        throw new Error(
          `still pending: ${[...entries]
            .filter(([, e]) => e.state === 'pending')
            .map(([id]) => id)
            .join(', ')}`,
        );
      }
      await sleep(50);
    }
  }

  /** Which milestone ids each emulator post carries, in posting order (from the ledger's platform ids). */
  async postsWithMilestones(milestones: readonly Milestone[]) {
    const entries = await this.entries(milestones);
    return this.emulator.posts.map((post) => ({
      ...post,
      milestones: milestones.filter((m) => {
        const e = entries.get(m.id);
        return (
          e?.state === 'sent' && (e.platformId === post.id || (e.duplicate === true && e.text === post.text))
        );
      }),
    }));
  }

  async entries(milestones: readonly Milestone[]): Promise<Map<string, LedgerEntry>> {
    const entries = new Map<string, LedgerEntry>();
    for (const m of milestones) {
      const entry = await this.ledger.get(m.id, this.publisher.destination);
      if (entry === null) throw new Error(`no X ledger entry for ${m.id}`);
      entries.set(m.id, entry);
    }
    return entries;
  }

  /**
   * Asserts that each milestone went to X exactly once: every ledger entry is sent, names a post the emulator
   * holds with the same text (or, when recorded as a duplicate, a text the emulator holds), no text was posted
   * twice, and every post the emulator holds is accounted for by the ledger.
   */
  expectPostedExactlyOnce(entries: ReadonlyMap<string, LedgerEntry>): void {
    const posts = this.emulator.posts;
    expect(new Set(posts.map((p) => p.text)).size).toBe(posts.length);
    const accounted = new Set<string>();
    for (const [id, entry] of entries) {
      expect(entry.state, id).toBe('sent');
      if (entry.state !== 'sent') continue;
      const post =
        entry.duplicate === true
          ? posts.find((p) => p.text === entry.text)
          : posts.find((p) => p.id === entry.platformId);
      expect(post, `${id} is on X`).toBeDefined();
      expect(post?.text).toBe(entry.text);
      if (post !== undefined) accounted.add(post.id);
    }
    expect([...accounted].sort()).toEqual(posts.map((p) => p.id).sort());
  }

  async close(): Promise<void> {
    await this.pipeline.close(5000);
    this.redis.disconnect();
    await this.emulator.close();
    await cleanupPrefix(this.prefix);
  }
}
