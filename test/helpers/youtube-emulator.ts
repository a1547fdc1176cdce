import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface YoutubeEmulator {
  /** For YOUTUBE_API_URL: `http://127.0.0.1:<port>/youtube/v3`. */
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Views by video id; a video not listed does not exist (it is left out of `items`, as YouTube does). */
  readonly views: Map<string, number>;
  /** Quota units left today; each videos.list call costs 1, refused ones too. */
  quotaLeft: number;
  /** A body to send as it is instead of the real answer (fuzzing). */
  raw: { body: string; status?: number } | null;
  /** The `id` parameter of every videos.list call, in order. */
  readonly calls: string[][];
  /** Every request URL, to check that the key never travels in one. */
  readonly urls: string[];
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

function googleError(
  response: ServerResponse,
  code: number,
  message: string,
  reason: string,
  domain: string,
): void {
  send(response, code, { error: { code, message, errors: [{ message, domain, reason }] } });
}

/**
 * A loopback stand-in for the YouTube Data API v3 `videos.list`, as strict as the real one for what the views
 * source uses: the key (query `key` or header `x-goog-api-key`), `part` must name `statistics`, at most 50 ids,
 * a quota of units that runs out (403 `quotaExceeded`), view counts as strings of digits, and unknown ids left out.
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
    if (key !== apiKey) {
      return googleError(
        response,
        400,
        'API key not valid. Please pass a valid API key.',
        'keyInvalid',
        'global',
      );
    }
    if (state.quotaLeft <= 0) {
      return googleError(
        response,
        403,
        'The request cannot be completed because you have exceeded your quota.',
        'quotaExceeded',
        'youtube.quota',
      );
    }
    state.quotaLeft -= 1;
    const part = (url.searchParams.get('part') ?? '').split(',');
    if (!part.includes('statistics')) {
      return googleError(response, 400, "'part' must name statistics here", 'invalidPart', 'youtube.part');
    }
    const ids = (url.searchParams.get('id') ?? '').split(',').filter((id) => id !== '');
    state.calls.push(ids);
    if (ids.length > 50) {
      return googleError(
        response,
        400,
        'The request specifies too many video ids.',
        'invalidFilters',
        'youtube.parameter',
      );
    }
    if (state.raw !== null) {
      response.writeHead(state.raw.status ?? 200, { 'content-type': 'application/json' }).end(state.raw.body);
      return;
    }
    const items = ids.flatMap((id) => {
      const views = state.views.get(id);
      if (views === undefined) return [];
      return [
        {
          kind: 'youtube#video',
          etag: `etag-${id}`,
          id,
          statistics: { viewCount: String(views), likeCount: '1000', favoriteCount: '0', commentCount: '10' },
        },
      ];
    });
    send(response, 200, {
      kind: 'youtube#videoListResponse',
      etag: 'etag',
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
