import type { Snapshot } from '../snapshots/schema.js';

/** One reading a source gave: a snapshot, already validated against the loaded configs, and its data key. */
export interface SourceReading {
  /** A valid snapshot (docs/configuration.md), with `artist` always set. */
  readonly snapshot: Snapshot;
  readonly artistId: string;
  /**
   * The data's own date key: what the source says the counts are as of, never the time of the poll (kworb: the
   * page's "Last updated" day, `2023-10-11`; JSON: the snapshot's `capturedAt` as a UTC instant). Safe in a
   * BullMQ job id (no `:`).
   */
  readonly dataKey: string;
  /** `capturedAt` in epoch milliseconds: readings of one artist are new only when this is later. */
  readonly capturedAtMs: number;
}

/** One poll's readings with a plain account of what was read, for `npm run sources -- check`. */
export interface SourceCheck {
  readonly readings: SourceReading[];
  /** What was parsed and how configured songs matched, one line each. */
  readonly report: readonly string[];
}

/** Where snapshots come from: one URL, fetched on each poll. */
export interface Source {
  /** Unique among the configured sources; names its job scheduler and its Redis keys. */
  readonly id: string;
  readonly kind: string;
  readonly url: string;
  /** Polls the source once. Throws {@link SourceError} when the answer cannot be trusted; never returns zeros. */
  fetch(): Promise<SourceReading[]>;
  /** Polls once like {@link fetch} and also says what it read; throws the same errors. */
  check(): Promise<SourceCheck>;
}

/** A poll that produced nothing usable: unreachable, timed out, an error status, or an unrecognised answer. */
export class SourceError extends Error {
  constructor(
    message: string,
    /** True when the answer arrived but did not look as expected (a layout change), rather than a network failure. */
    readonly badContent = false,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/**
 * A poll the source's API refuses until a known time (a spent daily quota). Not a failure of the source: the
 * poller fetches nothing until `untilMs`, says so once, and does not back off.
 */
export class SourcePausedError extends SourceError {
  constructor(
    message: string,
    /** Epoch milliseconds from which polling may resume. */
    readonly untilMs: number,
  ) {
    super(message);
    this.name = 'SourcePausedError';
  }
}

/** A BullMQ-safe job id fragment: BullMQ custom ids may not contain `:`. */
export function jobIdSafe(value: string): string {
  return value.replaceAll(':', '-');
}
