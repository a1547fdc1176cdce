import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import twitterText from 'twitter-text';
import { EmulatedMediaEndpoints, type EmulatedMedia } from './x-emulator-media.js';
import {
  clientForbidden,
  DUPLICATE_DETAIL,
  invalidRequest,
  LOCKED_DETAIL,
  noCredits,
  oauthProblems,
  problem,
  RateLimitWindows,
  readOnlyToken,
  REPLY_RESTRICTED_DETAIL,
  SUSPENDED_DETAIL,
  textAsRead,
  type XEmulatorCredentials,
} from './x-emulator-protocol.js';

export { parseMultipart, parseOAuthHeader, type XEmulatorCredentials } from './x-emulator-protocol.js';
export type { EmulatedMedia } from './x-emulator-media.js';

/** A limit as X reports it in `x-user-limit-24hour-*` / `x-app-limit-24hour-*` headers (reset: epoch seconds). */
export interface LimitHeaders {
  readonly limit: number;
  readonly remaining: number;
  readonly reset: number;
}

/**
 * A scripted answer for a coming `POST /2/tweets`, consumed in order:
 * - `rateLimit`: 429 with `x-rate-limit-reset` and, when given, the 24-hour limit headers;
 * - `unavailable`: 503; `unauthorized`: 401; `duplicate`: X's duplicate-content 403;
 * - `suspended` / `locked`: the 403 X gives a suspended or locked account;
 * - `noCredits`: 402, the account has no API credits left;
 * - `readOnly`: the oauth1-permissions 403 X gives a token without write access;
 * - `clientForbidden`: the client-forbidden 403 X gives an app outside a Project;
 * - `replyRestricted`: the 403 X gives a reply it does not allow (a post that is no reply is handled normally);
 * - `acceptThenDrop`: creates the post, then destroys the socket before answering (a lost response);
 * - `acceptThenFail`: creates the post, then answers 503 (a 5xx after X accepted it);
 * - `hang`: never answers (the client must time out);
 * - `invalid`: 400 as X gives it, a generic `detail` with the specifics in `errors[]`;
 * - `mediaRefused`: 400 to a post that attaches media, as X answers an expired or unusable media id (a post
 *   without media is handled normally).
 */
export type XFailure =
  | {
      readonly kind: 'rateLimit';
      readonly resetAt: number;
      readonly user24h?: LimitHeaders;
      readonly app24h?: LimitHeaders;
    }
  | {
      readonly kind:
        | 'unavailable'
        | 'unauthorized'
        | 'duplicate'
        | 'suspended'
        | 'locked'
        | 'noCredits'
        | 'readOnly'
        | 'clientForbidden'
        | 'replyRestricted'
        | 'acceptThenDrop'
        | 'acceptThenFail'
        | 'hang'
        | 'invalid'
        | 'mediaRefused';
    };

/**
 * How every later request is answered: `suspended` / `locked` (403), `revoked` credentials (401), `noCredits` (402
 * on billed requests), `clientForbidden` (403 client-forbidden); `ok` restores it.
 */
export type AccountState = 'ok' | 'suspended' | 'locked' | 'revoked' | 'noCredits' | 'clientForbidden';

/** `x-access-level` of the token: `read` tokens get the oauth1-permissions 403 on every write. */
export type AccessLevel = 'read' | 'read-write' | 'read-write-directmessages';

export interface EmulatedPost {
  readonly id: string;
  readonly text: string;
  readonly replyTo: string | null;
  /** `media.media_ids` of the request: each one an upload the emulator finalized. */
  readonly mediaIds: readonly string[];
  readonly at: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Problems with the Authorization header, empty when it was well formed and correctly signed. */
  readonly authProblems: readonly string[];
}

