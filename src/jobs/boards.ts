import { Queue, Worker } from 'bullmq';
import type { SnapshotJobResult } from './contracts.js';
import { shortJobWorkerSettings } from './pipeline.js';
import type { Logger } from '../logger.js';
import { createRedis, type RedisClient } from '../redis.js';
import { ArtistStateStore } from '../state/artist-state.store.js';
import { BoardStore } from '../state/board.store.js';
import { stateKeys } from '../state/keys.js';
import { StreamHistoryStore } from '../state/stream-history.store.js';
import type { Tracking } from '../tracking/tracking.js';
import type { ModeratorNotifier } from '../platforms/moderator-notifier.js';
import { createBoardEditor, type BoardEditOutcome } from '../platforms/discord/board/board-editor.js';
import type { BoardView } from '../platforms/discord/board/board-body.js';
import type { BoardMessages } from '../platforms/discord/board/board-messages.js';
import {
  boardQueue,
  type BoardJobData,
  type BoardJobName,
  type BoardQueue,
} from '../platforms/discord/board/board-queue.js';
import { BoardScheduler } from '../platforms/discord/board/board-scheduler.js';
import { BoardService } from '../platforms/discord/board/board-service.js';

/** Default minimum time between two edits of one board: a minute. */
export const DEFAULT_BOARD_EDIT_INTERVAL_MS = 60_000;

/** How long a started edit keeps a second one of its board from starting (more than a Discord request's timeout). */
const EDIT_LEASE_MS = 30_000;

export interface BoardsOptions {
  readonly redisUrl: string;
  readonly redisCluster?: boolean;
  readonly prefix: string;
  readonly trackings: readonly Tracking[];
  readonly logger: Logger;
  /** At most one edit per board per this many ms (`BOARD_EDIT_INTERVAL_SECONDS`; tests use less). */
  readonly intervalMs?: number;
  /**
   * Edit boards in this process: where it can post to Discord (role `publisher` with a bot token). Null: this
   * process only plans edits (after the snapshots its workers apply), and another one carries them out.
   */
  readonly editor: {
    readonly messages: BoardMessages;
    /** Words a board (commands/handlers/board-view.ts's `boardMessage`). */
    readonly view: BoardView;
    readonly notifier: ModeratorNotifier;
    readonly concurrency?: number;
  } | null;
  /** Epoch ms (tests pin it). */
  readonly now?: () => number;
  readonly onOutcome?: (outcome: BoardEditOutcome, guildId: string) => void;
}

/** The live status boards' side of a process: planning edits after applied snapshots, and (optionally) making them. */
export interface Boards {
  readonly queue: BoardQueue;
  readonly store: BoardStore;
  /** The `boards` worker, when this process edits boards. */
  readonly workers: readonly Worker<BoardJobData, unknown, BoardJobName>[];
  /** Hook for the snapshots worker: plans an edit of the artist's boards when a snapshot changed its state. */
  afterApplied(result: SnapshotJobResult): Promise<void>;
  /** Stops the worker (letting an edit under way finish) and closes every connection. */
  close(): Promise<void>;
}

/** Starts the `boards` queue (and, with `editor`, its worker) on its own connections. */
export async function startBoards(options: BoardsOptions): Promise<Boards> {
  const cluster = { cluster: options.redisCluster ?? false };
  const redis = createRedis(options.redisUrl, cluster);
  const keys = stateKeys(options.prefix);
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? DEFAULT_BOARD_EDIT_INTERVAL_MS;
  const queue: BoardQueue = new Queue<BoardJobData, unknown, BoardJobName>(boardQueue.name, {
    connection: redis,
    prefix: options.prefix,
  });
  const store = new BoardStore(redis, keys);
  const scheduler = new BoardScheduler({ store, queue, intervalMs, now });
  let worker: Worker<BoardJobData, unknown, BoardJobName> | null = null;
  let workerRedis: RedisClient | null = null;
  if (options.editor !== null) {
    const boards = new BoardService({
      view: options.editor.view,
      store,
      messages: options.editor.messages,
      artistState: new ArtistStateStore(redis, keys),
      history: new StreamHistoryStore(redis, keys),
      trackings: options.trackings,
      logger: options.logger,
      now,
    });
    const processor = createBoardEditor({
      store,
      boards,
      messages: options.editor.messages,
      scheduler,
      notifier: options.editor.notifier,
      logger: options.logger,
      intervalMs,
      leaseMs: EDIT_LEASE_MS,
      now,
      ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
    });
    workerRedis = createRedis(options.redisUrl, cluster);
    worker = new Worker<BoardJobData, unknown, BoardJobName>(boardQueue.name, processor, {
      connection: workerRedis,
      prefix: options.prefix,
      concurrency: options.editor.concurrency ?? 4,
      ...shortJobWorkerSettings,
    });
    worker.on('failed', (job, error) =>
      options.logger.warn({ jobId: job?.id, err: error.message }, 'board job failed'),
    );
    worker.on('error', (error) => options.logger.warn({ err: error.message }, 'board worker error'));
    await worker.waitUntilReady();
  }
  let closing: Promise<void> | undefined;
  return {
    queue,
    store,
    workers: worker === null ? [] : [worker],
    async afterApplied(result) {
      // Only a job whose drain applied something has news for the boards.
      if (result.status !== 'applied' && result.drained === 0) return;
      await scheduler.afterApplied(result.artistId);
    },
    close() {
      closing ??= (async () => {
        await worker?.close();
        await queue.close();
        workerRedis?.disconnect();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
