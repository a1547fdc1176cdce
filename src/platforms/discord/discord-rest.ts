import { DefaultRestOptions, REST } from '@discordjs/rest';
import type { GlobalRateLimiter } from './global-rate-limiter.js';

export interface DiscordRestOptions {
  /** Discord REST base, `DISCORD_API_URL` (tests: the loopback emulator). */
  readonly api: string;
  /** The bot token; without it only interaction endpoints (which authenticate by interaction token) work. */
  readonly token?: string | undefined;
  /** Shared global limiter; every HTTP request, retries included, takes a slot first. */
  readonly limiter?: GlobalRateLimiter;
  /** Per-request timeout, ms (default 15 s). */
  readonly timeoutMs?: number;
  /**
   * A rate-limit wait longer than this (ms) rejects with `RateLimitError` instead of holding the caller
   * (default 10 s); the publisher turns it into a delayed job. Shorter waits happen inside the client.
   */
  readonly maxRateLimitWaitMs?: number;
}

/**
 * The `@discordjs/rest` client every Discord call goes through. It queues per route bucket and honours
 * Discord's rate-limit headers; the optional shared limiter keeps all processes together under the global limit.
 * Timeouts and 5xx are not retried here (`retries: 0`): the publish job retries them, and the message nonce
 * makes that retry safe.
 */
export function createDiscordRest(options: DiscordRestOptions): REST {
  const { limiter } = options;
  const rest = new REST({
    api: options.api,
    retries: 0,
    timeout: options.timeoutMs ?? 15_000,
    rejectOnRateLimit: (data) => data.retryAfter > (options.maxRateLimitWaitMs ?? 10_000),
    ...(limiter === undefined
      ? {}
      : {
          makeRequest: (url: string, init: Parameters<typeof DefaultRestOptions.makeRequest>[1]) =>
            limiter.run(() => DefaultRestOptions.makeRequest(url, init), init.signal ?? undefined),
        }),
  });
  return options.token === undefined ? rest : rest.setToken(options.token);
}
