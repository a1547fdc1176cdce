import type { Logger } from '../logger.js';

/** The message of anything thrown, for logs. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors of one kind, counted between two summary lines. */
interface Tally {
  count: number;
  lastMessage: string;
}

export interface ErrorAggregatorOptions {
  /** One summary line per kind per interval, at most (ms). */
  readonly intervalMs?: number;
  readonly level?: 'error' | 'warn';
}

/**
 * Reports repeated errors without flooding the log: the first error of a kind is logged at once; further errors of
 * that kind within `intervalMs` are only counted, and one line per kind with the count closes the interval. A
 * failing Redis (at `maxmemory`, restarting) can raise thousands of identical errors a second; this keeps that to
 * one line per kind per interval.
 */
export class ErrorAggregator {
  private readonly intervalMs: number;
  private readonly level: 'error' | 'warn';
  /** Kinds seen in the current interval: the first one was logged, the rest are counted here. */
  private readonly tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    options: ErrorAggregatorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.level = options.level ?? 'error';
  }

  /** Reports one error of `kind` (e.g. "worker error"); the kind and the error's message make up its key. */
  report(kind: string, error: unknown): void {
    const message = errorMessage(error);
    // Numbers (ports, ids, byte counts) vary between otherwise identical errors.
    const key = `${kind}\u0000${message.replace(/\d+/g, '#')}`;
    const tally = this.tallies.get(key);
    if (tally !== undefined) {
      tally.count += 1;
      tally.lastMessage = message;
      return;
    }
    this.tallies.set(key, { count: 0, lastMessage: message });
    this.logger[this.level]({ err: message }, kind);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  /** Logs one line per kind repeated since its first report, with the count, and starts a new interval. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const repeated = [...this.tallies].filter(([, t]) => t.count > 0);
    this.tallies.clear();
    for (const [key, tally] of repeated) {
      const kind = key.slice(0, key.indexOf('\u0000'));
      this.logger[this.level](
        { err: tally.lastMessage, repeated: tally.count, intervalMs: this.intervalMs },
        `${kind} (repeated ${tally.count} more times)`,
      );
      // Still failing: the next one opens a new interval and is logged at once.
    }
  }

  /** Logs what is still counted and stops the timer. */
  close(): void {
    this.flush();
  }
}

/** What {@link backOffOnErrorBursts} needs of a BullMQ worker. */
export interface PausableWorker {
  on(event: 'error', listener: (error: Error) => void): unknown;
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): void | Promise<void>;
  isRunning(): boolean;
}

export interface ErrorBackoffOptions {
  /** This many errors within `windowMs` count as a burst. */
  readonly burst?: number;
  readonly windowMs?: number;
  /** First pause after a burst (ms); it doubles with each burst in a row, up to `maxPauseMs`. */
  readonly firstPauseMs?: number;
  readonly maxPauseMs?: number;
  /** Called when a pause begins (for the log). */
  readonly onPause?: (pauseMs: number) => void;
}

/**
 * Backs a worker off when its errors come in bursts (Redis refusing writes, say): after `burst` errors within
 * `windowMs` it stops taking new jobs (active ones go on) for a pause that doubles with every burst in a row, up
 * to `maxPauseMs`, and resets once a pause ends without a new burst. Returns a function that cancels a pending
 * resume (for shutdown).
 */
export function backOffOnErrorBursts(worker: PausableWorker, options: ErrorBackoffOptions = {}): () => void {
  const burst = options.burst ?? 20;
  const windowMs = options.windowMs ?? 1000;
  const firstPauseMs = options.firstPauseMs ?? 1000;
  const maxPauseMs = options.maxPauseMs ?? 30_000;
  let recent: number[] = [];
  let pauseMs = firstPauseMs;
  let paused = false;
  let burstsInARow = 0;
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;

  worker.on('error', () => {
    if (paused || cancelled) return;
    const now = Date.now();
    recent = recent.filter((at) => at > now - windowMs);
    recent.push(now);
    if (recent.length < burst) return;
    recent = [];
    paused = true;
    burstsInARow += 1;
    pauseMs = Math.min(maxPauseMs, firstPauseMs * 2 ** (burstsInARow - 1));
    options.onPause?.(pauseMs);
    void worker.pause(true).catch(() => undefined);
    timer = setTimeout(() => {
      paused = false;
      if (cancelled || !worker.isRunning()) return;
      void Promise.resolve(worker.resume()).catch(() => undefined);
      // A quiet window after resuming ends the run of bursts.
      const bursts = burstsInARow;
      setTimeout(() => {
        if (burstsInARow === bursts && !paused) burstsInARow = 0;
      }, pauseMs).unref();
    }, pauseMs);
    timer.unref();
  });
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}
