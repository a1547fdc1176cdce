import type { Queue } from 'bullmq';
import type { Milestone } from '../milestones/types.js';
import type { Tracking } from '../tracking/tracking.js';

/**
 * A destination key is `<platform>:<target>`: `discord:<guildId>`, `x:<account>`, `discord:console`, `x:console`.
 * The platform part picks the {@link Publisher}; one ledger entry exists per (milestone, destination).
 */
export type DestinationKey = `${string}:${string}`;

export function platformOf(destination: string): string {
  const i = destination.indexOf(':');
  return i === -1 ? destination : destination.slice(0, i);
}

export function targetOf(destination: string): string {
  const i = destination.indexOf(':');
  return i === -1 ? '' : destination.slice(i + 1);
}

export interface PublishRequest {
  readonly milestone: Milestone;
  readonly tracking: Tracking;
  readonly destination: DestinationKey;
  /** `<milestoneId>|<destination>`: stable across retries, the base for platform idempotency keys (Discord nonce). */
  readonly ledgerKey: string;
  /** 1 on the first attempt. */
  readonly attempt: number;
  /**
   * For a publisher that posts several milestones together (X's combined posts and threads): applies the
   * publishing rules (freshness, supersession) now to other milestones waiting for this destination, records each
   * they hold back in the ledger (`skipped`, `superseded`), and returns the ids that may not go out: those, and
   * any the ledger already records so or `failed` (its own job gave up on it). Absent: nothing is held back.
   */
  readonly heldBack?: (milestoneIds: readonly string[]) => Promise<ReadonlySet<string>>;
}

export interface PublishReceipt {
  /** The platform's id of what was posted (message id, post id, or a console marker). */
  readonly platformId: string;
  /** The exact text posted, kept in the ledger for replay and audits. */
  readonly text: string;
}

/** Why publishing to a destination stopped, and since when (X: an account problem; see `x-pause.store.ts`). */
export interface PublishingPause {
  /** In English, as the platform's answer gave it (e.g. "X answered 403: … suspended"). */
  readonly reason: string;
  /** ISO 8601, or null when it is not known. */
  readonly since: string | null;
}

/**
 * What a destination used of its rolling budget window, for `/metrics` and the moderators, and whether publishing
 * to it is paused (for the moderators).
 */
export interface BudgetUsage {
  readonly destination: DestinationKey;
  /** The account's name on the platform, e.g. the X handle. */
  readonly account: string;
  /** Requests that posted (or tried to) in the window; a post sent twice counts twice. */
  readonly posts: number;
  readonly postsCap: number;
  /** Dollars spent in the window, at the configured prices. */
  readonly spendUsd: number;
  /** The money cap, or null when there is none. */
  readonly spendCapUsd: number | null;
  readonly windowHours: number;
  /** Null while publishing goes on; the pause while nothing is sent (until a person acts: see the platform). */
  readonly paused: PublishingPause | null;
}

/** A queue worker a platform runs next to the publish worker (Discord: crossposts); see {@link Publisher.startWorker}. */
export interface PlatformWorker {
  /** Stops taking jobs and waits for the active ones. */
  close(): Promise<void>;
}

/**
 * One platform's side of publishing. Implementations live in `platforms/<name>/` and never import each other;
 * `main.ts` and `jobs/` wire them together.
 */
export interface Publisher {
  /** The platform part of the destinations this publisher serves, e.g. `discord`. */
  readonly platform: string;
  /**
   * True when the platform orders its own posts to a destination (X's outbox: budget priority, combined posts and
   * threads), so the publish job does not hold a post back until older ones are settled. Freshness and
   * supersession still apply. Absent: posts to one destination go oldest first, enforced by the publish job.
   */
  readonly ordersItsOwnPosts?: boolean;
  /** Destinations that should receive `milestone` now (e.g. every configured, unpaused guild that wants the kind). */
  destinationsFor(milestone: Milestone, tracking: Tracking): Promise<DestinationKey[]>;
  /**
   * Posts once. Throws {@link import('./publish-errors.js').PermanentPublishError} for failures that no retry
   * can fix, {@link import('./publish-errors.js').AlreadyPublishedError} when the platform says it is a duplicate,
   * {@link import('./publish-errors.js').RateLimitedError} to wait, anything else to retry with backoff.
   */
  publish(request: PublishRequest): Promise<PublishReceipt>;
  /**
   * For a platform that posts milestones together (X's combined posts and threads): the receipt when this
   * milestone already went out with another milestone's job, else null. The publish job asks before it applies
   * the publishing rules, so what went out is recorded as it went. Throws as {@link publish} does (X already had
   * the text; a moderator skipped it).
   */
  postedAlready?(request: PublishRequest): Promise<PublishReceipt | null>;
  /**
   * For a platform that prepares posts ahead (X's drafts for moderator approval): the ledger now records this
   * milestone settled for `destination` without a post, held back by the publishing rules (`skipped`,
   * `superseded`) or `failed` (for good, or its job out of attempts), so no post of this job will carry it; the
   * platform may settle what it prepared that now goes nowhere. Called by the publish job after the ledger
   * records it. Must not throw.
   */
  settledUnposted?(milestoneId: string, destination: DestinationKey): Promise<void>;
  /** For platforms with a posting budget (X): what the rolling window has used so far. */
  usage?(): Promise<BudgetUsage>;
  /**
   * Starts the platform's own follow-up worker, if it has one (Discord: the crosspost queue). The pipeline starts
   * it wherever it runs the publish worker (role `publisher`) and closes it with that worker.
   */
  startWorker?(): Promise<PlatformWorker | null>;
  /** The platform's own queues (Discord: `discord-crosspost`), for the admin board and the queue metrics. */
  queues?(): readonly Queue[];
}
