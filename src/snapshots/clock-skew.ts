import type { SnapshotProblem } from './normalize-snapshot.js';

/** The server's clock, epoch milliseconds. Injected so tests can set the time instead of waiting for it. */
export type Clock = () => number;

/** The clock-skew rule: how far ahead of `now` a snapshot's `capturedAt` may be. */
export interface ClockSkewRule {
  readonly now: Clock;
  /** `CLOCK_SKEW_SECONDS`. */
  readonly clockSkewSeconds: number;
}

/**
 * A `capturedAt` more than `CLOCK_SKEW_SECONDS` ahead of the server's clock is refused: counts cannot be true at
 * a time that has not come, and one such snapshot (a typo'd year) would make every real one after it stale.
 * Returns the problem, or null when the time is acceptable.
 */
export function futureCapturedAtProblem(capturedAtMs: number, rule: ClockSkewRule): SnapshotProblem | null {
  const nowMs = rule.now();
  const aheadMs = capturedAtMs - nowMs;
  if (aheadMs <= rule.clockSkewSeconds * 1000) return null;
  return {
    path: 'capturedAt',
    message:
      `is ${describeAhead(aheadMs)} ahead of this server's clock (${new Date(nowMs).toISOString()}); ` +
      `at most ${rule.clockSkewSeconds} s (CLOCK_SKEW_SECONDS) is allowed: counts cannot be from the future`,
  };
}

function describeAhead(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 120) return `${Math.ceil(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.floor(hours)} h`;
  return `${Math.floor(hours / 24).toLocaleString('en-US')} days`;
}
