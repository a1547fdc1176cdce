import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface YoutubeEmulator {
  /** For YOUTUBE_API_URL: `http://127.0.0.1:<port>/youtube/v3`. */
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Views by YouTube id; a video not listed does not exist or is private (it is left out of `items`, as YouTube does). */
  readonly views: Map<string, number>;
  /** Quota units left today; each videos.list call costs 1, refused ones too. */
  quotaLeft: number;
  /** A body to send as it is instead of the real answer (fuzzing); the call is still checked and charged. */
  raw: { body: string; status?: number } | null;
  /** The `id` parameter of every videos.list call that reached the id check, in order. */
  readonly calls: string[][];
  /** Every request URL, to check that the key never travels in one. */
  readonly urls: string[];
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** Google's error envelope: `{"error": {"code", "message", "errors": [{message, domain, reason}], "status"?, "details"?}}`. */
function googleError(
  response: ServerResponse,
  code: number,
  message: string,
  reason: string,
  domain: string,
  extra: { status?: string; details?: unknown[]; location?: string } = {},
): void {
  const error = {
    message,
    domain,
    reason,
    ...(extra.location === undefined ? {} : { location: extra.location, locationType: 'parameter' }),
  };
  send(response, code, {
    error: {
      code,
      message,
      errors: [error],
      ...(extra.status === undefined ? {} : { status: extra.status }),
      ...(extra.details === undefined ? {} : { details: extra.details }),
    },
  });
}

const videoParts = new Set([
  'contentDetails',
  'fileDetails',
  'id',
  'liveStreamingDetails',
  'localizations',
  'player',
  'processingDetails',
  'recordingDetails',
  'snippet',
  'statistics',
  'status',
  'suggestions',
  'topicDetails',
]);
const quotaMessage =
  'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';

/**
 * A loopback stand-in for the YouTube Data API v3 `videos.list`, as strict as the real one for what the views
 * source uses: the key (query `key` or header `x-goog-api-key`; a wrong one is refused as today's API does, 400
 * `badRequest` with `API_KEY_INVALID` in `details`), a quota of units that runs out (403 `quotaExceeded`), `part`
 * required and honoured (an item carries only the parts asked for), exactly one filter, `maxResults` refused next
 * to `id`, at most 50 ids, counts as strings of digits, and unknown or private ids left out of `items`.
 */
export async function startYoutubeEmulator(): Promise<YoutubeEmulator> {
  const apiKey = 'emulated-youtube-key';
  const state = {
    views: new Map<string, number>(),
    quotaLeft: 10_000,
    raw: null as { body: string; status?: number } | null,
    calls: [] as string[][],
    urls: [] as string[],
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    state.urls.push(request.url ?? '');
    if (url.pathname !== '/youtube/v3/videos' || request.method !== 'GET') {
      return googleError(response, 404, 'Not Found', 'notFound', 'global');
    }
    const key = request.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (key === undefined || key === null) {
      return googleError(
        response,
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        'forbidden',
        'global',
        { status: 'PERMISSION_DENIED' },
      );
    }
    if (key !== apiKey) {
      return googleError(
        response,
        400,
        'API key not valid. Please pass a valid API key.',
        'badRequest',
        'global',
        {
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
              metadata: { service: 'youtube.googleapis.com' },
            },
          ],
        },
      );
    }
    if (state.quotaLeft <= 0) {
      return googleError(response, 403, quotaMessage, 'quotaExceeded', 'youtube.quota');
    }
    // Invalid requests cost quota too.
    state.quotaLeft -= 1;
    const partParam = url.searchParams.get('part');
    if (partParam === null || partParam === '') {
      return googleError(response, 400, 'Required parameter: part', 'required', 'global', {
        location: 'part',
      });
    }
    const parts = partParam.split(',').map((p) => p.trim());
    const unknown = parts.find((p) => !videoParts.has(p));
    if (unknown !== undefined) {
      return googleError(response, 400, `'${unknown}'`, 'unknownPart', 'youtube.part', { location: 'part' });
    }
    const filters = ['id', 'chart', 'myRating'].filter((f) => url.searchParams.has(f));
    if (filters.length !== 1) {
      return googleError(
        response,
        400,
        filters.length === 0
          ? 'No filter selected. Expected one of: myRating, chart, id'
          : `Incompatible parameters specified in the request: ${filters.join(', ')}`,
        filters.length === 0 ? 'missingRequiredParameter' : 'incompatibleParameters',
        'youtube.parameter',
      );
    }
    if (!url.searchParams.has('id')) {
      return googleError(
        response,
        400,
        'The emulator only answers id lookups.',
        'invalidFilters',
        'youtube.parameter',
      );
    }
    if (url.searchParams.has('maxResults')) {
      return googleError(
        response,
        400,
        'Incompatible parameters specified in the request: maxResults, id',
        'incompatibleParameters',
        'youtube.parameter',
      );
    }
    const ids = (url.searchParams.get('id') ?? '').split(',').filter((id) => id !== '');
    state.calls.push(ids);
    if (ids.length > 50) {
      return googleError(
        response,
        400,
        'The request specifies an invalid filter parameter.',
        'invalidFilters',
        'youtube.parameter',
      );
    }
    if (state.raw !== null) {
      response.writeHead(state.raw.status ?? 200, { 'content-type': 'application/json' }).end(state.raw.body);
      return;
    }
    const items = [...new Set(ids)].flatMap((id) => {
      const views = state.views.get(id);
      if (views === undefined) return [];
      return [
        {
          kind: 'youtube#video',
          etag: `etag-${id}-${views}`,
          id,
          ...(parts.includes('statistics')
            ? {
                statistics: {
                  viewCount: String(views),
                  likeCount: String(Math.floor(views / 20)),
                  favoriteCount: '0',
                  commentCount: String(Math.floor(views / 500)),
                },
              }
            : {}),
        },
      ];
    });
    send(response, 200, {
      kind: 'youtube#videoListResponse',
      etag: `etag-list-${items.length}`,
      items,
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/youtube/v3`,
    apiKey,
    views: state.views,
    get quotaLeft() {
      return state.quotaLeft;
    },
    set quotaLeft(value: number) {
      state.quotaLeft = value;
    },
    get raw() {
      return state.raw;
    },
    set raw(value: { body: string; status?: number } | null) {
      state.raw = value;
    },
    calls: state.calls,
    urls: state.urls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
