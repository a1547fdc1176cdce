import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The OAuth 1.0a credentials the emulator accepts (the same four values the bot reads from `X_*`). */
export interface XEmulatorCredentials {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
}

/** X's problem types (`type` of an error body), as its API documents them. */
export const problemTypes = {
  invalidRequest: 'https://api.twitter.com/2/problems/invalid-request',
  oauth1Permissions: 'https://api.twitter.com/2/problems/oauth1-permissions',
  clientForbidden: 'https://api.twitter.com/2/problems/client-forbidden',
  credits: 'https://api.twitter.com/2/problems/credits',
  notFound: 'https://api.twitter.com/2/problems/resource-not-found',
} as const;

export const DUPLICATE_DETAIL = 'You are not allowed to create a Tweet with duplicate content.';
export const SUSPENDED_DETAIL = 'Your account is suspended and is not permitted to access this feature.';
export const LOCKED_DETAIL =
  'Your account is temporarily locked. Please log in to https://x.com to unlock your account.';
export const REPLY_RESTRICTED_DETAIL =
  'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the ' +
  'author of the post you are replying to.';

export interface ProblemBody {
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly status: number;
  readonly [extra: string]: unknown;
}

export function problem(status: number, title: string, detail: string, type = 'about:blank'): ProblemBody {
  return { title, detail, type, status };
}

/**
 * A 400 as X gives it: a generic `title`, `detail` and `type`, the specifics only in `errors[]` (each with the
 * parameters it is about).
 */
export function invalidRequest(
  errors: readonly { message: string; parameters?: Record<string, unknown> }[],
): ProblemBody & { errors: { message: string; parameters: Record<string, unknown> }[] } {
  return {
    errors: errors.map((e) => ({ message: e.message, parameters: e.parameters ?? {} })),
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: problemTypes.invalidRequest,
    status: 400,
  };
}

export const noCredits = (): ProblemBody => ({
  title: 'CreditsDepleted',
  detail: 'Your enrolled account does not have any credits to fulfill this request.',
  type: problemTypes.credits,
  status: 402,
});

export const readOnlyToken = (): ProblemBody =>
  problem(
    403,
    'Forbidden',
    'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
    problemTypes.oauth1Permissions,
  );

export const clientForbidden = (): ProblemBody => ({
  client_id: '31337',
  detail:
    'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter ' +
    'developer App that is attached to a Project. You can create a project via the developer portal.',
  registration_url: 'https://developer.x.com/en/docs/projects/overview',
  title: 'Client Forbidden',
  required_enrollment: 'Appropriate Level of API Access',
  reason: 'client-not-enrolled',
  type: problemTypes.clientForbidden,
  status: 403,
});

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
 * Problems with a request's OAuth 1.0a header: every field present, HMAC-SHA1, version 1.0, the known consumer key
 * and token, and the signature itself over method, URL and query. Empty when it is well formed and correctly signed.
 */
export function oauthProblems(req: IncomingMessage, url: URL, credentials: XEmulatorCredentials): string[] {
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
  if (params.get('oauth_consumer_key') !== credentials.appKey) problems.push('unknown consumer key');
  if (params.get('oauth_token') !== credentials.accessToken) problems.push('unknown token');
  const signed = [...params].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
  for (const [k, v] of url.searchParams) signed.push([k, v]);
  const normalized = signed
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [req.method ?? 'GET', rfc3986(`${url.origin}${url.pathname}`), rfc3986(normalized)].join('&');
  const key = `${rfc3986(credentials.appSecret)}&${rfc3986(credentials.accessSecret)}`;
  const expected = createHmac('sha1', key).update(base).digest('base64');
  if (params.get('oauth_signature') !== expected) problems.push('oauth_signature does not match');
  return problems;
}

/**
 * The fields of a multipart/form-data body, as bytes. (The platform's `Response.formData` turns a part without a
 * filename into a string, which would corrupt binary chunks: twitter-api-v2 sends `media` without one, as X allows.)
 */
export function parseMultipart(raw: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const delimiter = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  const fields = new Map<string, Buffer>();
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (headerEnd !== -1 && name !== undefined) fields.set(name, Buffer.from(part.subarray(headerEnd + 4)));
    start = next;
  }
  return fields;
}

/** X's 15-minute request windows per endpoint, for the `x-rate-limit-*` headers every answer carries. */
const WINDOW_MS = 15 * 60_000;
const endpointLimits: readonly [RegExp, string, number][] = [
  [/^GET \/2\/users\/me$/, 'GET users/me', 75],
  [/^POST \/2\/tweets$/, 'POST tweets', 100],
  [/^GET \/2\/users\/[^/]+\/tweets$/, 'GET users/:id/tweets', 900],
  [/^POST \/2\/media\//, 'POST media', 500],
];

/** Counts requests per endpoint in 15-minute windows and says what `x-rate-limit-*` reports. */
export class RateLimitWindows {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly now: () => number) {}

  /** Counts one request to `method path` and returns its `x-rate-limit-limit/remaining/reset` headers. */
  take(method: string, path: string): Record<string, string> {
    const line = `${method} ${path}`;
    const [, name, limit] = endpointLimits.find(([pattern]) => pattern.test(line)) ?? [null, line, 50];
    const now = this.now();
    let window = this.windows.get(name);
    if (window === undefined || now >= window.start + WINDOW_MS) {
      window = { start: now, used: 0 };
      this.windows.set(name, window);
    }
    window.used += 1;
    return {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - window.used)),
      'x-rate-limit-reset': String(Math.ceil((window.start + WINDOW_MS) / 1000)),
    };
  }
}

/** How X gives a post's text back on reads: `&`, `<`, `>` escaped, and a t.co link for attached media appended. */
export function textAsRead(text: string, hasMedia: boolean, id: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return hasMedia ? `${escaped} https://t.co/${id.slice(-10)}` : escaped;
}
