import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the emulated Web API answers GET /v1/artists/{id}: `extended` (an Extended Quota Mode app: the whole artist
 * object), `development` (a Development Mode app since February 2026: no `followers`, no `popularity`), or a raw
 * body to send as it is (fuzzing).
 */
export type ArtistMode = 'extended' | 'development' | { raw: string; status?: number };

export interface SpotifyEmulator {
  /** Base for SPOTIFY_API_URL: `http://127.0.0.1:<port>/v1`. */
  readonly apiUrl: string;
  /** For SPOTIFY_TOKEN_URL: `http://127.0.0.1:<port>/api/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  mode: ArtistMode;
  followers: number;
  /** Token lifetime handed out, seconds. */
  expiresIn: number;
  /** Tokens handed out so far. */
  readonly tokensIssued: () => number;
  /** Revokes every token handed out (the API then answers 401 as for an expired token). */
  revokeTokens(): void;
  /** Every request's method and path, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A loopback stand-in for Spotify's accounts service and Web API, as strict as they are for what the followers
 * source uses: the client credentials flow (POST, form body `grant_type=client_credentials`, HTTP Basic client
 * authentication; `{"error": "invalid_client"}` otherwise) and GET /v1/artists/{id} with a Bearer token
 * (`{"error": {"status": 401, "message": …}}` without a valid one, 404 for an unknown artist).
 */
export async function startSpotifyEmulator(artistId: string, name = 'V'): Promise<SpotifyEmulator> {
  const clientId = 'emulated-client-id';
  const clientSecret = 'emulated-client-secret';
  const tokens = new Map<string, number>();
  let issued = 0;
  const calls: string[] = [];
  const state = { mode: 'extended' as ArtistMode, followers: 15_720_000, expiresIn: 3600 };

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      calls.push(`${request.method} ${path}`);
      const body = await readBody(request);
      if (path === '/api/token') {
        if (request.method !== 'POST') return send(response, 405, { error: 'method_not_allowed' });
        if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          return send(response, 400, {
            error: 'invalid_request',
            error_description: 'Unsupported content type',
          });
        }
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'client_credentials') {
          return send(response, 400, { error: 'unsupported_grant_type', error_description: 'grant_type' });
        }
        const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
        if (request.headers.authorization !== expected) {
          return send(response, 400, { error: 'invalid_client', error_description: 'Invalid client' });
        }
        const token = randomUUID();
        issued += 1;
        tokens.set(token, Date.now() + state.expiresIn * 1000);
        return send(response, 200, {
          access_token: token,
          token_type: 'Bearer',
          expires_in: state.expiresIn,
        });
      }
      const match = /^\/v1\/artists\/([^/]+)$/.exec(path);
      if (match === null || request.method !== 'GET') {
        return send(response, 404, { error: { status: 404, message: 'Service not found' } });
      }
      const auth = request.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
      const expiresAt = tokens.get(token);
      if (auth === '') return send(response, 401, { error: { status: 401, message: 'No token provided' } });
      if (expiresAt === undefined || expiresAt <= Date.now()) {
        return send(response, 401, { error: { status: 401, message: 'The access token expired' } });
      }
      if (decodeURIComponent(match[1] ?? '') !== artistId) {
        return send(response, 404, { error: { status: 404, message: 'Resource not found' } });
      }
      const mode = state.mode;
      if (typeof mode === 'object') {
        response.writeHead(mode.status ?? 200, { 'content-type': 'application/json' }).end(mode.raw);
        return;
      }
      const artist: Record<string, unknown> = {
        external_urls: { spotify: `https://open.spotify.com/artist/${artistId}` },
        genres: ['k-pop'],
        href: `https://api.spotify.com/v1/artists/${artistId}`,
        id: artistId,
        images: [],
        name,
        type: 'artist',
        uri: `spotify:artist:${artistId}`,
      };
      if (mode === 'extended') {
        artist.followers = { href: null, total: state.followers };
        artist.popularity = 80;
      }
      return send(response, 200, artist);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/v1`,
    tokenUrl: `${base}/api/token`,
    clientId,
    clientSecret,
    get mode() {
      return state.mode;
    },
    set mode(value: ArtistMode) {
      state.mode = value;
    },
    get followers() {
      return state.followers;
    },
    set followers(value: number) {
      state.followers = value;
    },
    get expiresIn() {
      return state.expiresIn;
    },
    set expiresIn(value: number) {
      state.expiresIn = value;
    },
    tokensIssued: () => issued,
    revokeTokens: () => tokens.clear(),
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
