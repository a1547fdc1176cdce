import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/** The OAuth 1.0a credentials the emulator accepts (the same four values the bot reads from `X_*`). */
export interface XEmulatorCredentials {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
}

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
 * - `acceptThenDrop`: creates the post, then destroys the socket before answering (a lost response);
 * - `hang`: never answers (the client must time out).
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
        'unavailable' | 'unauthorized' | 'duplicate' | 'suspended' | 'locked' | 'acceptThenDrop' | 'hang';
    };

export type AccountState = 'ok' | 'suspended' | 'locked' | 'revoked';

export interface EmulatedPost {
  readonly id: string;
  readonly text: string;
  readonly replyTo: string | null;
  readonly at: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Problems with the Authorization header, empty when it was well formed and correctly signed. */
  readonly authProblems: readonly string[];
}

const DUPLICATE_DETAIL = 'You are not allowed to create a Tweet with duplicate content.';
const REQUIRED_OAUTH = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_signature',
] as const;

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Parses `OAuth k="v", …`; null when the header is not an OAuth header. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | null {
  if (header === undefined || !header.startsWith('OAuth ')) return null;
  const params = new Map<string, string>();
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (match === null) return null;
    params.set(match[1] as string, decodeURIComponent(match[2] as string));
  }
  return params;
}

/**
 * A loopback HTTPS stand-in for the X API v2 (`POST /2/tweets`, `GET /2/users/me`) with a self-signed certificate
 * made at start. It checks every request's OAuth 1.0a header (every field present, HMAC-SHA1, version 1.0, and the
 * signature itself), keeps the posts it accepted, refuses duplicate texts as X does, can enforce a daily post limit
 * with X's 24-hour limit headers, and answers scripted failures queued with {@link XEmulator.fail}.
 */
export class XEmulator {
  readonly posts: EmulatedPost[] = [];
  readonly requests: RecordedRequest[] = [];
  private readonly failures: XFailure[] = [];
  private readonly failuresAt = new Map<number, XFailure>();
  private nextId = 1_700_000_000_000_000_000n;
  private accountState: AccountState = 'ok';