function mediaIdsOf(body: unknown): string[] {
  const ids = (body as { media?: { media_ids?: unknown } }).media?.media_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

interface CreateBody {
  text?: unknown;
  reply?: { in_reply_to_tweet_id?: unknown };
  media?: { media_ids?: unknown };
}

function replyToOf(body: CreateBody): string | null {
  return typeof body.reply?.in_reply_to_tweet_id === 'string' ? body.reply.in_reply_to_tweet_id : null;
}

/** The account the credentials post as. */
export const EMULATED_ACCOUNT = { id: '4242', name: 'Layover Charts', username: 'layovercharts' } as const;

/**
 * A loopback HTTPS stand-in for the X API v2 (`GET /2/users/me`, `POST /2/tweets`, `GET /2/users/:id/tweets`, the
 * media upload and metadata endpoints) with a self-signed certificate made at start. It checks every request's
 * OAuth 1.0a header (every field present, HMAC-SHA1, version 1.0, and the signature itself), keeps the posts it
 * accepted, refuses duplicate texts and texts over 280 weighted characters (twitter-text) as X does, answers 400s
 * as X does (a generic `detail`, the specifics in `errors[]`), puts `x-rate-limit-*` on every answer and
 * `x-access-level` on `users/me`, can enforce a daily post limit with X's 24-hour limit headers, and answers
 * scripted failures queued with {@link XEmulator.fail}.
 */
export class XEmulator {
  readonly posts: EmulatedPost[] = [];
  readonly requests: RecordedRequest[] = [];
  private readonly mediaEndpoints: EmulatedMediaEndpoints;
  /** When false, a text already posted is accepted again (X's duplicate check is not a guarantee). */
  refuseDuplicates = true;
  private readonly failures: XFailure[] = [];
  private readonly failuresAt = new Map<number, XFailure>();
  private readonly replyFailures: XFailure[] = [];
  private staleReadsLeft = 0;
  private readonly lostAnswers = new Set<string>();
  private nextId = 1_700_000_000_000_000_000n;
  private accountState: AccountState = 'ok';
  private accessLevel: AccessLevel = 'read-write';
  private readonly rateWindows: RateLimitWindows;

  private constructor(
    private readonly server: Server,
    /** PEM of the self-signed certificate: give it to the client as its CA. */
    readonly ca: string,
    private readonly credentials: XEmulatorCredentials,
    private readonly options: { dailyLimit: number | null; now: () => number },
  ) {
    this.rateWindows = new RateLimitWindows(options.now);
    this.mediaEndpoints = new EmulatedMediaEndpoints({
      send: (...args) => this.send(...args),
      nextId: () => {
        this.nextId += 1n;
        return String(this.nextId);
      },
      now: options.now,
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, res, Buffer.concat(chunks));
        } catch (error) {
          this.send(req, res, 500, problem(500, 'Internal Error', String(error)), {}, []);
        }
      });
    });
  }

  static async start(
    credentials: XEmulatorCredentials,
    options: { dailyLimit?: number; now?: () => number } = {},
  ): Promise<XEmulator> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const server = createServer({ key: pems.private, cert: pems.cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new XEmulator(server, pems.cert, credentials, {
      dailyLimit: options.dailyLimit ?? null,
      now: options.now ?? Date.now,
    });
  }

  /** The base URL to use as `X_API_URL`. */
  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues scripted answers for the next `POST /2/tweets` requests, `times` times each. */
  fail(failure: XFailure, times = 1): void {
    for (let i = 0; i < times; i += 1) this.failures.push(failure);
  }

  /**
   * Makes the next `times` media requests (any of initialize, append, finalize, metadata) fail: 503, or 400 as X
   * answers a file it does not accept.
   */
  failMedia(kind: 'unavailable' | 'badRequest', times = 1): void {
    for (let i = 0; i < times; i += 1) this.mediaEndpoints.failures.push(kind);
  }

  /** Every upload begun, finalized or not. */
  get media(): EmulatedMedia[] {
    return this.mediaEndpoints.media;
  }

  /** Uploads that were finalized (the ones a post may attach). */
  finalizedMedia(): EmulatedMedia[] {
    return this.media.filter((m) => m.bytes !== null);
  }

  /** Queues scripted answers for the next `POST /2/tweets` requests that are replies. */
  failReply(failure: XFailure, times = 1): void {
    for (let i = 0; i < times; i += 1) this.replyFailures.push(failure);
  }

  /**
   * Makes the next `times` reads of `GET /2/users/:id/tweets` miss the posts whose answers were lost
   * (`acceptThenDrop`, `acceptThenFail`), as X's reads may lag a post just made.
   */
  staleReads(times = 1): void {
    this.staleReadsLeft += times;
  }

  /** Answers `failure` to the first `POST /2/tweets` that arrives when exactly `postCount` posts exist. */
  failAt(postCount: number, failure: XFailure): void {
    this.failuresAt.set(postCount, failure);
  }

  /** How every later request is answered (see {@link AccountState}). */
  setAccountState(state: AccountState): void {
    this.accountState = state;
  }

  /** The token's access level, reported in `x-access-level`; `read` refuses every write with oauth1-permissions. */
  setAccessLevel(level: AccessLevel): void {
    this.accessLevel = level;
  }

  /** Accepted posts, counted by text: a text present more than once would be a duplicate that got through. */
  postedTexts(): string[] {
    return this.posts.map((p) => p.text);
  }

  /** The requests made to an endpoint, e.g. `('GET', /^\/2\/users\/4242\/tweets/)`. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string>,
    authProblems: string[],
  ): void {
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', status, authProblems });
    const url = new URL(req.url ?? '/', 'https://x');
    res.writeHead(status, {
      'content-type': 'application/json',
      ...this.rateWindows.take(req.method ?? 'GET', url.pathname),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  /** Records a request that gets no answer (a dropped or hanging connection). */
  private unanswered(req: IncomingMessage): void {
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', status: 0, authProblems: [] });
  }

  private limitHeaders(): Record<string, string> {
    if (this.options.dailyLimit === null) return {};
    const now = this.options.now();
    const recent = this.posts.filter((p) => p.at > now - 86_400_000);
    const oldest = recent[0]?.at ?? now;
    const reset = String(Math.ceil((oldest + 86_400_000) / 1000));
    const remaining = String(Math.max(0, this.options.dailyLimit - recent.length));
    return {
      'x-user-limit-24hour-limit': String(this.options.dailyLimit),
      'x-user-limit-24hour-remaining': remaining,
      'x-user-limit-24hour-reset': reset,
      'x-app-limit-24hour-limit': String(this.options.dailyLimit * 100),
      'x-app-limit-24hour-remaining': String(this.options.dailyLimit * 100 - recent.length),
      'x-app-limit-24hour-reset': reset,
    };
  }

  /** The answer every request gets in the current account state, or null when it is handled normally. */
  private accountAnswer(req: IncomingMessage, url: URL): [number, unknown] | null {
    switch (this.accountState) {
      case 'ok':
        return null;
      case 'revoked':
        return [401, problem(401, 'Unauthorized', 'Unauthorized')];
      case 'suspended':
        return [403, problem(403, 'Forbidden', SUSPENDED_DETAIL)];
      case 'locked':
        return [403, problem(403, 'Forbidden', LOCKED_DETAIL)];
      case 'clientForbidden':
        return [403, clientForbidden()];
      case 'noCredits':
        // Every billed request; the media upload itself is free.
        return req.method === 'POST' && url.pathname.startsWith('/2/media/upload')
          ? null
          : [402, noCredits()];
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const rawBody = raw.toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const authProblems = oauthProblems(req, url, this.credentials);
    if (authProblems.length > 0) {
      this.send(req, res, 401, problem(401, 'Unauthorized', 'Unauthorized'), {}, authProblems);
      return;
    }
    const refused = this.accountAnswer(req, url);
    if (refused !== null) {
      this.send(req, res, refused[0], refused[1], {}, []);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/2/users/me') {
      this.send(req, res, 200, { data: { ...EMULATED_ACCOUNT } }, { 'x-access-level': this.accessLevel }, []);
      return;
    }
    const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(url.pathname);
    if (req.method === 'GET' && timeline !== null) {
      this.userPosts(req, res, timeline[1] as string, url.searchParams);
      return;
    }
    if (req.method === 'POST' && (url.pathname === '/2/tweets' || url.pathname.startsWith('/2/media/'))) {
      if (this.accessLevel === 'read') {
        this.send(req, res, 403, readOnlyToken(), {}, []);
        return;
      }
      if (url.pathname === '/2/tweets') this.createPost(req, res, rawBody);
      else this.mediaEndpoints.handle(req, res, url.pathname, raw);
      return;
    }
    this.send(req, res, 404, problem(404, 'Not Found Error', `no route ${url.pathname}`), {}, []);
  }

  /** `GET /2/users/:id/tweets`: the account's own posts, newest first, texts as X gives them back on reads. */
  private userPosts(req: IncomingMessage, res: ServerResponse, userId: string, query: URLSearchParams): void {
    const max = Number(query.get('max_results') ?? '10');
    const problems: { message: string; parameters: Record<string, unknown> }[] = [];
    if (!Number.isInteger(max) || max < 5 || max > 100) {
      problems.push({
        message: `The \`max_results\` query parameter value [${query.get('max_results')}] is not between 5 and 100`,
        parameters: { max_results: [query.get('max_results')] },
      });
    }
    if (!/^\d{1,19}$/.test(userId)) {
      problems.push({
        message: `The \`id\` query parameter value [${userId}] does not match ^[0-9]{1,19}$`,
        parameters: { id: [userId] },
      });
    }
    if (problems.length > 0) {
      this.send(req, res, 400, invalidRequest(problems), {}, []);
      return;
    }
    let own = userId === EMULATED_ACCOUNT.id ? this.posts : [];
    if (this.staleReadsLeft > 0) {
      this.staleReadsLeft -= 1;
      own = own.filter((p) => !this.lostAnswers.has(p.id));
    }
    const page = [...own].reverse().slice(0, max);
    const data = page.map((p) => ({
      id: p.id,
      text: textAsRead(p.text, p.mediaIds.length > 0, p.id),
      edit_history_tweet_ids: [p.id],
    }));
    const meta =
      data.length === 0
        ? { result_count: 0 }
        : { result_count: data.length, newest_id: data[0]?.id, oldest_id: data.at(-1)?.id };
    this.send(req, res, 200, data.length === 0 ? { meta } : { data, meta }, {}, []);
  }

  private createPost(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const scheduled = this.failuresAt.get(this.posts.length);
    this.failuresAt.delete(this.posts.length);
    const body = JSON.parse(rawBody) as CreateBody;
    const replyFailure = replyToOf(body) === null ? undefined : this.replyFailures.shift();
    const failure = scheduled ?? replyFailure ?? this.failures.shift();
    if (failure !== undefined && this.answerFailure(failure, req, res, rawBody)) return;
    const refusal = this.refusal(body);
    if (refusal !== null) {
      this.send(req, res, refusal[0], refusal[1], refusal[0] === 429 ? this.limitHeaders() : {}, []);
      return;
    }
    const post = this.record(body.text as string, replyToOf(body), mediaIdsOf(body));
    this.send(
      req,
      res,
      201,
      { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } },
      this.limitHeaders(),
      [],
    );
  }

  /** Why X would refuse this post (status and body), or null when it is accepted. */
  private refusal(body: CreateBody): [number, unknown] | null {
    if (typeof body.text !== 'string' || body.text === '') {
      return [400, invalidRequest([{ message: '$.text: is required', parameters: { text: [] } }])];
    }
    const parsed = twitterText.parseTweet(body.text);
    if (!parsed.valid) {
      return [
        400,
        invalidRequest([
          {
            message: `$.text: weighted length ${parsed.weightedLength} is over 280 (or the text has invalid characters)`,
            parameters: { text: [body.text] },
          },
        ]),
      ];
    }
    if (this.limitHeaders()['x-user-limit-24hour-remaining'] === '0') {
      return [429, problem(429, 'Too Many Requests', 'Too Many Requests')];
    }
    if (this.refuseDuplicates && this.posts.some((p) => p.text === body.text)) {
      return [403, problem(403, 'Forbidden', DUPLICATE_DETAIL)];
    }
    const mediaIds = mediaIdsOf(body);
    const unknown = mediaIds.filter((id) => !this.finalizedMedia().some((m) => m.id === id));
    if (mediaIds.length > 4 || unknown.length > 0) {
      const message =
        mediaIds.length > 4
          ? '$.media.media_ids: at most 4 items'
          : `$.media.media_ids: media not uploaded: ${unknown.join(', ')}`;
      return [400, invalidRequest([{ message, parameters: { media_ids: mediaIds } }])];
    }
    const replyTo = replyToOf(body);
    if (replyTo !== null && !this.posts.some((p) => p.id === replyTo)) {
      return [
        400,
        invalidRequest([
          {
            message: `$.reply.in_reply_to_tweet_id: post ${replyTo} does not exist`,
            parameters: { in_reply_to_tweet_id: [replyTo] },
          },
        ]),
      ];
    }
    return null;
  }

  private record(text: string, replyTo: string | null, mediaIds: readonly string[]): EmulatedPost {
    this.nextId += 1n;
    const post = { id: String(this.nextId), text, replyTo, mediaIds, at: this.options.now() };
    this.posts.push(post);
    return post;
  }

  /** Answers a scripted failure; returns false when the request should be handled normally after all. */
  private answerFailure(
    failure: XFailure,
    req: IncomingMessage,
    res: ServerResponse,
    rawBody: string,
  ): boolean {
    switch (failure.kind) {
      case 'rateLimit': {
        const headers: Record<string, string> = {
          'x-rate-limit-limit': '100',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(failure.resetAt),
        };
        for (const [name, limit] of [
          ['user', failure.user24h],
          ['app', failure.app24h],
        ] as const) {
          if (limit === undefined) continue;
          headers[`x-${name}-limit-24hour-limit`] = String(limit.limit);
          headers[`x-${name}-limit-24hour-remaining`] = String(limit.remaining);
          headers[`x-${name}-limit-24hour-reset`] = String(limit.reset);
        }
        this.send(req, res, 429, problem(429, 'Too Many Requests', 'Too Many Requests'), headers, []);
        return true;
      }
      case 'unavailable':
        this.send(req, res, 503, problem(503, 'Service Unavailable', 'Service Unavailable'), {}, []);
        return true;
      case 'unauthorized':
        this.send(req, res, 401, problem(401, 'Unauthorized', 'Unauthorized'), {}, []);
        return true;
      case 'duplicate':
        this.send(req, res, 403, problem(403, 'Forbidden', DUPLICATE_DETAIL), {}, []);
        return true;
      case 'suspended':
      case 'locked':
        this.send(
          req,
          res,
          403,
          problem(403, 'Forbidden', failure.kind === 'suspended' ? SUSPENDED_DETAIL : LOCKED_DETAIL),
          {},
          [],
        );
        return true;
      case 'noCredits':
        this.send(req, res, 402, noCredits(), {}, []);
        return true;
      case 'readOnly':
        this.send(req, res, 403, readOnlyToken(), {}, []);
        return true;
      case 'clientForbidden':
        this.send(req, res, 403, clientForbidden(), {}, []);
        return true;
      case 'replyRestricted': {
        if (replyToOf(JSON.parse(rawBody) as CreateBody) === null) {
          this.failures.unshift(failure);
          return false;
        }
        this.send(req, res, 403, problem(403, 'Forbidden', REPLY_RESTRICTED_DETAIL), {}, []);
        return true;
      }
      case 'acceptThenDrop':
      case 'acceptThenFail': {
        const body = JSON.parse(rawBody) as CreateBody;
        if (this.refusal(body) !== null) return false;
        this.lostAnswers.add(this.record(body.text as string, replyToOf(body), mediaIdsOf(body)).id);
        if (failure.kind === 'acceptThenFail') {
          this.send(req, res, 503, problem(503, 'Service Unavailable', 'Service Unavailable'), {}, []);
        } else {
          this.unanswered(req);
          req.socket.destroy();
        }
        return true;
      }
      case 'mediaRefused': {
        const ids = mediaIdsOf(JSON.parse(rawBody));
        if (ids.length === 0) {
          // Kept for the next post that does attach media.
          this.failures.unshift(failure);
          return false;
        }
        this.send(
          req,
          res,
          400,
          invalidRequest([
            { message: `$.media.media_ids: media ${ids.join(', ')} expired`, parameters: { media_ids: ids } },
          ]),
          {},
          [],
        );
        return true;
      }
      case 'hang':
        this.unanswered(req);
        return true;
      case 'invalid':
        this.send(
          req,
          res,
          400,
          invalidRequest([
            { message: '$.text: this text is not accepted (emulated refusal)', parameters: { text: [] } },
          ]),
          {},
          [],
        );
        return true;
    }
  }
}
