import type { Agent } from 'node:http';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { rateLimitRetryAt, readDailyLimit, type DailyLimitReading, type HeaderBag } from './x-limits.js';
import { errorMessage } from '../../error-message.js';

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

/** Media uploaded to X, ready to attach to a post until `expiresAt` (epoch ms). */
export interface UploadedMedia {
  readonly id: string;
  readonly expiresAt: number;
}

/** The chunk size of `POST /2/media/upload/{id}/append` (X accepts up to 5 MB; a card is about 100 KB). */
const MEDIA_CHUNK_BYTES = 1024 * 1024;

export interface CreatedPost {
  readonly id: string;
  readonly dailyLimit: DailyLimitReading | null;
}

/**
 * What went wrong with an X request, sorted by what to do about it:
 * - `rateLimited`: wait until `retryAt` (epoch ms);
 * - `duplicate`: X already has this exact text (403 whose `detail` says duplicate content);
 * - `account`: 401; 402 (no API credits left); 403 for a token without write access (oauth1-permissions), an app
 *   X does not serve (client-forbidden), or a suspended or locked account: stop posting until a person looks;
 * - `replyRefused`: X does not allow this reply (403 reply restriction); the text may still go out on its own;
 * - `rejected`: any other 4xx: this post can never go out as it is;
 * - `transient`: 5xx, timeouts, dropped connections: retry with backoff. X may have made the post all the same.
 */
export type XFailureClass =
  | { readonly type: 'rateLimited'; readonly retryAt: number; readonly dailyLimit: DailyLimitReading | null }
  | { readonly type: 'duplicate' }
  | { readonly type: 'account'; readonly reason: string }
  | { readonly type: 'replyRefused'; readonly reason: string }
  | { readonly type: 'rejected'; readonly reason: string }
  | { readonly type: 'transient'; readonly reason: string };

interface ProblemData {
  detail?: unknown;
  title?: unknown;
  type?: unknown;
  errors?: { message?: unknown }[];
}

/**
 * What X said, specifics included: its `detail` (or `title`), followed by every `errors[].message`. A 400's
 * `detail` is generic ("One or more parameters to your request was invalid."); what was wrong is only in `errors`.
 */
export function describeXProblem(error: ApiResponseError): string {
  const data = (error.data ?? {}) as ProblemData;
  const head =
    typeof data.detail === 'string'
      ? data.detail
      : typeof data.title === 'string'
        ? data.title
        : error.message;
  const specifics = (data.errors ?? [])
    .map((e) => e.message)
    .filter((m): m is string => typeof m === 'string' && m !== head);
  return specifics.length === 0 ? head : `${head} (${specifics.join('; ')})`;
}

function problemType(error: ApiResponseError): string {
  const type = (error.data as ProblemData | undefined)?.type;
  return typeof type === 'string' ? type : '';
}

/** The settings to fix when X says the token may not write. */
export const READ_ONLY_FIX =
  'in the X developer portal set the app\'s permissions to "Read and write", then regenerate the Access Token and ' +
  'Secret and put them in X_ACCESS_TOKEN and X_ACCESS_SECRET (tokens made earlier stay read-only)';

const replyRestriction =
  /reply to this conversation is not allowed|not allowed to reply|replies? (is|are) (restricted|limited)/i;

/** Sorts an error thrown by twitter-api-v2 (or anything else) into an {@link XFailureClass}. */
export function classifyXError(error: unknown, now: number): XFailureClass {
  if (!(error instanceof ApiResponseError)) {
    return { type: 'transient', reason: errorMessage(error) };
  }
  const headers = error.headers as HeaderBag;
  const detail = describeXProblem(error);
  const type = problemType(error);
  if (error.code === 429) {
    return {
      type: 'rateLimited',
      retryAt: rateLimitRetryAt(headers, now),
      dailyLimit: readDailyLimit(headers),
    };
  }
  if (error.code === 401) return { type: 'account', reason: `X answered 401 Unauthorized: ${detail}` };
  if (error.code === 402) {
    return {
      type: 'account',
      reason: `X answered 402 Payment Required: ${detail} Buy X API credits in the X Developer Console`,
    };
  }
  if (error.code === 403) {
    if (/duplicate content/i.test(detail)) return { type: 'duplicate' };
    if (type.endsWith('/oauth1-permissions')) {
      return {
        type: 'account',
        reason: `X answered 403: ${detail} The token is read-only: ${READ_ONLY_FIX}`,
      };
    }
    if (type.endsWith('/client-forbidden') || type.endsWith('/client-not-enrolled')) {
      return {
        type: 'account',
        reason: `X answered 403 Client Forbidden: ${detail} The app in X_APP_KEY must belong to a Project with API access`,
      };
    }
    if (/suspended|locked/i.test(detail)) return { type: 'account', reason: `X answered 403: ${detail}` };
    if (replyRestriction.test(detail)) return { type: 'replyRefused', reason: `X answered 403: ${detail}` };
    return { type: 'rejected', reason: `X answered 403: ${detail}` };
  }
  if (error.code >= 500 || error.code === 408)
    return { type: 'transient', reason: `X answered ${error.code}: ${detail}` };
  return { type: 'rejected', reason: `X answered ${error.code}: ${detail}` };
}

