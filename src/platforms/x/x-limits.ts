/** Response headers as Node gives them (lower-case names). */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** What the 24-hour limit headers say: posts left and when the window resets (epoch ms). */
export interface DailyLimitReading {
  readonly remaining: number;
  readonly resetAtMs: number;
}

function header(headers: HeaderBag, name: string): number | null {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/**
 * The tighter of `x-user-limit-24hour-*` and `x-app-limit-24hour-*`, when either is present: the one with fewer
 * posts left (on a tie, the later reset).
 */
export function readDailyLimit(headers: HeaderBag): DailyLimitReading | null {
  let tightest: DailyLimitReading | null = null;
  for (const scope of ['user', 'app']) {
    const remaining = header(headers, `x-${scope}-limit-24hour-remaining`);
    const reset = header(headers, `x-${scope}-limit-24hour-reset`);
    if (remaining === null || reset === null) continue;
    const reading = { remaining, resetAtMs: reset * 1000 };
    if (
      tightest === null ||
      reading.remaining < tightest.remaining ||
      (reading.remaining === tightest.remaining && reading.resetAtMs > tightest.resetAtMs)
    ) {
      tightest = reading;
    }
  }
  return tightest;
}

/** Used when a 429 carries no reset header at all: X's rate windows are 15 minutes. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 15 * 60_000;

/**
 * When to try again after a 429: the reset of an exhausted 24-hour limit if there is one, else
 * `x-rate-limit-reset`, else 15 minutes; never sooner than one second from `now`.
 */
export function rateLimitRetryAt(headers: HeaderBag, now: number): number {
  const daily = readDailyLimit(headers);
  const windowReset = header(headers, 'x-rate-limit-reset');
  let retryAt: number;
  if (daily !== null && daily.remaining === 0) retryAt = daily.resetAtMs;
  else if (windowReset !== null) retryAt = windowReset * 1000;
  else retryAt = now + DEFAULT_RATE_LIMIT_WAIT_MS;
  return Math.max(retryAt, now + 1000);
}
