import { setTimeout as sleep } from 'node:timers/promises';

export interface UntilOptions {
  /** Give up after this long (ms); the error names `what`. */
  readonly timeoutMs?: number;
  /** How often to look again (ms). */
  readonly intervalMs?: number;
}

/**
 * Waits for something to become true — a count reached, a state entered — by checking `condition` again every
 * `intervalMs`, and resolves with its first truthy value. Tests wait for the event itself this way, never for a
 * fixed time, so that a slow, busy machine only makes them slower, not wrong.
 */
export async function until<T>(
  what: string,
  condition: () => T | Promise<T>,
  options: UntilOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
