import { Job, type Queue } from 'bullmq';
import { ledgerKeyOf } from '../state/post-ledger.store.js';
import type { PublishOrderStore } from '../state/publish-order.store.js';
import { publishJobId } from './contracts.js';

/**
 * A job whose turn is held up by an older post in flight waits this long in the worker before it parks. Short,
 * because a waiting job holds a worker slot and delays a graceful shutdown by as much.
 */
const IN_WORKER_WAIT_MS = 500;
/** While waiting in the worker, how often it looks again (a post settled by another process sends no signal). */
const LOOK_AGAIN_MS = 50;
const liveJobStates = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Whether a publish job may post now, or must park (a BullMQ delay, no attempt spent) until it is woken. */
export type Turn = { readonly go: true } | { readonly go: false; readonly behind: string };

/**
 * Keeps posts to one destination oldest first (the order of the destination's pending set, see
 * PublishOrderStore) while publish jobs run concurrently, in any number of processes:
 *
 * - a job with nothing older pending (or only older milestones whose publish job is gone) posts at once;
 * - a job behind a post in flight (its job active) waits in the worker, woken in-process as soon as that post is
 *   settled here, or looking again every {@link LOOK_AGAIN_MS} for one settled elsewhere, up to
 *   {@link IN_WORKER_WAIT_MS};
 * - otherwise it parks, and whoever settles the milestone before it promotes its job ({@link settled}).
 */
export class DestinationTurns {
  /** destination -> milestone id -> wake-up of a job waiting in this process. */
  private readonly waiting = new Map<string, Map<string, () => void>>();

  constructor(
    private readonly order: PublishOrderStore,
    private readonly queue: Queue,
  ) {}

  /** Decides whether (milestone, destination) may post now; `ahead` is its first look at the older ones. */
  async take(milestoneId: string, destination: string, ahead: readonly string[]): Promise<Turn> {
    const deadline = Date.now() + IN_WORKER_WAIT_MS;
    let older = ahead;
    for (;;) {
      const blocker = await this.firstAlive(older, destination);
      if (blocker === null) return { go: true };
      if (blocker.state !== 'active' || Date.now() >= deadline) return { go: false, behind: blocker.id };
      await this.pause(milestoneId, destination);
      older = (await this.order.position(milestoneId, destination)).ahead;
    }
  }

  /** After parking a job: if its turn came meanwhile, nobody would wake it, so it promotes itself. */
  async afterParking(job: Job, milestoneId: string, destination: string): Promise<void> {
    if ((await this.order.next(destination)) === milestoneId) await job.promote().catch(() => undefined);
  }

  /** Called once (milestone, destination) is final: wakes whoever is next for that destination. */
  async settled(destination: string, milestoneId: string): Promise<void> {
    const local = this.waiting.get(destination);
    for (const wake of local?.values() ?? []) wake();
    const next = await this.order.next(destination);
    if (next === null || next === milestoneId || local?.has(next) === true) return;
    const job = await Job.fromId(this.queue, publishJobId(ledgerKeyOf(next, destination)));
    // Only a delayed (parked) job can be promoted; one that is waiting or running needs no wake-up.
    await job?.promote().catch(() => undefined);
  }

  private async firstAlive(
    ids: readonly string[],
    destination: string,
  ): Promise<{ id: string; state: string } | null> {
    for (const id of ids) {
      const state = await this.queue.getJobState(publishJobId(ledgerKeyOf(id, destination)));
      if (liveJobStates.has(state)) return { id, state };
    }
    return null;
  }

  private pause(milestoneId: string, destination: string): Promise<void> {
    return new Promise((resolve) => {
      const mine = this.waiting.get(destination) ?? new Map<string, () => void>();
      this.waiting.set(destination, mine);
      const wake = () => {
        clearTimeout(timer);
        mine.delete(milestoneId);
        if (mine.size === 0 && this.waiting.get(destination) === mine) this.waiting.delete(destination);
        resolve();
      };
      const timer = setTimeout(wake, LOOK_AGAIN_MS);
      mine.set(milestoneId, wake);
    });
  }
}
