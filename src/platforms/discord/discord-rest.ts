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
  const send: MakeRequest = async (url, init) => {
    const ready = await withEncodedForm(init);
    return DefaultRestOptions.makeRequest(url, ready);
  };
  const rest = new REST({
    api: options.api,
    retries: 0,
    timeout: options.timeoutMs ?? 15_000,
    rejectOnRateLimit: (data) => data.retryAfter > (options.maxRateLimitWaitMs ?? 10_000),
    makeRequest:
      limiter === undefined
        ? send
        : (url, init) => limiter.run(() => send(url, init), init.signal ?? undefined),
  });
  return options.token === undefined ? rest : rest.setToken(options.token);
}

type MakeRequest = typeof DefaultRestOptions.makeRequest;
type RequestInit = Parameters<MakeRequest>[1];

/**
 * Uploads (a card attached to a post) arrive as `FormData`. Handed to the HTTP client as is, the multipart body is
 * produced while the request is on the wire, and a request that times out mid-upload leaves that producer writing
 * into a closed stream: an unhandled rejection, which ends a Node process. Encoding the form into bytes first
 * (with its multipart boundary in `Content-Type`) makes a timed-out upload an ordinary failed request.
 */
export async function withEncodedForm(init: RequestInit): Promise<RequestInit> {
  if (!(init.body instanceof FormData)) return init;
  const encoded = new Response(init.body);
  const contentType = encoded.headers.get('content-type');
  if (contentType === null) throw new Error('a multipart body without a Content-Type');
  const body = new Uint8Array(await encoded.arrayBuffer());
  return { ...init, body, headers: { ...headersOf(init.headers), 'content-type': contentType } };
}

function headersOf(headers: RequestInit['headers']): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  return Object.fromEntries(new Headers(headers as ConstructorParameters<typeof Headers>[0]).entries());
}