  private constructor(
    private readonly server: Server,
    /** PEM of the self-signed certificate: give it to the client as its CA. */
    readonly ca: string,
    private readonly credentials: XEmulatorCredentials,
    private readonly options: { dailyLimit: number | null; now: () => number },
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
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

  /** Answers `failure` to the first `POST /2/tweets` that arrives when exactly `postCount` posts exist. */
  failAt(postCount: number, failure: XFailure): void {
    this.failuresAt.set(postCount, failure);
  }

  /**
   * Makes every later request answer as X does for a suspended or locked account (403), or for revoked
   * credentials (401); `ok` restores it.
   */
  setAccountState(state: AccountState): void {
    this.accountState = state;
  }

  /** Accepted posts, counted by text: a text present more than once would be a duplicate that got through. */
  postedTexts(): string[] {
    return this.posts.map((p) => p.text);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authProblems(req: IncomingMessage, url: URL): string[] {
    const params = parseOAuthHeader(req.headers.authorization);
    if (params === null) return ['missing or malformed OAuth Authorization header'];
    const problems: string[] = [];
    for (const name of REQUIRED_OAUTH) if (!params.has(name)) problems.push(`missing ${name}`);
    if (problems.length > 0) return problems;
    if (params.get('oauth_signature_method') !== 'HMAC-SHA1')
      problems.push('oauth_signature_method is not HMAC-SHA1');
    if (params.get('oauth_version') !== '1.0') problems.push('oauth_version is not 1.0');
    if (!/^\d+$/.test(params.get('oauth_timestamp') ?? '')) problems.push('oauth_timestamp is not a number');
    if ((params.get('oauth_nonce') ?? '') === '') problems.push('oauth_nonce is empty');
    if (params.get('oauth_consumer_key') !== this.credentials.appKey) problems.push('unknown consumer key');
    if (params.get('oauth_token') !== this.credentials.accessToken) problems.push('unknown token');
    const signed = [...params].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
    for (const [k, v] of url.searchParams) signed.push([k, v]);
    const normalized = signed
      .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
      .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const base = [req.method ?? 'GET', rfc3986(`${url.origin}${url.pathname}`), rfc3986(normalized)].join(
      '&',
    );
    const key = `${rfc3986(this.credentials.appSecret)}&${rfc3986(this.credentials.accessSecret)}`;
    const expected = createHmac('sha1', key).update(base).digest('base64');
    if (params.get('oauth_signature') !== expected) problems.push('oauth_signature does not match');
    return problems;
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
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private problem(status: number, title: string, detail: string) {
    return { title, detail, type: 'about:blank', status };
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

  private handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const authProblems = this.authProblems(req, url);
    if (authProblems.length > 0) {
      this.send(req, res, 401, this.problem(401, 'Unauthorized', 'Unauthorized'), {}, authProblems);
      return;
    }
    if (this.accountState === 'revoked') {
      this.send(req, res, 401, this.problem(401, 'Unauthorized', 'Unauthorized'), {}, []);
      return;
    }
    if (this.accountState !== 'ok') {
      const detail =
        this.accountState === 'suspended'
          ? 'Your account is suspended and is not permitted to access this feature.'
          : 'Your account is temporarily locked. Please log in to https://x.com to unlock your account.';
      this.send(req, res, 403, this.problem(403, 'Forbidden', detail), {}, []);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/2/users/me') {
      this.send(
        req,
        res,
        200,
        { data: { id: '4242', name: 'Layover Charts', username: 'layovercharts' } },
        {},
        [],
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/2/tweets') {
      this.createPost(req, res, rawBody);
      return;
    }
    this.send(req, res, 404, this.problem(404, 'Not Found Error', `no route ${url.pathname}`), {}, []);
  }

  private createPost(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const scheduled = this.failuresAt.get(this.posts.length);
    this.failuresAt.delete(this.posts.length);
    const failure = scheduled ?? this.failures.shift();
    if (failure !== undefined && this.answerFailure(failure, req, res, rawBody)) return;
    const body = JSON.parse(rawBody) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
    if (typeof body.text !== 'string' || body.text === '') {
      this.send(req, res, 400, this.problem(400, 'Invalid Request', 'text is required'), {}, []);
      return;
    }
    const headers = this.limitHeaders();
    if (headers['x-user-limit-24hour-remaining'] === '0') {
      this.send(req, res, 429, this.problem(429, 'Too Many Requests', 'Too Many Requests'), headers, []);
      return;
    }
    if (this.posts.some((p) => p.text === body.text)) {
      this.send(req, res, 403, this.problem(403, 'Forbidden', DUPLICATE_DETAIL), headers, []);
      return;
    }
    const replyTo =
      typeof body.reply?.in_reply_to_tweet_id === 'string' ? body.reply.in_reply_to_tweet_id : null;
    if (replyTo !== null && !this.posts.some((p) => p.id === replyTo)) {
      this.send(
        req,
        res,
        400,
        this.problem(400, 'Invalid Request', 'in_reply_to_tweet_id not found'),
        {},
        [],
      );
      return;
    }
    const post = this.record(body.text, replyTo);
    this.send(
      req,
      res,
      201,
      { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } },
      {
        ...this.limitHeaders(),
      },
      [],
    );
  }

  private record(text: string, replyTo: string | null): EmulatedPost {
    this.nextId += 1n;
    const post = { id: String(this.nextId), text, replyTo, at: this.options.now() };
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
        this.send(req, res, 429, this.problem(429, 'Too Many Requests', 'Too Many Requests'), headers, []);
        return true;
      }
      case 'unavailable':
        this.send(req, res, 503, this.problem(503, 'Service Unavailable', 'Service Unavailable'), {}, []);
        return true;
      case 'unauthorized':
        this.send(req, res, 401, this.problem(401, 'Unauthorized', 'Unauthorized'), {}, []);
        return true;
      case 'duplicate':
        this.send(req, res, 403, this.problem(403, 'Forbidden', DUPLICATE_DETAIL), {}, []);
        return true;
      case 'suspended':
      case 'locked':
        this.send(
          req,
          res,
          403,
          this.problem(
            403,
            'Forbidden',
            failure.kind === 'suspended'
              ? 'Your account is suspended and is not permitted to access this feature.'
              : 'Your account is temporarily locked. Please log in to https://x.com to unlock your account.',
          ),
          {},
          [],
        );
        return true;
      case 'acceptThenDrop': {
        const body = JSON.parse(rawBody) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
        if (typeof body.text !== 'string' || this.posts.some((p) => p.text === body.text)) return false;
        const replyTo =
          typeof body.reply?.in_reply_to_tweet_id === 'string' ? body.reply.in_reply_to_tweet_id : null;
        this.record(body.text, replyTo);
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', status: 0, authProblems: [] });
        req.socket.destroy();
        return true;
      }
      case 'hang':
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', status: 0, authProblems: [] });
        return true;
    }
  }
}