/** One of the account's own posts as X gives it back on reads (see {@link sameXText}). */
export interface OwnPost {
  readonly id: string;
  readonly text: string;
}

function readableText(text: string): string {
  return text
    .replace(/(\s+https:\/\/t\.co\/\w+)+\s*$/u, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .normalize('NFC')
    .trim();
}

/**
 * Whether a post X gave back on a read is the text we sent: reads escape `&`, `<` and `>` and append a t.co link
 * for attached media, so both are undone before comparing.
 */
export function sameXText(read: string, sent: string): boolean {
  return readableText(read) === readableText(sent);
}

/** The X API v2 calls the bot makes (users/me, tweets, media upload and metadata), over OAuth 1.0a user context, at a configurable base URL. */
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

  /**
   * `GET /2/users/me`: who the credentials post as, and the token's `x-access-level` (`read`, `read-write`,
   * `read-write-directmessages`; null when X sends none). Throws what twitter-api-v2 throws.
   */
  async me(): Promise<XAccount & { readonly accessLevel: string | null }> {
    const result = await this.api.v2.get<{ data: XAccount }>('users/me', undefined, {
      prefix: this.prefix,
      timeout: this.options.timeoutMs,
      fullResponse: true,
    });
    const level = (result.headers as HeaderBag)['x-access-level'];
    return {
      id: result.data.data.id,
      username: result.data.data.username,
      accessLevel: (Array.isArray(level) ? level[0] : level) ?? null,
    };
  }

  /**
   * `GET /2/users/:id/tweets`: the account's `max` (5 to 100) most recent posts, newest first, retweets left out.
   * Used to find a post whose answer was lost. Throws what twitter-api-v2 throws.
   */
  async recentPosts(userId: string, max: number): Promise<OwnPost[]> {
    const result = await this.api.v2.get<{ data?: OwnPost[] }>(
      `users/${encodeURIComponent(userId)}/tweets`,
      { max_results: Math.min(100, Math.max(5, max)), exclude: 'retweets' },
      { prefix: this.prefix, timeout: this.options.timeoutMs },
    );
    return (result.data ?? []).map((p) => ({ id: p.id, text: p.text }));
  }

  /**
   * `POST /2/tweets`, as a reply when `replyTo` is given, with `mediaIds` attached when there are any. Throws what
   * twitter-api-v2 throws.
   */
  async createPost(
    text: string,
    replyTo: string | null,
    mediaIds: readonly string[] = [],
  ): Promise<CreatedPost> {
    const body: Record<string, unknown> = { text };
    if (replyTo !== null) body.reply = { in_reply_to_tweet_id: replyTo };
    if (mediaIds.length > 0) body.media = { media_ids: [...mediaIds] };
    const response = await this.api.v2.post<{ data: { id: string } }>('tweets', body, {
      prefix: this.prefix,
      timeout: this.options.timeoutMs,
      fullResponse: true,
    });
    return { id: response.data.data.id, dailyLimit: readDailyLimit(response.headers) };
  }

  /**
   * Uploads an image with the v2 chunked upload (`POST /2/media/upload/initialize`, `…/{id}/append` as
   * multipart/form-data, `…/{id}/finalize`), then sets its alt text (`POST /2/media/metadata`). twitter-api-v2's
   * own `uploadMedia` / `createMediaMetadata` always call api.x.com, so the same steps are made here through
   * `v2.post` with `X_API_URL` as prefix. Images need no processing, so there is no STATUS polling. Throws what
   * twitter-api-v2 throws.
   */
  async uploadImage(
    data: Buffer,
    mediaType: 'image/png' | 'image/jpeg',
    altText: string,
    now: number = Date.now(),
  ): Promise<UploadedMedia> {
    const options = { prefix: this.prefix, timeout: this.options.timeoutMs };
    const init = await this.api.v2.post<{ data: { id: string; expires_after_secs?: number } }>(
      'media/upload/initialize',
      { media_type: mediaType, total_bytes: data.length, media_category: 'tweet_image' },
      options,
    );
    const id = init.data.id;
    for (let index = 0, offset = 0; offset < data.length; index += 1, offset += MEDIA_CHUNK_BYTES) {
      await this.api.v2.post(
        `media/upload/${id}/append`,
        { segment_index: index, media: data.subarray(offset, offset + MEDIA_CHUNK_BYTES) },
        { ...options, forceBodyMode: 'form-data' },
      );
    }
    await this.api.v2.post(`media/upload/${id}/finalize`, undefined, options);
    await this.api.v2.post('media/metadata', { id, metadata: { alt_text: { text: altText } } }, options);
    const lifetimeS = init.data.expires_after_secs ?? 86_400;
    return { id, expiresAt: now + lifetimeS * 1000 };
  }
}
