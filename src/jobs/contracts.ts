import type { Job, JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import type { SnapshotRecord } from '../snapshots/snapshot-record.js';

/**
 * A snapshot job: one admitted snapshot (validated and resolved once, at the entrance that took it in) and its
 * entry id in the artist's inbox. The worker trusts it.
 */
export interface SnapshotJobData {
  /** The snapshot's fingerprint: its id in the artist's inbox. */
  readonly entry: string;
  readonly snapshot: SnapshotRecord;
  /** Seed the state from a history: record milestones, post nothing (`ingest --backfill`). */
  readonly backfill?: true;
}

/**
 * What a snapshot job returns. `applied`/`stale`: its snapshot was applied (by this job's drain or another's)
 * and changed something / nothing; `repeat`: the same snapshot had already come in under another job (its
 * milestones belong to that job); `queued`: another worker is draining the artist and will apply it.
 * `milestoneIds` are this job's own milestones, in announcement order; a job that runs again gets them again.
 */
export interface SnapshotJobResult {
  readonly status: 'applied' | 'repeat' | 'stale' | 'queued';
  readonly artistId: string;
  readonly milestoneIds: readonly string[];
  /** Inbox entries this job's drain applied (its own and others'). */
  readonly drained: number;
}

export type SnapshotJobName = 'snapshot';
export type SnapshotQueue = Queue<SnapshotJobData, SnapshotJobResult, SnapshotJobName>;
export type SnapshotJob = Job<SnapshotJobData, SnapshotJobResult, SnapshotJobName>;

/** Queue names and, for payloads that need it, one zod schema: `parse` on send, `safeParse` on receive. */
export const snapshotsQueue = {
  name: 'snapshots',
  jobName: 'snapshot' satisfies SnapshotJobName,
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

export type PublishQueue = Queue<PublishJobData, unknown, 'publish'>;

export const pollJobSchema = z.strictObject({ sourceId: z.string().min(1) });
export type PollJobData = z.output<typeof pollJobSchema>;

/** One job per configured source per interval, made by a BullMQ job scheduler (`source~<id>`). */
export const pollQueue = {
  name: 'poll',
  jobName: 'poll',
  schema: pollJobSchema,
} as const;

const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a Discord id');

/**
 * A Discord crosspost: publish one of our messages in an Announcement channel to the servers that follow it.
 * Queued by the Discord publisher once the message is out; the job spends one of the channel's crossposts of the
 * rolling hour (DISCORD_CROSSPOSTS_PER_HOUR) and waits, as a delayed job, while none is free.
 */
export const crosspostJobSchema = z.strictObject({
  guildId: snowflake,
  channelId: snowflake,
  messageId: snowflake,
});
export type CrosspostJobData = z.output<typeof crosspostJobSchema>;

export const crosspostQueue = {
  name: 'discord-crosspost',
  jobName: 'crosspost',
  schema: crosspostJobSchema,
} as const;

export type CrosspostJobQueue = Queue<CrosspostJobData, unknown, 'crosspost'>;

/** One job per message: queuing the same message again (a publish retry that found its post) adds nothing. */
export function crosspostJobId(channelId: string, messageId: string): string {
  return `x~${channelId}~${messageId}`;
}

/**
 * Failures other than rate limits (5xx, timeouts) are retried with exponential backoff, 10 s to about 21 minutes,
 * about 42 minutes over 8 attempts; waits for a free crosspost or a 429's retry_after spend no attempt. Failed
 * jobs are kept: with their reason, they are the record of crossposts that did not happen.
 */
export const crosspostJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10000 },
};

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
 * The job id of a pushed or imported snapshot: its inbox entry (a fingerprint of its content), so that a client
 * retrying a batch after a lost answer, or an import run twice, enqueues nothing twice. (Polled snapshots use
 * `poll~<artist>~<data date>`.)
 */
export function snapshotContentJobId(entry: string): string {
  return `in~${entry}`;
}

/** BullMQ custom job ids may not contain ':'; ledger keys do. `~` never appears in our ids. */
export function publishJobId(ledgerKey: string): string {
  return `p~${ledgerKey.replaceAll(':', '~')}`;
}
