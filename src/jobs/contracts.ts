import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { snapshotSchema, type Snapshot } from '../snapshots/schema.js';

/** Queue names and one zod schema per payload: `parse` on send, `safeParse` on receive. */
export const snapshotsQueue = {
  name: 'snapshots',
  jobName: 'snapshot',
  schema: snapshotSchema,
} as const;

export const publishJobSchema = z.strictObject({
  milestoneId: z.string().min(1),
  destination: z.string().regex(/^[a-z]+:.+$/, 'must be <platform>:<target>'),
});
export type PublishJobData = z.output<typeof publishJobSchema>;

export const publishQueue = {
  name: 'publish',
  jobName: 'publish',
  schema: publishJobSchema,
} as const;

export const pollJobSchema = z.strictObject({ sourceId: z.string().min(1) });
export type PollJobData = z.output<typeof pollJobSchema>;

/** One job per configured source per interval, made by a BullMQ job scheduler (`source~<id>`). */
export const pollQueue = {
  name: 'poll',
  jobName: 'poll',
  schema: pollJobSchema,
} as const;

/** Retries with exponential backoff: 2 s, 4 s, 8 s … about 8.5 minutes over 8 attempts in all. */
export const publishJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10000 },
};

/** A snapshot job keeps its payload and error when it fails, for `npm run failed` and Bull Board. */
export const snapshotJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10000 },
};

/**
 * The job id of a pushed or imported snapshot: a hash of its content, so that a client retrying a batch after a lost
 * answer, or an import run twice, enqueues nothing twice. (Polled snapshots use `poll~<artist>~<data date>`.)
 */
export function snapshotContentJobId(snapshot: Snapshot): string {
  return `in~${createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 32)}`;
}

/** BullMQ custom job ids may not contain ':'; ledger keys do. `~` never appears in our ids. */
export function publishJobId(ledgerKey: string): string {
  return `p~${ledgerKey.replaceAll(':', '~')}`;
}

/** What a snapshot job returns: its fate and the milestones it announced, in announcement order. */
export interface SnapshotJobResult {
  readonly status: 'applied' | 'repeat' | 'stale';
  readonly artistId: string;
  readonly milestoneIds: readonly string[];
  readonly publishJobs: number;
}
