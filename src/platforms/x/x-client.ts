import type { Agent } from 'node:http';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { rateLimitRetryAt, readDailyLimit, type DailyLimitReading, type HeaderBag } from './x-limits.js';

export interface XCredentials {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
}

export interface XClientOptions {
  readonly credentials: XCredentials;
  /** `X_API_URL`, e.g. `https://api.x.com`. */
  readonly apiUrl: string;
  /** Per-request timeout; a request that takes longer is abandoned and retried. */
  readonly timeoutMs: number;
  /** An HTTPS agent, e.g. one that trusts a test CA. The default agent otherwise. */
  readonly httpAgent?: Agent;
}

export interface XAccount {
  readonly id: string;
  readonly username: string;
}

export interface CreatedPost {
  readonly id: string;
  readonly dailyLimit: DailyLimitReading | null;
}

/**
 * What went wrong with an X request, sorted by what to do about it:
 * - `rateLimited`: wait until `retryAt` (epoch ms);
 * - `duplicate`: X already has this exact text (403 whose `detail` says duplicate content);
 * - `account`: 401, or 403 for a suspended or locked account: stop posting until a person looks;
 * - `rejected`: any other 4xx: this post can never go out as it is;
 * - `transient`: 5xx, timeouts, dropped connections: retry with backoff.
 */
export type XFailureClass =
  | { readonly type: 'rateLimited'; readonly retryAt: number; readonly dailyLimit: DailyLimitReading | null }
  | { readonly type: 'duplicate' }
  | { readonly type: 'account'; readonly reason: string }
  | { readonly type: 'rejected'; readonly reason: string }
  | { readonly type: 'transient'; readonly reason: string };

function detailOf(error: ApiResponseError): string {
  const data = error.data as { detail?: unknown; title?: unknown; errors?: { message?: unknown }[] };
  if (typeof data.detail === 'string') return data.detail;
  const first = data.errors?.[0]?.message;
  if (typeof first === 'string') return first;
  return typeof data.title === 'string' ? data.title : error.message;
}

/** Sorts an error thrown by twitter-api-v2 (or anything else) into an {@link XFailureClass}. */
export function classifyXError(error: unknown, now: number): XFailureClass {
  if (!(error instanceof ApiResponseError)) {
    return { type: 'transient', reason: error instanceof Error ? error.message : String(error) };
  }
  const headers = error.headers as HeaderBag;
  const detail = detailOf(error);
  if (error.code === 429) {
    return {
      type: 'rateLimited',
      retryAt: rateLimitRetryAt(headers, now),
      dailyLimit: readDailyLimit(headers),
    };
  }
  if (error.code === 401) return { type: 'account', reason: `X answered 401 Unauthorized: ${detail}` };
  if (error.code === 403) {
    if (/duplicate content/i.test(detail)) return { type: 'duplicate' };
    if (/suspended|locked/i.test(detail)) return { type: 'account', reason: `X answered 403: ${detail}` };
    return { type: 'rejected', reason: `X answered 403: ${detail}` };
  }
  if (error.code >= 500 || error.code === 408)
    return { type: 'transient', reason: `X answered ${error.code}: ${detail}` };
  return { type: 'rejected', reason: `X answered ${error.code}: ${detail}` };
}

/** The two X API v2 calls the bot makes, over OAuth 1.0a user context, at a configurable base URL. */
export class XClient {
  private readonly api: TwitterApi;
  private readonly prefix: string;

  constructor(private readonly options: XClientOptions) {
    this.api = new TwitterApi(
      { ...options.credentials },
      options.httpAgent === undefined ? {} : { httpAgent: options.httpAgent },
    );
    this.prefix = `${options.apiUrl.replace(/\/+$/, '')}/2/`;
  }

  /** `GET /2/users/me`: who the credentials post as. Throws what twitter-api-v2 throws. */
  async me(): Promise<XAccount> {
    const result = await this.api.v2.get<{ data: XAccount }>('users/me', undefined, {
      prefix: this.prefix,
      timeout: this.options.timeoutMs,
    });
    return { id: result.data.id, username: result.data.username };
  }

  /** `POST /2/tweets`, as a reply when `replyTo` is given. Throws what twitter-api-v2 throws. */
  async createPost(text: string, replyTo: string | null): Promise<CreatedPost> {
    const body = replyTo === null ? { text } : { text, reply: { in_reply_to_tweet_id: replyTo } };
    const response = await this.api.v2.post<{ data: { id: string } }>('tweets', body, {
      prefix: this.prefix,
      timeout: this.options.timeoutMs,
      fullResponse: true,
    });
    return { id: response.data.data.id, dailyLimit: readDailyLimit(response.headers) };
  }
}
