import type { Job, JobsOptions, Queue } from 'bullmq';

/** One planned edit of one server's board. */
export interface BoardJobData {
  readonly guildId: string;
  /** The board message it edits: a board replaced meanwhile makes the job stale. */
  readonly messageId: string;
  /** The plan it carries out (epoch ms): only the job of the board's current plan edits. */
  readonly dueMs: number;
}

export type BoardJobName = 'edit';
export type BoardQueue = Queue<BoardJobData, unknown, BoardJobName>;
export type BoardJob = Job<BoardJobData, unknown, BoardJobName>;

/** The `boards` queue: delayed jobs, one per planned edit. */
export const boardQueue = {
  name: 'boards',
  jobName: 'edit' satisfies BoardJobName,
} as const;

/**
 * The job id of a planned edit: the server, the message and the plan's due time. Every snapshot applied before the
 * edit starts asks for the same plan, and so adds the same id, which BullMQ adds once: that is the coalescing.
 * (BullMQ job ids may not contain ':'.)
 */
export function boardJobId(data: BoardJobData): string {
  return `board~${data.guildId}~${data.messageId}~${data.dueMs}`;
}

/**
 * Finished jobs are removed, so that an id is free again; a job that throws (Redis away while it claimed) is tried
 * again a few times, and the board's plan stays for the next snapshot to ask again.
 */
export const boardJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: true,
};
