import type { BoardStore } from '../../../state/board.store.js';
import {
  boardJobId,
  boardJobOptions,
  boardQueue,
  type BoardJobData,
  type BoardQueue,
} from './board-queue.js';

export interface BoardSchedulerDeps {
  readonly store: BoardStore;
  readonly queue: BoardQueue;
  /** At most one edit per board per this many ms. */
  readonly intervalMs: number;
  readonly now: () => number;
}

/**
 * Plans board edits after applied snapshots: one delayed job per planned edit, due one interval after the board's
 * last edit (at once when that is past). Snapshots applied before the edit starts join the same plan.
 */
export class BoardScheduler {
  constructor(private readonly deps: BoardSchedulerDeps) {}

  /** After a snapshot of `artistId` was applied: plans an edit of each of the artist's boards. */
  async afterApplied(artistId: string): Promise<void> {
    for (const guildId of await this.deps.store.guildsOf(artistId)) await this.plan(artistId, guildId);
  }

  /** Plans an edit of one server's board (or makes sure the planned one has its job). */
  async plan(artistId: string, guildId: string): Promise<void> {
    const nowMs = this.deps.now();
    const planned = await this.deps.store.schedule(artistId, guildId, nowMs, this.deps.intervalMs);
    if (planned === null) return;
    await this.addJob({ guildId, messageId: planned.messageId, dueMs: planned.dueMs });
  }

  /** The job of a plan; adding one that exists already changes nothing. */
  async addJob(data: BoardJobData): Promise<void> {
    await this.deps.queue.add(boardQueue.jobName, data, {
      ...boardJobOptions,
      jobId: boardJobId(data),
      delay: Math.max(0, data.dueMs - this.deps.now()),
    });
  }
}
